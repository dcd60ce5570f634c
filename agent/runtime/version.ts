import pkg from '../../package.json' with { type: 'json' };

/**
 * The agent's version, from package.json. A JSON import rather than reading the file at run time: the
 * bundler inlines it, so the single binary knows its version with no package.json beside it.
 */
export const AGENT_VERSION: string = pkg.version;
