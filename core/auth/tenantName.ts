/** Tenant names go into index names, archive paths and headers, so they are lower-case words (no CR/LF). */
export const TENANT_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export const TENANT_NAME_RULE = 'lower-case letters, digits, "_" and "-", up to 63';
