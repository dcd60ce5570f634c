import postgres, { type JSONValue, type Sql } from 'postgres';
import type { Logger } from '../../../../core/log/logger.ts';
import type { AlertStore, StoredRule } from '../../../../core/ports/alertStore.ts';
import { alertFromRow, evaluationBody, ruleDefinition, ruleFromRow, statusFromRow } from '../storedRows.ts';

export interface PostgresAlertStoreOptions {
  url: string;
  /** Schema holding the tables (created if missing); the metric store's, in a usual deployment. */
  schema: string;
  log: Logger;
  maxConnections?: number;
}

/**
 * The AlertStore port on PostgreSQL, for deployments with several processes: the query processes
 * serve the rules from it, and the one `alerts` process holding the lease (core/ports/leaseStore.ts)
 * evaluates them and saves the alert states, which the next holder continues from.
 */
export async function openPostgresAlertStore(options: PostgresAlertStoreOptions): Promise<AlertStore> {
  const { schema } = options;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`alert store schema "${schema}" must be a lowercase SQL identifier (letters, digits, _)`);
  }
  const sql: Sql = postgres(options.url, {
    max: options.maxConnections ?? 2,
    onnotice: () => undefined,
    connection: { search_path: schema, application_name: 'sluice-alerts' },
  });
  const lockKey = leaderLockKey(schema);
  const json = (value: unknown) => sql.json(value as JSONValue);

  return {
    async init() {
      await sql`CREATE SCHEMA IF NOT EXISTS ${sql(schema)}`;
      // Processes starting together would race on CREATE TABLE IF NOT EXISTS; the lock orders them.
      await sql.begin(async (tx) => {
        await tx`SELECT pg_advisory_xact_lock(${lockKey + 1})`;
        await tx`CREATE TABLE IF NOT EXISTS alert_rules (
          tenant text NOT NULL, name text NOT NULL, definition jsonb NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (tenant, name))`;
        await tx`CREATE TABLE IF NOT EXISTS alert_states (
          tenant text NOT NULL, rule text NOT NULL, group_key text NOT NULL, body jsonb NOT NULL,
          PRIMARY KEY (tenant, rule, group_key))`;
        await tx`CREATE TABLE IF NOT EXISTS alert_rule_status (
          tenant text NOT NULL, rule text NOT NULL, evaluation jsonb, silenced_until bigint,
          PRIMARY KEY (tenant, rule))`;
      });
    },
    async listRules(tenant) {
      const rows =
        tenant === null
          ? await sql`SELECT tenant, name, definition FROM alert_rules ORDER BY tenant, name`
          : await sql`SELECT tenant, name, definition FROM alert_rules WHERE tenant = ${tenant} ORDER BY name`;
      return rows.map((row) => ruleFromRow(row.tenant, row.name, row.definition));
    },
    async getRule(tenant, name) {
      const [row] = await sql`SELECT definition FROM alert_rules WHERE tenant = ${tenant} AND name = ${name}`;
      return row === undefined ? null : ruleFromRow(tenant, name, row.definition);
    },
    async insertRule(rule: StoredRule) {
      const rows = await sql`INSERT INTO alert_rules (tenant, name, definition)
        VALUES (${rule.tenant}, ${rule.name}, ${json(ruleDefinition(rule))})
        ON CONFLICT DO NOTHING RETURNING 1`;
      return rows.length === 1;
    },
    async replaceRule(rule: StoredRule) {
      const rows =
        await sql`UPDATE alert_rules SET definition = ${json(ruleDefinition(rule))}, updated_at = now()
        WHERE tenant = ${rule.tenant} AND name = ${rule.name} RETURNING 1`;
      return rows.length === 1;
    },
    async deleteRule(tenant, name) {
      const rows = await sql.begin(async (tx) => {
        await tx`DELETE FROM alert_rule_status WHERE tenant = ${tenant} AND rule = ${name}`;
        return tx`DELETE FROM alert_rules WHERE tenant = ${tenant} AND name = ${name} RETURNING 1`;
      });
      return rows.length === 1;
    },
    async listAlerts(tenant) {
      const rows =
        tenant === null
          ? await sql`SELECT body FROM alert_states ORDER BY tenant, rule, group_key`
          : await sql`SELECT body FROM alert_states WHERE tenant = ${tenant} ORDER BY rule, group_key`;
      return rows.map((row) => alertFromRow(row.body));
    },
    async saveAlerts({ upsert, remove }) {
      if (upsert.length === 0 && remove.length === 0) return;
      await sql.begin(async (tx) => {
        for (const k of remove) {
          await tx`DELETE FROM alert_states WHERE tenant = ${k.tenant} AND rule = ${k.rule} AND group_key = ${k.groupKey}`;
        }
        for (const a of upsert) {
          await tx`INSERT INTO alert_states (tenant, rule, group_key, body)
            VALUES (${a.tenant}, ${a.rule}, ${a.groupKey}, ${json(a)})
            ON CONFLICT (tenant, rule, group_key) DO UPDATE SET body = excluded.body`;
        }
      });
    },
    async recordEvaluations(evaluations) {
      if (evaluations.length === 0) return;
      await sql.begin(async (tx) => {
        for (const e of evaluations) {
          await tx`INSERT INTO alert_rule_status (tenant, rule, evaluation)
            VALUES (${e.tenant}, ${e.rule}, ${json(evaluationBody(e))})
            ON CONFLICT (tenant, rule) DO UPDATE SET evaluation = excluded.evaluation`;
        }
      });
    },
    async setSilence(tenant, rule, until) {
      await sql`INSERT INTO alert_rule_status (tenant, rule, silenced_until) VALUES (${tenant}, ${rule}, ${until})
        ON CONFLICT (tenant, rule) DO UPDATE SET silenced_until = excluded.silenced_until`;
    },
    async listRuleStatus(tenant) {
      const rows =
        tenant === null
          ? await sql`SELECT tenant, rule, evaluation, silenced_until FROM alert_rule_status ORDER BY tenant, rule`
          : await sql`SELECT tenant, rule, evaluation, silenced_until FROM alert_rule_status
              WHERE tenant = ${tenant} ORDER BY rule`;
      return rows.map((row) =>
        statusFromRow(
          row.tenant,
          row.rule,
          row.evaluation,
          row.silenced_until === null ? null : Number(row.silenced_until),
        ),
      );
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}

/** A positive 31-bit key per schema (FNV-1a), so deployments sharing a database create tables apart. */
export function leaderLockKey(schema: string): number {
  let hash = 0x811c9dc5;
  for (const char of `sluice-alerts:${schema}`) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 1) & 0x7ffffffe; // even, so lockKey + 1 (the init lock) is its own key
}
