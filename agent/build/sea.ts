import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AGENT_V8_FLAGS } from '../runtime/processTuning.ts';
import { BuildError, loadBuildDependency } from './bundle.ts';

interface Postject {
  inject(
    filename: string,
    resourceName: string,
    resourceData: Buffer,
    options: { sentinelFuse: string; overwrite?: boolean },
  ): Promise<void>;
}

/** Node's fixed names for the blob and for the fuse that tells a binary it carries one. */
const SEA_RESOURCE = 'NODE_SEA_BLOB';
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/**
 * Turns the bundle into a Node single-executable application: a copy of the running `node` with the
 * bundle injected as a blob (Node 24: `--experimental-sea-config` makes the blob, postject injects it;
 * Node 25.5+ can do both with `--build-sea`). The result needs nothing beside it: no node, no
 * node_modules, no package.json.
 */
export async function makeExecutable(repo: string, bundle: string, work: string, out: string): Promise<void> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new BuildError(
      'build_platform',
      `the agent binary is built for linux-x64 from a linux-x64 node; this is ${process.platform}-${process.arch}`,
    );
  }
  const blob = join(work, 'sluice-agent.blob');
  const seaConfig = join(work, 'sea-config.json');
  await writeFile(
    seaConfig,
    JSON.stringify({
      main: bundle,
      output: blob,
      disableExperimentalSEAWarning: true,
      // V8's compiled code rides along: start-up skips compiling the bundle (see docs/agent.md).
      useCodeCache: true,
      // The agent's V8 options (runtime/processTuning.ts), built in: a binary has no command line for node.
      execArgv: AGENT_V8_FLAGS,
    }),
  );
  execFileSync(process.execPath, ['--experimental-sea-config', seaConfig], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });

  await copyFile(process.execPath, out);
  await chmod(out, 0o755);
  stripSymbols(out);
  const postject = loadBuildDependency<Postject>(repo, 'postject');
  await postject.inject(out, SEA_RESOURCE, await readFile(blob), { sentinelFuse: SEA_FUSE });
}

/**
 * Drops node's symbol tables and debug info (about 18 MB of 126) when binutils' strip is there. Done
 * before injection, which adds the blob as a note segment strip would not know to keep intact.
 */
function stripSymbols(file: string): void {
  const result = spawnSync('strip', ['--strip-all', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.error !== undefined && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    process.stderr.write('strip not found (binutils): the binary keeps node’s symbols\n');
    return;
  }
  if (result.status !== 0) {
    throw new BuildError('build_failed', `strip failed: ${result.stderr.toString().trim()}`);
  }
}
