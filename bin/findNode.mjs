// Finding a Node.js new enough for Sluice (plain JavaScript: this runs on the machine's Node, maybe 18).
// One implementation for the launcher (bin/launch.mjs) and deploy/local/node.sh.
import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = dirname(dirname(fileURLToPath(import.meta.url)));

/** The Node.js major the npm registry's `node-<os>-<cpu>` packages provide when the machine has none new enough. */
export const PROVISIONED_MAJOR = 24;

/** A message for people: one line, no stack trace. */
export class LaunchError extends Error {}

/** The lowest version package.json's `engines.node` (">=22.18") allows: the one place it is written. */
export function requiredVersion() {
  const range = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).engines?.node ?? '';
  const match = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
  if (match === null)
    throw new LaunchError(`package.json engines.node "${range}" is not of the form ">=X.Y"`);
  return match.slice(1, 4).map((part) => Number(part ?? 0));
}

/** True when `version` ("22.18.0") is at least `minimum` ([22, 18, 0]). */
export function isNewEnough(version, minimum) {
  const parts = version.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((parts[i] ?? 0) !== minimum[i]) return (parts[i] ?? 0) > minimum[i];
  }
  return true;
}

export function cacheDir(env = process.env) {
  return env.SLUICE_CACHE || join(homedir(), '.cache', 'sluice');
}

/** The npm package holding Node's binary for this machine, or undefined where none is published. */
export function nodePackage() {
  const os = { linux: 'linux', darwin: 'darwin' }[process.platform];
  const cpu = { x64: 'x64', arm64: 'arm64' }[process.arch];
  return os && cpu ? `node-${os}-${cpu}` : undefined;
}

/** Where a provisioned Node `major` lives: `<cache>/node<major>/node_modules/<package>/bin/node`. */
export function provisionedNode(major = PROVISIONED_MAJOR, env = process.env) {
  const pkg = nodePackage();
  return pkg && join(cacheDir(env), `node${major}`, 'node_modules', pkg, 'bin', 'node');
}

/** The version a node binary reports, or undefined when it does not run. */
export function versionOf(node) {
  const run = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8', timeout: 15_000 });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

/** Every executable `node` on PATH, in PATH order, each real file once. */
export function nodesOnPath(env = process.env) {
  const seen = new Set();
  const found = [];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'node');
    try {
      accessSync(candidate, constants.X_OK);
      const real = realpathSync(candidate);
      if (seen.has(real)) continue;
      seen.add(real);
      found.push(candidate);
    } catch {
      // no node in this PATH entry
    }
  }
  return found;
}

/** A node ≥ `minimum` on PATH or in the cache (not the one running now), or undefined. */
export function findNode(minimum, env = process.env) {
  const self = realpathSync(process.execPath);
  const candidates = nodesOnPath(env).filter((node) => realpathSync(node) !== self);
  const cached = provisionedNode(PROVISIONED_MAJOR, env);
  if (cached !== undefined && existsSync(cached)) candidates.push(cached);
  for (const node of candidates) {
    const version = versionOf(node);
    if (version !== undefined && isNewEnough(version, minimum)) return node;
  }
  return undefined;
}

/**
 * Installs `node-<os>-<cpu>@<major>` from the npm registry into the cache and returns its binary. Installed
 * beside the target and renamed when complete, so an interrupted or concurrent install never leaves a
 * half-written Node where the next run would pick it up.
 */
export function provisionNode(major = PROVISIONED_MAJOR, env = process.env) {
  const pkg = nodePackage();
  if (pkg === undefined) {
    throw new LaunchError(`the npm registry has no Node.js package for ${process.platform}-${process.arch}`);
  }
  const target = join(cacheDir(env), `node${major}`);
  const binary = provisionedNode(major, env);
  const partial = `${target}.partial-${process.pid}`;
  mkdirSync(dirname(target), { recursive: true });
  process.stderr.write(
    `sluice: installing Node.js ${major} (${pkg}@${major}, ~30 MB, once) from the npm registry into ${target}\n`,
  );
  const npm = npmCommand(env);
  const args = ['install', '--no-save', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'];
  const run = spawnSync(npm[0], [...npm.slice(1), ...args, '--prefix', partial, `${pkg}@${major}`], {
    encoding: 'utf8',
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    if (run.error !== undefined) throw new LaunchError(`npm could not run (${run.error.message})`);
    if (run.status !== 0)
      throw new LaunchError(`npm install ${pkg}@${major} failed (${npmReason(run.stderr)})`);
    if (!existsSync(binary)) {
      try {
        renameSync(partial, target);
      } catch (error) {
        // Another launcher finished first: its copy is as good as ours.
        if (!existsSync(binary)) throw error;
      }
    }
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  if (versionOf(binary) === undefined)
    throw new LaunchError(`the Node.js installed at ${binary} does not run`);
  return binary;
}

/** npm as the current npm script runs it (npm_execpath), else the npm on PATH. */
function npmCommand(env) {
  const execPath = env.npm_execpath;
  if (execPath !== undefined && /npm-cli\.js$/.test(execPath)) return [process.execPath, execPath];
  return ['npm'];
}

/** npm's own one-line reason ("code ECONNREFUSED", "404 Not Found …"), from its error output. */
function npmReason(stderr) {
  const lines = (stderr ?? '')
    .split('\n')
    .map((line) => line.replace(/^npm (error|ERR!)\s*/, '').trim())
    .filter((line) => line !== '' && !/^(A complete log|Log files)/.test(line));
  const code = lines.find((line) => line.startsWith('code '));
  const detail = lines.find((line) => !/^(code|errno|syscall) /.test(line));
  return [code, detail].filter(Boolean).join(': ') || 'no output';
}

/**
 * A Node.js new enough for Sluice: this one, one on PATH or in the cache, else Node 24 provisioned from
 * the npm registry. Throws LaunchError with one line saying what to install when none can be had.
 */
export function newEnoughNode(env = process.env) {
  const minimum = requiredVersion();
  if (isNewEnough(process.versions.node, minimum)) return process.execPath;
  const found = findNode(minimum, env);
  if (found !== undefined) return found;
  try {
    return provisionNode(PROVISIONED_MAJOR, env);
  } catch (error) {
    const why = error instanceof LaunchError ? error.message : String(error?.message ?? error);
    throw new LaunchError(
      `Sluice needs Node.js >= ${minimum.slice(0, 2).join('.')} (this is ${process.versions.node}; none newer on PATH or in ${cacheDir(env)}), and ${why}: install Node.js ${PROVISIONED_MAJOR} LTS (https://nodejs.org/ or your package manager) and run this again`,
    );
  }
}
