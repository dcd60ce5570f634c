import { readFile } from 'node:fs/promises';
import { type CommandContext, str } from '../context.ts';
import { UsageError } from '../usage.ts';

export const alertsOptions = {
  file: { type: 'string' },
  query: { type: 'string' },
  threshold: { type: 'string' },
  op: { type: 'string' },
  window: { type: 'string' },
  for: { type: 'string' },
  'group-by': { type: 'string' },
  severity: { type: 'string' },
  notify: { type: 'string' },
  until: { type: 'string' },
  clear: { type: 'boolean' },
} as const;

interface RuleView {
  name: string;
  tenant: string | null;
  source: string;
  query: string;
  window: string;
  op: string;
  threshold: number;
  for: string;
  group_by: string[];
  severity: string;
  notify: string[] | null;
  state: string;
  alerts: Array<{
    tenant: string;
    group: Record<string, unknown>;
    state: string;
    count: number;
    since: string;
    search_url: string;
  }>;
  last_evaluation: { at: string; count: number; error: string | null } | null;
  silenced_until: string | null;
}

const rulePath = (name: string) => `/api/v1/alerts/rules/${encodeURIComponent(name)}`;

/** `sluice alerts list|show|create|silence`: the alerts API (docs/api.md, docs/alerts.md) from a shell. */
export async function alerts(ctx: CommandContext): Promise<void> {
  const [sub, name] = ctx.positionals;
  switch (sub) {
    case 'list':
      return list(ctx);
    case 'show':
      return show(ctx, required(name, 'show'));
    case 'create':
      return create(ctx, name);
    case 'silence':
      return silence(ctx, required(name, 'silence'));
    case undefined:
      throw new UsageError(
        'alerts needs a subcommand: list, show <rule>, create <rule> …, silence <rule> --for 1h',
      );
    default:
      throw new UsageError(`alerts: unknown subcommand '${sub.slice(0, 20)}' (list, show, create, silence)`);
  }
}

function required(name: string | undefined, sub: string): string {
  if (name === undefined || name === '')
    throw new UsageError(`alerts ${sub} needs a rule name: sluice alerts ${sub} <rule>`);
  return name;
}

async function list(ctx: CommandContext): Promise<void> {
  const { rules } = await ctx.client.json<{ rules: RuleView[] }>('GET', '/api/v1/alerts/rules');
  if (ctx.values.json === true) {
    for (const rule of rules) ctx.out(JSON.stringify(rule));
    return;
  }
  if (rules.length === 0) {
    ctx.err('no alert rules');
    return;
  }
  const rows = rules.map((r) => [
    r.name,
    r.state + (r.silenced_until !== null ? ' (silenced)' : ''),
    r.severity,
    `count ${r.op} ${r.threshold} in ${r.window}${r.group_by.length > 0 ? ` by ${r.group_by.join(',')}` : ''}`,
    r.query === '' ? '*' : r.query,
  ]);
  const header = ['RULE', 'STATE', 'SEVERITY', 'CONDITION', 'QUERY'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [header, ...rows])
    ctx.out(
      row
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    );
}

async function show(ctx: CommandContext, name: string): Promise<void> {
  const rule = await ctx.client.json<RuleView>('GET', rulePath(name));
  if (ctx.values.json === true) {
    ctx.out(JSON.stringify(rule));
    return;
  }
  ctx.out(
    `${rule.name} (${rule.source === 'config' ? 'sluice.yaml' : `tenant ${rule.tenant}`}): ${rule.state}`,
  );
  ctx.out(`  query     ${rule.query === '' ? '*' : rule.query}`);
  ctx.out(`  fires     when count ${rule.op} ${rule.threshold} in ${rule.window} for ${rule.for}`);
  if (rule.group_by.length > 0) ctx.out(`  group by  ${rule.group_by.join(', ')}`);
  ctx.out(
    `  severity  ${rule.severity}; notify ${rule.notify === null ? 'every target' : rule.notify.join(', ') || 'nobody'}`,
  );
  if (rule.silenced_until !== null) ctx.out(`  silenced  until ${rule.silenced_until}`);
  const last = rule.last_evaluation;
  if (last !== null)
    ctx.out(
      `  evaluated ${last.at}: ${last.error === null ? `count ${last.count}` : `failed: ${last.error}`}`,
    );
  for (const a of rule.alerts)
    ctx.out(
      `  ${a.state.padEnd(8)}  ${a.tenant} ${JSON.stringify(a.group)} count ${a.count} since ${a.since}  ${a.search_url}`,
    );
}

const numberOf = (text: string, option: string) => {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`--${option} must be a number, not '${text.slice(0, 20)}'`);
  return n;
};
const listOf = (text: string | undefined) =>
  text === undefined
    ? undefined
    : text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');

async function create(ctx: CommandContext, name: string | undefined): Promise<void> {
  const file = str(ctx.values.file);
  let body: Record<string, unknown>;
  if (file !== undefined) {
    if (name !== undefined)
      throw new UsageError('alerts create: give the rule name in the file or as an argument, not both');
    let text: string;
    try {
      text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
    } catch (error) {
      throw new UsageError(
        `alerts create: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(`alerts create: ${file} is not JSON: ${(error as Error).message}`);
    }
  } else {
    const threshold = str(ctx.values.threshold);
    if (name === undefined || threshold === undefined)
      throw new UsageError(
        "alerts create needs a rule name and --threshold: sluice alerts create errors --query 'level>=error' --threshold 10",
      );
    body = {
      name,
      query: str(ctx.values.query),
      threshold: numberOf(threshold, 'threshold'),
      op: str(ctx.values.op),
      window: str(ctx.values.window),
      for: str(ctx.values.for),
      group_by: listOf(str(ctx.values['group-by'])),
      severity: str(ctx.values.severity),
      notify: listOf(str(ctx.values.notify)),
    };
  }
  const rule = await ctx.client.json<RuleView>('POST', '/api/v1/alerts/rules', undefined, body);
  if (ctx.values.json === true) ctx.out(JSON.stringify(rule));
  else ctx.err(`created alert rule ${rule.name} (tenant ${rule.tenant})`);
}

/** PUT …/silence with `for` or `until` (docs/alerts.md), or DELETE it with --clear. */
async function silence(ctx: CommandContext, name: string): Promise<void> {
  const duration = str(ctx.values.for);
  const until = str(ctx.values.until);
  let rule: RuleView;
  if (ctx.values.clear === true) {
    if (duration !== undefined || until !== undefined)
      throw new UsageError('alerts silence: --clear ends a silence; it takes no --for or --until');
    rule = await ctx.client.json<RuleView>('DELETE', `${rulePath(name)}/silence`);
  } else {
    if ((duration === undefined) === (until === undefined))
      throw new UsageError(
        `alerts silence needs one of --for or --until, e.g. sluice alerts silence ${name} --for 1h (or --clear to end it)`,
      );
    rule = await ctx.client.json<RuleView>(
      'PUT',
      `${rulePath(name)}/silence`,
      undefined,
      duration !== undefined ? { for: duration } : { until },
    );
  }
  if (ctx.values.json === true) ctx.out(JSON.stringify(rule));
  else if (rule.silenced_until === null) ctx.err(`${name} is not silenced`);
  else ctx.err(`${name} silenced until ${rule.silenced_until}`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
