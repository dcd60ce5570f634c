import { parseArgs } from 'node:util';
import { parseDuration } from '../../core/units/duration.ts';

export type Command = 'run' | 'check' | 'version' | 'help';

export interface CliOptions {
  command: Command;
  /** With `check`: the file only (schema, parsers, masks), not the gateway, state_dir or paths. */
  noEnvironment: boolean;
  /** agent.yaml to read. */
  configPath: string;
  /** Longest SIGTERM shutdown: flush, wait for acknowledgements, write checkpoints. */
  shutdownTimeoutMs: number;
}

/** Where the config is looked for when neither `--config` nor SLUICE_AGENT_CONFIG says. */
export const DEFAULT_CONFIG_PATH = 'agent.yaml';
/** Below the 30 s that systemd (TimeoutStopSec) and Kubernetes (terminationGracePeriodSeconds) allow. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

export const USAGE = `Usage: sluice-agent [--config agent.yaml] [--check-config [--no-environment]] [--shutdown-timeout 10s]
       sluice-agent --version

Tails log files (or stdin), processes every line at the edge and ships the events to a Sluice gateway.

  -c, --config <file>          agent.yaml to use (default: $SLUICE_AGENT_CONFIG, else ./agent.yaml)
      --check-config           check the config and exit: the file (2 when invalid), then the gateway
                               (reachable, key accepted), state_dir (writable) and each input's paths
                               (files matching now), one line each (1 when one fails, else 0)
      --no-environment         with --check-config: the file only (for a start that must not wait for
                               the gateway, e.g. systemd's ExecStartPre)
      --shutdown-timeout <d>   longest graceful stop on SIGTERM/SIGINT (default 10s)
  -v, --version                print the version and exit
  -h, --help                   print this help and exit

Docs: docs/agent.md. Exit codes: 0 stopped cleanly, 1 failed while running, 2 bad config or usage.`;

/** A command line that cannot be run: exit 2 with the message and the usage. */
export class UsageError extends Error {
  readonly code = 'usage_invalid';
}

export function parseCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CliOptions {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  let shutdownTimeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS;
  if (values['shutdown-timeout'] !== undefined) {
    try {
      shutdownTimeoutMs = parseDuration(values['shutdown-timeout']);
    } catch (error) {
      throw new UsageError(`--shutdown-timeout: ${(error as Error).message}`);
    }
  }
  const command: Command = values.help
    ? 'help'
    : values.version
      ? 'version'
      : values['check-config']
        ? 'check'
        : 'run';
  if (values['no-environment'] && command !== 'check')
    throw new UsageError('--no-environment goes with --check-config');
  return {
    command,
    noEnvironment: values['no-environment'] ?? false,
    configPath: values.config ?? env.SLUICE_AGENT_CONFIG ?? DEFAULT_CONFIG_PATH,
    shutdownTimeoutMs,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      config: { type: 'string', short: 'c' },
      'check-config': { type: 'boolean' },
      'no-environment': { type: 'boolean' },
      'shutdown-timeout': { type: 'string' },
      version: { type: 'boolean', short: 'v' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
