import { parseArgs } from 'node:util';
import { ConfigError } from '../core/config/configError.ts';
import { loadConfig } from '../core/config/parseConfig.ts';
import { createLogger } from '../core/log/logger.ts';
import { checkServerConfig, formatChecked } from './checks/checkConfig.ts';
import { serverConfigSchema } from './config/schema.ts';
import { formatRetentionRun, retentionDryRun } from './retention/dryRun.ts';
import { rolesUsage } from './roles/describeRoles.ts';
import { parseRolesFlag } from './roles/rolesFlag.ts';
import { quietKnownWarnings } from './server/quietWarnings.ts';
import { startServerProcesses } from './server/startProcesses.ts';

/**
 * `node backend/main.ts --config sluice.yaml [--roles gateway,processor]`: one Sluice server process.
 * SIGTERM/SIGINT stop it gracefully (no new requests, workers drain and commit), bounded by a deadline.
 */
const USAGE = `usage: node backend/main.ts --config <sluice.yaml> [--roles <role,…>]
       node backend/main.ts --config <sluice.yaml> [--roles …] --check-config [--no-environment]
                             (parse, then check every store the roles use and the listen address; one line each;
                              exit 1 if one fails; --no-environment: parse only)
       node backend/main.ts --config <sluice.yaml> --retention-dry-run [--json]   (what retention would drop now)
${rolesUsage()}`;

quietKnownWarnings();
const { values } = parseArgs({
  options: {
    config: { type: 'string', short: 'c' },
    roles: { type: 'string' },
    'check-config': { type: 'boolean' },
    'no-environment': { type: 'boolean' },
    'retention-dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (values.config === undefined) {
  console.error(`missing --config\n${USAGE}`);
  process.exit(2);
}

let config: Awaited<ReturnType<typeof loadConfig<typeof serverConfigSchema>>>;
try {
  config = await loadConfig(values.config, serverConfigSchema);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
if (values.roles !== undefined) {
  const roles = parseRolesFlag(values.roles);
  if (!roles.ok) {
    console.error(roles.error);
    process.exit(2);
  }
  config = { ...config, roles: roles.roles };
}
const log = createLogger({ level: config.log.level, component: 'sluice' });
if (values['check-config']) {
  if (values['no-environment']) {
    console.log(`${values.config}: ok (parsed; engines not checked)`);
    process.exit(0);
  }
  // Parsing passed; now whether each store the roles use is reachable and writable, one line each.
  const checked = await checkServerConfig(config, log);
  for (const c of checked) console.log(formatChecked(c));
  const failures = checked.filter((c) => !c.result.ok).length;
  console.log(
    `${values.config}: ${failures === 0 ? 'ok' : `${failures} of ${checked.length} checks failed`}`,
  );
  process.exit(failures === 0 ? 0 : 1);
}

if (values['retention-dry-run']) {
  const run = await retentionDryRun(config, log);
  console.log(values.json ? JSON.stringify(run) : formatRetentionRun(run));
  process.exit(run.steps.some((s) => s.error !== undefined) ? 1 : 0);
}
const server = await startServerProcesses(config, log);

const SHUTDOWN_DEADLINE_MS = 30_000;
let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info('stopping', { signal });
  const deadline = setTimeout(() => {
    log.error('graceful stop took too long; exiting', { deadline_ms: SHUTDOWN_DEADLINE_MS });
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS);
  deadline.unref();
  server.stop().then(
    () => process.exit(0),
    (error) => {
      log.error('stop failed', { error: (error as Error).message });
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
