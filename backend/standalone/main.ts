import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../../core/config/configError.ts';
import { loadConfig, parseConfig } from '../../core/config/parseConfig.ts';
import { createLogger } from '../../core/log/logger.ts';
import { type ServerConfig, serverConfigSchema } from '../config/schema.ts';
import { quietKnownWarnings } from '../server/quietWarnings.ts';
import { startServerProcesses } from '../server/startProcesses.ts';
import { startDemoGenerator } from './demoGenerator.ts';

/**
 * `npm start`: all of Sluice in one process on the embedded engines. Without `--config` it is the demo:
 * a fresh `./data`, a generator writing a small shop's logs, and a real agent (its own process) tailing
 * them, so within seconds there is something to search, a request to trace and error rates to chart.
 * `npm start -- --config sluice.yaml` runs the user's configuration and no demo.
 */
quietKnownWarnings();
const { values } = parseArgs({
  options: {
    config: { type: 'string', short: 'c' },
    data: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log('usage: npm start [-- --config sluice.yaml] [--data ./data]');
  process.exit(0);
}

const demo = values.config === undefined;
const dataDir = resolve(values.data ?? process.env.SLUICE_DATA ?? './data');
let config: ServerConfig;
try {
  config = demo ? demoConfig(dataDir) : await loadConfig(values.config!, serverConfigSchema);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}

const log = createLogger({ level: config.log.level, component: 'sluice' });
const server = await startServerProcesses(config, log);
const url = server.url ?? config.listen.gateway;
let agent: ChildProcess | undefined;
let generator: ReturnType<typeof startDemoGenerator> | undefined;

if (demo) {
  const logs = join(dataDir, 'demo', 'logs');
  generator = startDemoGenerator(logs);
  agent = startDemoAgent(dataDir, logs, url);
}
printWelcome(url, demo);
if (demo) {
  setTimeout(() => {
    const failed = generator?.lastFailedRequest();
    if (failed !== undefined)
      console.log(
        `  a failed request to trace:  ${url}/#view=trace&id=${failed}   (sluice trace ${failed})\n`,
      );
  }, 8000).unref();
}

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info('stopping', { signal });
  generator?.stop();
  if (agent !== undefined && agent.exitCode === null) {
    agent.kill('SIGTERM');
    await new Promise((r) => agent!.once('exit', r));
  }
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

function demoConfig(dir: string): ServerConfig {
  mkdirSync(dir, { recursive: true });
  const yaml = `
listen: { gateway: "${process.env.SLUICE_LISTEN ?? '127.0.0.1:8080'}" }
bus: { kind: embedded, dir: ${JSON.stringify(join(dir, 'bus'))} }
search: { kind: sqlite, path: ${JSON.stringify(join(dir, 'search'))} }
metrics: { kind: sqlite, path: ${JSON.stringify(join(dir, 'metrics.db'))} }
archive: { kind: local, dir: ${JSON.stringify(join(dir, 'archive'))} }
# Short windows so the demo's error-rate chart fills within seconds, not minutes.
processing: { builtin_metrics: { size: 10s, allowed_lateness: 2s } }
`;
  return parseConfig(yaml, 'demo configuration', serverConfigSchema);
}

/** The demo's agent: a separate process, as on a real machine, shipping the demo logs to this server. */
function startDemoAgent(dir: string, logs: string, gatewayUrl: string): ChildProcess {
  const configPath = join(dir, 'demo', 'agent.yaml');
  const input = (service: string, format: string) =>
    `  - { type: file, paths: [${JSON.stringify(join(logs, `${service}.log`))}], service: ${service}, format: ${format}, start_at: beginning }`;
  writeFileSync(
    configPath,
    [
      `gateway: { url: "${gatewayUrl}", api_key: "demo" }`,
      `state_dir: ${JSON.stringify(join(dir, 'demo', 'agent-state'))}`,
      'batch: { max_wait: 200ms }',
      'metrics: { listen: "127.0.0.1:0" }',
      'inputs:',
      input('api-gateway', 'json'),
      input('orders', 'logfmt'),
      input('payments', 'json'),
      input('inventory', 'json'),
      '',
    ].join('\n'),
  );
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, '../../agent/main.ts'), '--config', configPath],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  child.on('exit', (code, signal) => {
    if (!stopping) log.error('the demo agent stopped', { code, signal });
  });
  return child;
}

function printWelcome(base: string, isDemo: boolean): void {
  const lines = [
    '',
    `  Sluice is running: ${base}`,
    '',
    `  web UI         ${base}/`,
    `  ingest         POST ${base}/api/v1/ingest   (also /v1/logs, /_bulk, /loki/api/v1/push)`,
    `  search         ${base}/api/v1/search?q=level>=error&from=now-15m`,
    `  error rate     ${base}/api/v1/metrics?name=error_rate&from=now-15m`,
    `  live tail      ${base}/api/v1/tail?q=service:payments`,
    '',
    `  try:  node backend/cli/main.ts search 'payment timeout' --from now-15m --url ${base}`,
  ];
  if (isDemo)
    lines.push(
      '',
      '  demo: a shop logs requests into ./data/demo/logs; an agent ships them here. Ctrl-C stops.',
    );
  console.log(`${lines.join('\n')}\n`);
}
