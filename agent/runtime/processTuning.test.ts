import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AGENT_ALLOCATOR_ENV, AGENT_V8_FLAGS, restartFor, TUNING_ENV } from './processTuning.ts';

const argv = ['/usr/bin/node', '/opt/sluice/agent/main.ts', '--config', 'agent.yaml'];

describe('the agent process restarts once with its V8 options and allocator settings', () => {
  it('adds what is missing, keeps the command line and environment, and marks the restart', () => {
    const restart = restartFor({
      execArgv: ['--enable-source-maps'],
      argv,
      env: { HOME: '/root' },
      sea: false,
    });
    assert.deepEqual(restart?.args, [
      '/usr/bin/node',
      '--enable-source-maps',
      ...AGENT_V8_FLAGS,
      '/opt/sluice/agent/main.ts',
      '--config',
      'agent.yaml',
    ]);
    assert.deepEqual(restart?.env, { HOME: '/root', ...AGENT_ALLOCATOR_ENV, [TUNING_ENV]: 'on' });
  });

  it('never restarts twice, nor when turned off', () => {
    for (const value of ['on', 'off'])
      assert.equal(restartFor({ execArgv: [], argv, env: { [TUNING_ENV]: value }, sea: false }), undefined);
  });

  it("keeps the user's own V8 options and variables instead of the agent's", () => {
    const given = { NODE_OPTIONS: '--max-semi-space-size=8', MALLOC_ARENA_MAX: '4' };
    assert.equal(restartFor({ execArgv: [], argv, env: given, sea: false }), undefined, 'nothing missing');
    const arena = restartFor({ execArgv: [], argv, env: { MALLOC_ARENA_MAX: '4' }, sea: false });
    assert.equal(arena?.env.MALLOC_ARENA_MAX, '4');
    const cli = restartFor({ execArgv: ['--max-semi-space-size=4'], argv, env: {}, sea: false });
    assert.deepEqual(
      cli?.args.filter((a) => a.startsWith('--max-semi-space-size')),
      ['--max-semi-space-size=4'],
    );
  });

  it('the single binary gets the environment only (its V8 options are built in) and its own arguments once', () => {
    const binary = ['/usr/local/bin/sluice-agent', '/usr/local/bin/sluice-agent', '--config', 'a.yaml'];
    const restart = restartFor({ execArgv: [], argv: binary, env: {}, sea: true });
    assert.deepEqual(restart?.args, ['/usr/local/bin/sluice-agent', '--config', 'a.yaml']);
    assert.equal(restart?.env.MALLOC_ARENA_MAX, AGENT_ALLOCATOR_ENV.MALLOC_ARENA_MAX);
  });
});
