import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG_PATH, DEFAULT_SHUTDOWN_TIMEOUT_MS, parseCli, UsageError } from './cli.ts';

describe('agent command line', () => {
  it('runs ./agent.yaml by default, or the file SLUICE_AGENT_CONFIG names', () => {
    assert.deepEqual(parseCli([], {}), {
      command: 'run',
      noEnvironment: false,
      configPath: DEFAULT_CONFIG_PATH,
      shutdownTimeoutMs: DEFAULT_SHUTDOWN_TIMEOUT_MS,
    });
    assert.equal(
      parseCli([], { SLUICE_AGENT_CONFIG: '/etc/sluice/agent.yaml' }).configPath,
      '/etc/sluice/agent.yaml',
    );
  });

  it('takes --config / -c over the environment, and --shutdown-timeout as a duration', () => {
    const cli = parseCli(['-c', 'a.yaml', '--shutdown-timeout', '1m30s'], { SLUICE_AGENT_CONFIG: 'b.yaml' });
    assert.deepEqual([cli.configPath, cli.shutdownTimeoutMs], ['a.yaml', 90_000]);
    assert.equal(parseCli(['--config', 'c.yaml'], {}).configPath, 'c.yaml');
  });

  it('knows --check-config, --version and --help', () => {
    assert.equal(parseCli(['--check-config', '-c', 'a.yaml'], {}).command, 'check');
    assert.deepEqual(
      [
        parseCli(['--check-config', '--no-environment'], {}).noEnvironment,
        parseCli(['--check-config'], {}).noEnvironment,
      ],
      [true, false],
    );
    assert.throws(() => parseCli(['--no-environment'], {}), /--no-environment goes with --check-config/);
    assert.equal(parseCli(['--version'], {}).command, 'version');
    assert.equal(parseCli(['-v'], {}).command, 'version');
    assert.equal(parseCli(['-h', '--version'], {}).command, 'help');
  });

  it('refuses unknown options, stray arguments and bad durations with a usage error', () => {
    assert.throws(() => parseCli(['--conifg', 'a.yaml'], {}), UsageError);
    assert.throws(() => parseCli(['agent.yaml'], {}), UsageError);
    assert.throws(() => parseCli(['--shutdown-timeout', 'soon'], {}), /--shutdown-timeout/);
  });
});
