/**
 * `npm run build:agent`: builds the agent as one self-contained linux-x64 executable, dist/sluice-agent
 * (docs/agent.md, "The single binary"). `--out <path>` writes it elsewhere (tests build into a temp dir).
 *
 *   bundle (esbuild) → SEA blob (node --experimental-sea-config) → copy of node, stripped → inject (postject)
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AGENT_VERSION } from '../runtime/version.ts';
import { BuildError, bundleAgent } from './bundle.ts';
import { makeExecutable } from './sea.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

async function build(out: string): Promise<void> {
  const t0 = performance.now();
  const work = await mkdtemp(join(tmpdir(), 'sluice-agent-build-'));
  try {
    const bundle = join(work, 'sluice-agent.cjs');
    const { esbuildVersion } = await bundleAgent(REPO, bundle);
    await mkdir(dirname(out), { recursive: true });
    // Built beside its final name and renamed: a failed build never leaves half a binary at `out`.
    const partial = `${out}.partial`;
    await makeExecutable(REPO, bundle, work, partial);
    await rename(partial, out);
    // The binary must know its version with nothing beside it: run it with an empty environment.
    const printed = execFileSync(out, ['--version'], { env: {}, encoding: 'utf8' }).trim();
    if (printed !== `sluice-agent ${AGENT_VERSION}`) {
      throw new BuildError('build_failed', `the built binary printed "${printed}" for --version`);
    }
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
    process.stdout.write(
      `${out}: sluice-agent ${AGENT_VERSION}, ${mb((await stat(out)).size)} (bundle ${mb((await stat(bundle)).size)}, ` +
        `node ${process.version}, esbuild ${esbuildVersion}) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const { values } = parseArgs({ options: { out: { type: 'string' } } });
try {
  await build(resolve(values.out ?? join(REPO, 'dist/sluice-agent')));
} catch (error) {
  process.stderr.write(`build:agent failed: ${(error as Error).message}\n`);
  process.exitCode = error instanceof BuildError && error.code === 'build_dependency_missing' ? 3 : 1;
}
