import { ROLE_NAMES, ROLES } from './table.ts';

/** The roles for --help, one line each. */
export function rolesUsage(): string {
  const width = Math.max(...ROLE_NAMES.map((name) => name.length));
  const lines = ROLES.map(
    (role) => `  ${role.name.padEnd(width)}  ${role.does}${role.singleton ? ' (one process at a time)' : ''}`,
  );
  return `roles (default: all of them, which is standalone):\n${lines.join('\n')}`;
}

/** The role table as markdown, as docs/operations.md and docs/development.md show it (a test compares). */
export function rolesMarkdown(): string {
  const list = (items: readonly string[]) => items.map((item) => `\`${item}\``).join(', ');
  const rows = ROLES.map(
    (role) =>
      `| \`${role.name}\` | ${role.does} | ${list(role.reads)} | ${list(role.writes)} | ${role.singleton ? 'yes' : 'no'} |`,
  );
  return [
    '| role | does | reads | writes | one process at a time |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
