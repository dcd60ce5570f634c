import { randomBytes } from 'node:crypto';
import { access, constants, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { CheckResult } from './checkResult.ts';

/**
 * state_dir must take checkpoints and the spool. An existing directory is proved by writing and removing a
 * small file in it (permissions, a read-only mount, SELinux all show); a missing one must be creatable, so
 * its nearest existing parent must be a writable directory. Nothing is left behind either way.
 */
export async function checkStateDir(stateDir: string): Promise<CheckResult> {
  const component = `state_dir ${stateDir}`;
  const path = resolve(stateDir);
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error) {
    if (info.code !== 'ENOENT' && info.code !== 'ENOTDIR')
      return { component, status: 'fail', detail: `cannot be read (${info.message})` };
    return checkCreatable(component, path);
  }
  if (!info.isDirectory()) return { component, status: 'fail', detail: 'exists and is not a directory' };
  const probe = resolve(path, `.sluice-check-${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(probe, '');
    await rm(probe);
  } catch (error) {
    return {
      component,
      status: 'fail',
      detail: `not writable (${(error as Error).message}); the agent keeps checkpoints and its spool here`,
    };
  }
  return { component, status: 'ok', detail: 'writable' };
}

async function checkCreatable(component: string, path: string): Promise<CheckResult> {
  let parent = dirname(path);
  for (;;) {
    const info = await stat(parent).catch(() => undefined);
    if (info !== undefined) {
      if (!info.isDirectory())
        return { component, status: 'fail', detail: `cannot be created: ${parent} is not a directory` };
      try {
        await access(parent, constants.W_OK | constants.X_OK);
      } catch (error) {
        return {
          component,
          status: 'fail',
          detail: `cannot be created in ${parent} (${(error as Error).message})`,
        };
      }
      return { component, status: 'ok', detail: `does not exist yet; the agent will create it in ${parent}` };
    }
    if (dirname(parent) === parent)
      return { component, status: 'fail', detail: 'no existing parent directory' };
    parent = dirname(parent);
  }
}
