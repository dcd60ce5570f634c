import { parseArgs } from 'node:util';

/** The whole usage text: `sluice --help`, and the hint after every usage error. */
export const USAGE = `usage:
  sluice search '<query>' [--from now-1h] [--to now] [--limit 100] [--order desc|asc] [--all]
  sluice stats '<query> | stats …' [--from now-1h] [--to now] [--source auto|hot|archive] [--csv]
  sluice trace <correlation-id> [--from now-7d] [--to now]
  sluice tail ['<query>']
  sluice alerts list
  sluice alerts show <rule>
  sluice alerts create <rule> --threshold N [--query '<query>'] [--op '>'] [--window 5m] [--for 0s]
                       [--group-by f1,f2] [--severity info|warning|critical] [--notify t1,t2]
  sluice alerts create --file rule.json        (the JSON body of POST /api/v1/alerts/rules; - for stdin)
  sluice alerts silence <rule> --for 1h | --until <time> | --clear
options:
  --url <base>   query API (default $SLUICE_URL or http://127.0.0.1:8080)
  --key <key>    API key (default $SLUICE_KEY)
  --json         one JSON object per line, for scripts
  --tenant <t>   (operator keys) read one tenant
exit codes: 0 done, 1 the server failed or could not be reached, 2 a usage error (bad command, option
or argument, or a request the server refused as invalid: 400)`;

/** A mistake in the command line: printed as one line with a hint, exit code 2, never a stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** Options every command takes. */
export const COMMON_OPTIONS: OptionSpec = {
  url: { type: 'string' },
  key: { type: 'string' },
  tenant: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * node:util's parseArgs, strict, with its errors (unknown option, missing value) turned into one-line
 * usage errors naming the command.
 */
export function parseCommand(
  command: string,
  args: string[],
  options: OptionSpec,
  maxPositionals: number,
): Parsed {
  let parsed: Parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...COMMON_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const e = error as { code?: string; message: string };
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const option = /'([^']+)'/.exec(e.message)?.[1] ?? 'an option';
      const known = Object.keys({ ...COMMON_OPTIONS, ...options })
        .map((o) => `--${o}`)
        .join(', ');
      throw new UsageError(`${command}: unknown option '${option}' (it takes ${known})`);
    }
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
      throw new UsageError(`${command}: ${e.message.split('\n')[0].replace(/^Option /, 'option ')}`);
    throw new UsageError(`${command}: ${e.message.split('\n')[0]}`);
  }
  if (parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals[maxPositionals];
    throw new UsageError(
      `${command}: unexpected argument '${extra.slice(0, 40)}' (quote a query with spaces: '${extra.slice(0, 20)} …')`,
    );
  }
  return parsed;
}

/** `--url` as an http(s) base URL without a trailing slash. */
export function baseUrl(value: string | undefined, env: Record<string, string | undefined>): string {
  const text = value ?? env.SLUICE_URL ?? 'http://127.0.0.1:8080';
  const from =
    value !== undefined ? '--url' : env.SLUICE_URL !== undefined ? 'SLUICE_URL' : 'the default URL';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `${from} '${text.slice(0, 80)}' is not a URL; write it as http://host:port, e.g. http://127.0.0.1:8080`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(
      `${from} '${text.slice(0, 80)}' is not an http(s) URL; write it as http://host:port`,
    );
  return text.replace(/\/+$/, '');
}

/** A whole number within bounds, or a usage error naming the option. */
export function wholeNumber(name: string, value: string, min: number, max: number, hint = ''): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new UsageError(
      `--${name} must be a whole number from ${min} to ${max}, not '${value.slice(0, 20)}'${hint}`,
    );
  return n;
}
