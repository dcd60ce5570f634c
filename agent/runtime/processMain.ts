/**
 * The agent process (docs/agent.md), loaded by agent/main.ts: command line, config, start, metrics
 * endpoint, stop on a signal. Exit codes: 0 stopped cleanly, 1 failed while running (or, with --check-config, a
 * check of the gateway, state_dir or paths failed), 2 bad config or usage.
 */
import { ConfigError } from '../../core/config/configError.ts';
import { createLogger, type Logger } from '../../core/log/logger.ts';
import { checkAgentEnvironment, formatReport } from '../check/checkConfig.ts';
import type { AgentConfig } from '../config/schema.ts';
import { type Agent, startAgent } from './agent.ts';
import { describeConfig, loadAgentConfig } from './agentConfig.ts';
import { type CliOptions, parseCli, USAGE, UsageError } from './cli.ts';
import { startMetricsServer } from './metricsServer.ts';
import { onStopSignals } from './signals.ts';
import { AGENT_VERSION } from './version.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** Time past the shutdown deadline after which the process exits whatever is still running. */
const WATCHDOG_GRACE_MS = 2000;

export async function main(argv: readonly string[], env: Env): Promise<number> {
  let cli: CliOptions;
  try {
    cli = parseCli(argv, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`sluice-agent: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (cli.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (cli.command === 'version') {
    process.stdout.write(`sluice-agent ${AGENT_VERSION}\n`);
    return 0;
  }
  let config: AgentConfig;
  try {
    config = await loadAgentConfig(cli.configPath, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // For people: file:line:column per problem, all of them at once. Not a JSON log line on purpose.
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  if (cli.command === 'check') {
    if (cli.noEnvironment) {
      process.stdout.write(`${describeConfig(cli.configPath, config)}\n`);
      return 0;
    }
    const results = await checkAgentEnvironment(config);
    process.stdout.write(`${formatReport(cli.configPath, results)}\n`);
    return results.some((r) => r.status === 'fail') ? 1 : 0;
  }
  return run(config, cli, createLogger({ level: config.log.level, component: 'agent' }));
}

async function run(config: AgentConfig, cli: CliOptions, log: Logger): Promise<number> {
  let agent: Agent;
  try {
    agent = await startAgent(config, { log });
  } catch (error) {
    log.error('the agent could not start', { error: (error as Error).message });
    return 1;
  }
  let metricsUrl: string;
  let closeServer: () => Promise<void>;
  try {
    const server = await startMetricsServer({
      listen: config.metrics.listen,
      metrics: agent.metrics,
      health: agent.health,
      log,
    });
    metricsUrl = server.url;
    closeServer = server.close;
  } catch (error) {
    log.error('the metrics endpoint could not listen; change metrics.listen', {
      listen: config.metrics.listen,
      error: (error as Error).message,
    });
    await agent.stop(cli.shutdownTimeoutMs);
    return 1;
  }
  log.info('agent started', {
    version: AGENT_VERSION,
    gateway: config.gateway.url,
    inputs: config.inputs.length,
    metrics: `${metricsUrl}/metrics`,
    pid: process.pid,
  });

  const why = await new Promise<{ signal?: string; error?: unknown; ended?: true }>((resolve) => {
    onStopSignals(
      (signal) => resolve({ signal }),
      (signal) => {
        log.error('second stop signal: exiting without finishing the shutdown', { signal });
        process.exit(130);
      },
    );
    agent.finished.then(
      () => resolve({ ended: true }),
      (error: unknown) => resolve({ error }),
    );
  });
  if (why.error !== undefined) log.error('an input failed; stopping', { error: String(why.error) });
  else log.info(why.ended ? 'every input ended; stopping' : 'stopping', { signal: why.signal });

  // The deadline is the shipper's and is kept; this is the backstop for a disk that hangs.
  const watchdog = setTimeout(() => {
    log.error('shutdown overran its deadline; exiting now', { deadline_ms: cli.shutdownTimeoutMs });
    process.exit(1);
  }, cli.shutdownTimeoutMs + WATCHDOG_GRACE_MS);
  watchdog.unref();
  const report = await agent.stop(cli.shutdownTimeoutMs);
  await closeServer();
  clearTimeout(watchdog);
  log.info('agent stopped', { ...report });
  return why.error === undefined ? 0 : 1;
}

main(process.argv.slice(2), process.env).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`sluice-agent: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
