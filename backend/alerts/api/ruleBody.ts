import * as v from 'valibot';
import { ApiError } from '../../../core/http/apiError.ts';
import type { StoredRule } from '../../../core/ports/alertStore.ts';
import { QueryError } from '../../../core/query/index.ts';
import { durationSchema } from '../../../core/units/schema.ts';
import { tenantNameSchema, uniqueBy } from '../../config/names.ts';
import { OPS, SEVERITIES } from '../rules/alertRule.ts';
import { GroupFieldError } from '../rules/groupFields.ts';
import { neverHolds, ruleGroupFields, ruleQuery } from '../rules/ruleChecks.ts';

const WEEK_MS = 7 * 86_400_000;

/** Rule names travel in URL paths and notification texts, so they are plain words. */
export const RULE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/**
 * The body of POST and PUT /api/v1/alerts/rules: the fields of an `alerts.rules` entry in
 * sluice.yaml, with the same defaults. A window is at most 7 days, so no rule can make every
 * evaluation scan weeks of events. `source`, `state`, `alerts`, `last_evaluation` and `silenced_until`
 * (what GET answers) are accepted and ignored, so a rule read with GET can be changed and sent back
 * with PUT (a silence is set with PUT …/silence).
 */
export const ruleBodySchema = v.strictObject({
  name: v.pipe(
    v.string(),
    v.regex(
      RULE_NAME,
      "expected a name of letters, digits, '_', '.', ':' or '-' (up to 128), such as checkout-errors",
    ),
  ),
  tenant: v.optional(v.nullable(tenantNameSchema())),
  query: v.optional(v.string(), ''),
  window: v.optional(durationSchema({ min: 1_000, max: WEEK_MS }), '5m'),
  op: v.optional(v.picklist(OPS, `expected one of ${OPS.join(' ')}`), '>'),
  threshold: v.pipe(v.number('expected a number'), v.finite('expected a finite number')),
  for: v.optional(durationSchema({ max: WEEK_MS }), '0s'),
  group_by: v.optional(
    v.pipe(
      v.array(v.string()),
      v.maxLength(5, 'at most 5 fields'),
      v.check((fields) => uniqueBy(fields, (f) => f), 'a field is listed twice'),
    ),
    [],
  ),
  severity: v.optional(v.picklist(SEVERITIES, `expected one of ${SEVERITIES.join(', ')}`), 'warning'),
  notify: v.optional(v.nullable(v.array(v.string())), null),
  source: v.optional(v.unknown()),
  state: v.optional(v.unknown()),
  alerts: v.optional(v.unknown()),
  last_evaluation: v.optional(v.unknown()),
  silenced_until: v.optional(v.unknown()),
});

export interface ParsedRuleBody {
  /** The rule, without its tenant: the route decides that from the key and the request. */
  rule: Omit<StoredRule, 'tenant'>;
  /** The body's `tenant`, when it names one. */
  tenant: string | undefined;
}

export interface RuleBodyContext {
  /** Names of the `alerts.notify` targets in sluice.yaml. */
  targets: readonly string[];
  nowMs: number;
}

/**
 * A request body as a rule, or the ApiError to answer: 422 naming each field that is wrong, 400 with
 * the position for a query that does not parse (as the search API answers a bad `q`).
 */
export function parseRuleBody(body: unknown, context: RuleBodyContext): ParsedRuleBody {
  const parsed = v.safeParse(ruleBodySchema, body);
  if (!parsed.success) {
    const details = parsed.issues.map((issue) => ({
      path: issue.path?.map((p) => String(p.key)).join('.') ?? '',
      message: issue.message,
    }));
    const first = details[0];
    throw new ApiError(422, 'invalid_rule', `${first.path === '' ? 'body' : first.path}: ${first.message}`, {
      details,
    });
  }
  const input = parsed.output;
  const rule: Omit<StoredRule, 'tenant'> = {
    name: input.name,
    source: 'api',
    query: input.query,
    windowMs: input.window,
    op: input.op,
    threshold: input.threshold,
    forMs: input.for,
    groupBy: input.group_by,
    severity: input.severity,
    notify: input.notify,
  };
  checkRule(rule, context);
  return { rule, tenant: input.tenant ?? undefined };
}

function checkRule(rule: Omit<StoredRule, 'tenant'>, context: RuleBodyContext): void {
  try {
    ruleQuery(rule, context.nowMs);
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    throw new ApiError(400, error.code, `query: ${error.message}`, {
      details: [{ path: 'query', position: error.position }],
    });
  }
  try {
    ruleGroupFields(rule);
  } catch (error) {
    if (!(error instanceof GroupFieldError)) throw error;
    throw invalid('group_by', error.message);
  }
  const never = neverHolds(rule.op, rule.threshold);
  if (never !== undefined) throw invalid('threshold', never);
  const unknown = (rule.notify ?? []).filter((name) => !context.targets.includes(name));
  if (unknown.length > 0) {
    const known =
      context.targets.length === 0 ? 'none are configured' : `configured: ${context.targets.join(', ')}`;
    throw invalid('notify', `no notify target named ${unknown.join(', ')} in sluice.yaml (${known})`);
  }
}

function invalid(path: string, message: string): ApiError {
  return new ApiError(422, 'invalid_rule', `${path}: ${message}`, { details: [{ path, message }] });
}
