import postgres from 'postgres';
import { type CheckResult, errorCode, failed, messageOf, passed, UNREACHABLE } from './result.ts';

export interface PostgresNeeds {
  url: string;
  schema: string;
  /** Tables the store creates on first start, or reads and writes once they exist. */
  tables: string[];
  /** Tables the store must own (it adds and drops their partitions). */
  owned?: string[];
  /** The config key holding the URL, to name in the advice. */
  key: string;
}

/** Thrown inside the check's transaction so that everything it tried is rolled back. */
class RollBack extends Error {}

/**
 * Whether a store's `init` would succeed, without changing the database: in one transaction that is
 * always rolled back, it creates the schema as `init` does, then either proves it may create tables
 * (a probe table) or, once migrated, that it holds the rights the store uses on every table.
 */
export async function checkPostgresAccess(needs: PostgresNeeds): Promise<CheckResult> {
  const where = `${redact(needs.url)} schema ${needs.schema}`;
  const sql = connect(needs.url);
  let answer: CheckResult = failed(`${where}: no answer`);
  try {
    await sql.begin(async (tx) => {
      await tx`SET LOCAL statement_timeout = '3s'`;
      await tx`SET LOCAL lock_timeout = '2s'`;
      await tx`CREATE SCHEMA IF NOT EXISTS ${tx(needs.schema)}`;
      const rows = await tx<{ name: string; owner: boolean; rights: boolean }[]>`
        SELECT c.relname AS name, pg_has_role(c.relowner, 'USAGE') AS owner,
               has_table_privilege(c.oid, 'SELECT') AND has_table_privilege(c.oid, 'INSERT')
                 AND has_table_privilege(c.oid, 'UPDATE') AND has_table_privilege(c.oid, 'DELETE') AS rights
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ${needs.schema} AND c.relname IN ${tx(needs.tables)}`;
      const lacking = rows.find((r) => !r.rights || (needs.owned?.includes(r.name) === true && !r.owner));
      if (lacking !== undefined) {
        const what = lacking.rights ? 'must own' : 'needs SELECT, INSERT, UPDATE and DELETE on';
        answer = failed(
          `${where}: the user ${what} table ${needs.schema}.${lacking.name}: grant it, or connect as its owner in ${needs.key}`,
        );
      } else if (rows.length < needs.tables.length) {
        await tx`CREATE TABLE ${tx(needs.schema)}.sluice_check_probe (x int)`;
        answer = passed(`${where}: reachable, tables can be created`);
      } else {
        answer = passed(`${where}: reachable, tables present with the rights needed`);
      }
      throw new RollBack();
    });
  } catch (error) {
    if (!(error instanceof RollBack)) answer = failed(`${where}: ${describe(error, needs)}`);
  } finally {
    await sql.end({ timeout: 1 }).catch(() => undefined); // the answer is decided; this only frees the socket
  }
  return answer;
}

/** For /readyz: one round trip on a fresh connection. */
export async function probePostgres(url: string, key: string): Promise<CheckResult> {
  const sql = connect(url);
  try {
    await sql`SELECT 1`;
    return passed(`${redact(url)}: reachable`);
  } catch (error) {
    return failed(`${redact(url)}: ${describe(error, { url, key })}`);
  } finally {
    await sql.end({ timeout: 1 }).catch(() => undefined);
  }
}

function connect(url: string) {
  return postgres(url, {
    max: 1,
    connect_timeout: 3,
    idle_timeout: 1,
    max_lifetime: 30,
    onnotice: () => undefined,
    connection: { application_name: 'sluice-check' },
  });
}

/** The URL without its password, for lines that end up in terminals and logs. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

function describe(error: unknown, needs: { url: string; key: string }): string {
  const code = errorCode(error);
  const user = safeUrl(needs.url)?.username || 'the user';
  const database = safeUrl(needs.url)?.pathname.slice(1) || 'the database';
  switch (code) {
    case '28P01':
    case '28000':
      return `authentication as ${user} failed (${messageOf(error)}): fix the user or password in ${needs.key}`;
    case '3D000':
      return `database ${database} does not exist: create it (createdb ${database}) or fix ${needs.key}`;
    case '42501':
      return `${user} lacks a right Sluice needs (${messageOf(error)}): GRANT CREATE ON DATABASE ${database} TO ${user}, or create the schema for it`;
    case '55P03':
    case '57014':
      return `a lock or statement timed out (${messageOf(error)}): is a migration running? try again`;
  }
  if (code !== undefined && UNREACHABLE.has(code))
    return `nothing answers (${code}): start PostgreSQL or fix the host and port in ${needs.key}`;
  return `${messageOf(error)}: check ${needs.key}`;
}

function safeUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
