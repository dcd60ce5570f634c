import { ArchiveKeyError } from './errors.ts';

/**
 * A tenant name as one path segment of an archive key, reversibly. Configured tenants are already
 * `[a-z0-9_-]` and pass unchanged; anything else is percent-encoded byte by byte (UTF-8), so no name can
 * add a `/`, be `.` or `..`, or start with `.` (the local store's temporary files do). Upper-case letters
 * are encoded too: on a case-insensitive file system (macOS, Windows) `Acme` and `acme` would otherwise
 * share one directory and one tenant could list the other's files.
 */

const KEPT = /^[a-z0-9_~-]$/;
/** Longest encoded segment: file systems allow 255 bytes per name, and keys must stay well under S3's 1 KiB. */
const MAX_SEGMENT = 200;
const encoder = new TextEncoder();

export function encodeTenant(tenant: string): string {
  if (typeof tenant !== 'string' || tenant.length === 0)
    throw new ArchiveKeyError(String(tenant), 'tenant is empty');
  // A lone surrogate would encode as U+FFFD, so two different names could share one directory.
  if (!tenant.isWellFormed()) throw new ArchiveKeyError(tenant, 'tenant is not well-formed Unicode');
  const chars = Array.from(tenant);
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i];
    // Inner dots stay readable (`acme.eu`); a first or last one is encoded (hidden files, Windows trims).
    if (KEPT.test(char) || (char === '.' && i > 0 && i < chars.length - 1)) out += char;
    else
      for (const byte of encoder.encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  if (out.length > MAX_SEGMENT)
    throw new ArchiveKeyError(tenant, `tenant name is longer than ${MAX_SEGMENT} bytes once encoded`);
  return out;
}

/**
 * The tenant a segment names. Only the exact output of encodeTenant is accepted (one spelling per
 * tenant), so a foreign or hand-made directory cannot alias a tenant.
 */
export function decodeTenant(segment: string): string {
  let tenant: string;
  try {
    tenant = decodeURIComponent(segment);
  } catch {
    // decodeURIComponent's URIError says nothing useful; the segment is simply not one of ours.
    throw new ArchiveKeyError(segment, 'not a percent-encoded tenant name');
  }
  if (tenant.length === 0 || encodeTenant(tenant) !== segment) {
    throw new ArchiveKeyError(segment, 'not the canonical encoding of a tenant name');
  }
  return tenant;
}
