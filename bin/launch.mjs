#!/usr/bin/env node
// Runs Sluice's TypeScript under a Node.js that can (>= package.json engines.node), whatever node started
// it: plain JavaScript for Node >= 18, so `npm start` on a machine whose Node is 20 works instead of
// failing with ERR_UNKNOWN_FILE_EXTENSION ".ts".
//
//   node bin/launch.mjs backend/main.ts --config sluice.yaml   run an entry (npm start, the bins)
//   node bin/launch.mjs --test 'core/**/*.test.ts'              any node command line (npm test)
//   node bin/launch.mjs --which-node                            print that Node's path (deploy/local/node.sh)
import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { constants } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LaunchError, newEnoughNode, REPO } from './findNode.mjs';

/** The signals a supervisor or a terminal uses to stop or poke the process; all reach the child. */
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

/**
 * A terminal's Ctrl-C reaches every process of its group (this one and the child) and npm forwards its
 * own copy too: copies of one signal this close together are one request, forwarded once.
 */
const SAME_REQUEST_MS = 1000;

/**
 * Runs `args` (a node command line: an entry file and its arguments, or node flags) under a new enough
 * Node. An entry file under a Node that is new enough already is imported in this process: no second
 * process, so signals and the exit code are the entry's own.
 */
export async function launch(args) {
  let node;
  try {
    node = newEnoughNode();
  } catch (error) {
    if (!(error instanceof LaunchError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const [first, ...rest] = args;
  if (node === process.execPath && first !== undefined && !first.startsWith('-')) {
    const entry = resolve(first);
    process.argv = [process.execPath, entry, ...rest];
    await import(pathToFileURL(entry).href);
    return;
  }
  reexec(node, args);
}

/** Runs `node args` as a child and becomes it: same stdio, signals forwarded, its exit code or signal. */
function reexec(node, args) {
  // That Node first on the child's PATH too, so whatever it runs as `node` is the same.
  const PATH = [dirname(node), process.env.PATH].filter(Boolean).join(delimiter);
  const child = spawn(node, args, { stdio: 'inherit', env: { ...process.env, PATH } });
  const lastSent = new Map();
  const forward = (signal) => {
    const now = Date.now();
    if (now - (lastSent.get(signal) ?? Number.NEGATIVE_INFINITY) < SAME_REQUEST_MS) return;
    lastSent.set(signal, now);
    child.kill(signal);
  };
  for (const signal of FORWARDED) process.on(signal, forward);
  child.on('error', (error) => {
    process.stderr.write(`sluice: could not run ${node}: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal === null) process.exit(code ?? 1);
    // Die of the same signal, so a shell or supervisor sees what the child saw.
    for (const s of FORWARDED) process.removeAllListeners(s);
    process.kill(process.pid, signal);
    setTimeout(() => process.exit(128 + (constants.signals[signal] ?? 0)), 1000).unref();
  });
}

/** The bins (bin/sluice*.mjs): an entry relative to the repository, whatever the working directory. */
export function launchEntry(entry) {
  return launch([isAbsolute(entry) ? entry : join(REPO, entry), ...process.argv.slice(2)]);
}

if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args[0] === '--which-node') {
    try {
      process.stdout.write(`${newEnoughNode()}\n`);
    } catch (error) {
      if (!(error instanceof LaunchError)) throw error;
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
  } else if (args.length === 0) {
    process.stderr.write('usage: node bin/launch.mjs <entry.ts> [args…] | <node flags…> | --which-node\n');
    process.exit(2);
  } else {
    await launch(args);
  }
}
