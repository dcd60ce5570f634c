import { readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The part of esbuild's API the build uses (esbuild ships its own types; these keep tsc independent of it). */
interface Esbuild {
  version: string;
  build(options: Record<string, unknown>): Promise<{ warnings: Array<{ text: string }> }>;
}

export class BuildError extends Error {
  readonly code: 'build_dependency_missing' | 'build_failed' | 'build_platform';
  constructor(code: BuildError['code'], message: string) {
    super(message);
    this.name = 'BuildError';
    this.code = code;
  }
}

/**
 * Loads a build-time dependency (esbuild, postject) from the project's node_modules, with a message
 * that says what to do when it is not installed. Loaded at build time only, by a name tsc does not
 * follow, so the agent itself never depends on them.
 */
export function loadBuildDependency<T>(repo: string, name: string): T {
  const require = createRequire(join(repo, 'package.json'));
  let resolved: string;
  try {
    resolved = require.resolve(name);
  } catch {
    throw new BuildError(
      'build_dependency_missing',
      `${name} is not installed; it is a devDependency of the agent build: run npm install (package.json lists it)`,
    );
  }
  // Both are CommonJS packages: require gives their exports as they document them.
  return require(resolved) as T;
}

/** esbuild options both bundles share: what Node 24's single-executable support runs. */
function commonOptions(repo: string): Record<string, unknown> {
  return {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    minify: true,
    // Names stay: the agent's own error messages and stack traces name its functions.
    keepNames: true,
    legalComments: 'none',
    logLevel: 'silent',
    absWorkingDir: repo,
  };
}

/**
 * Bundles the agent (agent/main.ts, its own modules and the npm packages it imports: valibot, yaml,
 * undici) into one CommonJS file, the form Node 24's single-executable support runs. TypeScript types
 * are stripped by esbuild; package.json's version is inlined by the JSON import in runtime/version.ts.
 *
 * The pipeline worker (agent/pipeline/worker/pipelineWorker.ts) is bundled first, on its own, and its text goes
 * into the agent's bundle as SLUICE_PIPELINE_WORKER_BUNDLE: a single executable has no file to start a
 * worker from, so it starts it from that text (agent/pipeline/worker/workerScript.ts).
 */
export async function bundleAgent(repo: string, outfile: string): Promise<{ esbuildVersion: string }> {
  const esbuild = loadBuildDependency<Esbuild>(repo, 'esbuild');
  const workerFile = `${outfile}.edge-worker.cjs`;
  const worker = await esbuild.build({
    ...commonOptions(repo),
    entryPoints: [join(repo, 'agent/pipeline/worker/pipelineWorker.ts')],
    outfile: workerFile,
  });
  const workerCode = await readFile(workerFile, 'utf8');
  await rm(workerFile, { force: true });
  const result = await esbuild.build({
    ...commonOptions(repo),
    entryPoints: [join(repo, 'agent/main.ts')],
    outfile,
    define: {
      SLUICE_PIPELINE_WORKER_BUNDLE: JSON.stringify(workerCode),
      // CommonJS has no import.meta. Its one use, the worker's file beside workerScript.ts, is dead code
      // once the worker's text is defined above; undefined makes a use that is not fail loudly.
      'import.meta.url': 'undefined',
    },
  });
  for (const warning of [...worker.warnings, ...result.warnings]) {
    process.stderr.write(`esbuild: ${warning.text}\n`);
  }
  return { esbuildVersion: esbuild.version };
}
