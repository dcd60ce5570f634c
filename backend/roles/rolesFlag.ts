import { ROLE_NAMES, type RoleName } from './table.ts';

/** `--roles processor,indexer`: the roles named, or why not (unknown or repeated names). */
export function parseRolesFlag(flag: string): { ok: true; roles: RoleName[] } | { ok: false; error: string } {
  const names = flag
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const known = new Set<string>(ROLE_NAMES);
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    return { ok: false, error: `unknown role(s) ${unknown.join(', ')}; roles are ${ROLE_NAMES.join(', ')}` };
  }
  if (names.length === 0)
    return { ok: false, error: `--roles names no role; roles are ${ROLE_NAMES.join(', ')}` };
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  if (repeated.length > 0) return { ok: false, error: `--roles lists ${repeated.join(', ')} twice` };
  return { ok: true, roles: names as RoleName[] };
}
