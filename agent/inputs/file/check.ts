import type { CheckResult } from '../../check/checkResult.ts';
import type { FileInputConfig } from './config.ts';
import { compileDiscovery, discover } from './discover.ts';
import type { FileInputError } from './fileInputError.ts';

/**
 * Expands a file input's patterns once, as its first scan will: how many files it would read now, and any
 * directory it could not read. No match is a warning, not a failure: the application may not have
 * written its first line yet, and the agent picks files up as they appear.
 */
export async function checkFilePaths(input: FileInputConfig, index: number): Promise<CheckResult> {
  const component = `input ${index} (${input.service}) ${input.paths.join(', ')}`;
  const errors: FileInputError[] = [];
  let count: number;
  try {
    count = (await discover(compileDiscovery(input.paths, input.exclude), (e) => errors.push(e))).size;
  } catch (error) {
    return { component, status: 'fail', detail: (error as Error).message };
  }
  const files = `${count} file${count === 1 ? '' : 's'} match${count === 1 ? 'es' : ''} now`;
  if (errors.length > 0) return { component, status: 'fail', detail: `${files}, but ${errors[0].message}` };
  if (count === 0)
    return { component, status: 'warn', detail: `${files}; files that appear later are picked up` };
  return { component, status: 'ok', detail: files };
}
