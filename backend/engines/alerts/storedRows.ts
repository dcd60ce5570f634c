import * as v from 'valibot';
import {
  type RuleEvaluation,
  type RuleStatus,
  StoredAlertError,
  type StoredRule,
} from '../../../core/ports/alertStore.ts';
import type { AlertInstance } from '../../alerts/evaluate/alertInstance.ts';
import { OPS, SEVERITIES } from '../../alerts/rules/alertRule.ts';

/**
 * How rules and alerts are kept in a store row (JSON text in SQLite, jsonb in PostgreSQL), shared by
 * both adapters. Rows are decoded against a schema instead of trusted, so a damaged row names itself.
 */
const definitionSchema = v.object({
  query: v.string(),
  windowMs: v.number(),
  op: v.picklist(OPS),
  threshold: v.number(),
  forMs: v.number(),
  groupBy: v.array(v.string()),
  severity: v.picklist(SEVERITIES),
  notify: v.nullable(v.array(v.string())),
});

const groupValue = v.nullable(v.union([v.string(), v.number(), v.boolean()]));
const alertSchema = v.object({
  rule: v.string(),
  tenant: v.string(),
  groupKey: v.string(),
  group: v.record(v.string(), groupValue),
  state: v.picklist(['pending', 'firing', 'resolved']),
  activeSince: v.number(),
  since: v.number(),
  count: v.number(),
  countExact: v.boolean(),
  evaluatedAt: v.number(),
});

const evaluationSchema = v.object({
  at: v.number(),
  count: v.nullable(v.number()),
  error: v.nullable(v.string()),
});

export type RuleDefinition = v.InferOutput<typeof definitionSchema>;

export function ruleDefinition(rule: StoredRule): RuleDefinition {
  const { query, windowMs, op, threshold, forMs, groupBy, severity, notify } = rule;
  return { query, windowMs, op, threshold, forMs, groupBy, severity, notify };
}

export function ruleFromRow(tenant: string, name: string, definition: unknown): StoredRule {
  const parsed = v.safeParse(definitionSchema, definition);
  if (!parsed.success)
    throw new StoredAlertError(`rule "${name}" of tenant "${tenant}"`, issueText(parsed.issues));
  return { name, tenant, source: 'api', ...parsed.output };
}

export function alertFromRow(body: unknown): AlertInstance {
  const parsed = v.safeParse(alertSchema, body);
  if (!parsed.success) throw new StoredAlertError('an alert state row', issueText(parsed.issues));
  return parsed.output;
}

export function evaluationBody(e: RuleEvaluation): RuleStatus['lastEvaluation'] {
  return { at: e.at, count: e.count, error: e.error };
}

export function statusFromRow(
  tenant: string,
  rule: string,
  evaluation: unknown,
  silencedUntil: number | null,
): RuleStatus {
  let lastEvaluation: RuleStatus['lastEvaluation'] = null;
  if (evaluation !== null && evaluation !== undefined) {
    const parsed = v.safeParse(evaluationSchema, evaluation);
    if (!parsed.success)
      throw new StoredAlertError(
        `the status of rule "${rule}" of tenant "${tenant}"`,
        issueText(parsed.issues),
      );
    lastEvaluation = parsed.output;
  }
  return { tenant, rule, lastEvaluation, silencedUntil };
}

function issueText(issues: readonly v.BaseIssue<unknown>[]): string {
  const first = issues[0];
  const path = first.path?.map((p) => String(p.key)).join('.') ?? '';
  return path === '' ? first.message : `${path}: ${first.message}`;
}
