import { apiClient, CliFailure } from './client.ts';
import { alerts, alertsOptions } from './commands/alerts.ts';
import { search, searchOptions } from './commands/search.ts';
import { stats, statsOptions } from './commands/stats.ts';
import { tail, tailOptions } from './commands/tail.ts';
import { trace, traceOptions } from './commands/trace.ts';
import type { CommandContext } from './context.ts';
import { baseUrl, parseCommand, USAGE, UsageError } from './usage.ts';

/** Every command: its options, how many positional arguments it takes, and what it does. */
const COMMANDS = {
  search: { options: searchOptions, positionals: 1, run: search },
  stats: { options: statsOptions, positionals: 1, run: stats },
  trace: { options: traceOptions, positionals: 1, run: trace },
  tail: { options: tailOptions, positionals: 1, run: tail },
  alerts: { options: alertsOptions, positionals: 2, run: alerts },
} as const;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  env: Record<string, string | undefined>;
}

/**
 * The command-line client of the query API; answers the exit code: 0 done, 1 the server failed or
 * could not be reached, 2 a usage error. Every error is one line on stderr, never a stack trace.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      (command === undefined ? io.stderr : io.stdout)(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    if (!Object.hasOwn(COMMANDS, command))
      throw new UsageError(
        command.startsWith('-')
          ? `a command comes first (search, stats, trace, tail, alerts), then options: '${command.slice(0, 20)}'`
          : `unknown command '${command.slice(0, 20)}' (search, stats, trace, tail, alerts)`,
      );
    const spec = COMMANDS[command as keyof typeof COMMANDS];
    const { values, positionals } = parseCommand(command, rest, spec.options, spec.positionals);
    if (values.help === true) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const base = baseUrl(typeof values.url === 'string' ? values.url : undefined, io.env);
    const key = typeof values.key === 'string' ? values.key : io.env.SLUICE_KEY;
    const ctx: CommandContext = {
      client: apiClient(base, key, typeof values.tenant === 'string' ? values.tenant : undefined),
      values,
      positionals,
      out: (line) => io.stdout(`${line}\n`),
      err: (line) => io.stderr(`${line}\n`),
      errRaw: (text) => io.stderr(text),
      errIsTTY: io.stderrIsTTY,
      color: io.stdoutIsTTY && values.json !== true && io.env.NO_COLOR === undefined,
    };
    await spec.run(ctx);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`sluice: ${error.message} (see sluice --help)\n`);
      return 2;
    }
    if (error instanceof CliFailure) {
      io.stderr(`sluice: ${error.message}\n`);
      return 1;
    }
    // A bug of ours: still one line, with what it was.
    io.stderr(`sluice: unexpected error: ${(error as Error).message ?? String(error)}\n`);
    return 1;
  }
}
