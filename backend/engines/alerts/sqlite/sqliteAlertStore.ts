import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { AlertStore, StoredRule } from '../../../../core/ports/alertStore.ts';
import { alertFromRow, evaluationBody, ruleDefinition, ruleFromRow, statusFromRow } from '../storedRows.ts';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS alert_rules (
    tenant TEXT NOT NULL,
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant, name)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS alert_states (
    tenant TEXT NOT NULL,
    rule TEXT NOT NULL,
    group_key TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (tenant, rule, group_key)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS alert_rule_status (
    tenant TEXT NOT NULL,
    rule TEXT NOT NULL,
    evaluation TEXT,
    silenced_until INTEGER,
    PRIMARY KEY (tenant, rule)
  ) WITHOUT ROWID;`;

interface RuleRow {
  tenant: string;
  name: string;
  definition: string;
}

/**
 * The AlertStore port on one SQLite file (standalone: `<data dir>/alerts.db`). One process owns it,
 * so it always leads. WAL with synchronous=FULL: a rule the API answered 201 for survives a power cut.
 * node:sqlite is synchronous, so no two calls interleave.
 */
export function openSqliteAlertStore(path: string): AlertStore {
  let db: DatabaseSync | null = null;
  const open = (): DatabaseSync => {
    if (db === null) {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      db = new DatabaseSync(path);
      db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
      db.exec(SCHEMA);
    }
    return db;
  };
  const rule = (row: RuleRow): StoredRule => ruleFromRow(row.tenant, row.name, JSON.parse(row.definition));

  return {
    async init() {
      open();
    },
    async listRules(tenant) {
      const rows =
        tenant === null
          ? open().prepare('SELECT tenant, name, definition FROM alert_rules ORDER BY tenant, name').all()
          : open()
              .prepare('SELECT tenant, name, definition FROM alert_rules WHERE tenant = ? ORDER BY name')
              .all(tenant);
      return (rows as unknown as RuleRow[]).map(rule);
    },
    async getRule(tenant, name) {
      const row = open()
        .prepare('SELECT tenant, name, definition FROM alert_rules WHERE tenant = ? AND name = ?')
        .get(tenant, name) as RuleRow | undefined;
      return row === undefined ? null : rule(row);
    },
    async insertRule(r) {
      const result = open()
        .prepare(
          'INSERT INTO alert_rules (tenant, name, definition, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
        )
        .run(r.tenant, r.name, JSON.stringify(ruleDefinition(r)), Date.now());
      return result.changes === 1;
    },
    async replaceRule(r) {
      const result = open()
        .prepare('UPDATE alert_rules SET definition = ?, updated_at = ? WHERE tenant = ? AND name = ?')
        .run(JSON.stringify(ruleDefinition(r)), Date.now(), r.tenant, r.name);
      return result.changes === 1;
    },
    async deleteRule(tenant, name) {
      const database = open();
      const result = database
        .prepare('DELETE FROM alert_rules WHERE tenant = ? AND name = ?')
        .run(tenant, name);
      database.prepare('DELETE FROM alert_rule_status WHERE tenant = ? AND rule = ?').run(tenant, name);
      return result.changes === 1;
    },
    async listAlerts(tenant) {
      const rows =
        tenant === null
          ? open().prepare('SELECT body FROM alert_states ORDER BY tenant, rule, group_key').all()
          : open()
              .prepare('SELECT body FROM alert_states WHERE tenant = ? ORDER BY rule, group_key')
              .all(tenant);
      return (rows as unknown as Array<{ body: string }>).map((row) => alertFromRow(JSON.parse(row.body)));
    },
    async saveAlerts({ upsert, remove }) {
      if (upsert.length === 0 && remove.length === 0) return;
      const database = open();
      const put = database.prepare(
        `INSERT INTO alert_states (tenant, rule, group_key, body) VALUES (?, ?, ?, ?)
         ON CONFLICT (tenant, rule, group_key) DO UPDATE SET body = excluded.body`,
      );
      const drop = database.prepare(
        'DELETE FROM alert_states WHERE tenant = ? AND rule = ? AND group_key = ?',
      );
      // One transaction: a crash leaves the previous evaluation's states, never half of this one's.
      database.exec('BEGIN IMMEDIATE');
      try {
        for (const k of remove) drop.run(k.tenant, k.rule, k.groupKey);
        for (const a of upsert) put.run(a.tenant, a.rule, a.groupKey, JSON.stringify(a));
        database.exec('COMMIT');
      } catch (error) {
        database.exec('ROLLBACK');
        throw error;
      }
    },
    async recordEvaluations(evaluations) {
      if (evaluations.length === 0) return;
      const database = open();
      const put = database.prepare(
        `INSERT INTO alert_rule_status (tenant, rule, evaluation) VALUES (?, ?, ?)
         ON CONFLICT (tenant, rule) DO UPDATE SET evaluation = excluded.evaluation`,
      );
      database.exec('BEGIN IMMEDIATE');
      try {
        for (const e of evaluations) put.run(e.tenant, e.rule, JSON.stringify(evaluationBody(e)));
        database.exec('COMMIT');
      } catch (error) {
        database.exec('ROLLBACK');
        throw error;
      }
    },
    async setSilence(tenant, ruleName, until) {
      open()
        .prepare(
          `INSERT INTO alert_rule_status (tenant, rule, silenced_until) VALUES (?, ?, ?)
           ON CONFLICT (tenant, rule) DO UPDATE SET silenced_until = excluded.silenced_until`,
        )
        .run(tenant, ruleName, until);
    },
    async listRuleStatus(tenant) {
      const columns = 'tenant, rule, evaluation, silenced_until';
      const rows =
        tenant === null
          ? open().prepare(`SELECT ${columns} FROM alert_rule_status ORDER BY tenant, rule`).all()
          : open()
              .prepare(`SELECT ${columns} FROM alert_rule_status WHERE tenant = ? ORDER BY rule`)
              .all(tenant);
      return (
        rows as unknown as Array<{
          tenant: string;
          rule: string;
          evaluation: string | null;
          silenced_until: number | null;
        }>
      ).map((row) =>
        statusFromRow(
          row.tenant,
          row.rule,
          row.evaluation === null ? null : JSON.parse(row.evaluation),
          row.silenced_until === null ? null : Number(row.silenced_until),
        ),
      );
    },
    async close() {
      db?.close();
      db = null;
    },
  };
}
