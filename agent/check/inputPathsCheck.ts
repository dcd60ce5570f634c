import type { AgentConfig } from '../config/schema.ts';
import { compileDiscovery, discover } from '../inputs/file/discover.ts';
import type { FileInputError } from '../inputs/file/fileInputError.ts';
import type { CheckResult } from './checkResult.ts';

type Input = AgentConfig['inputs'][number];

/**
 * Expands a file input's patterns once, as its first scan will: how many files it would read now, and any
 * directory it could not read. No match is a warning, not a failure: the application may not have
 * written its first line yet, and the agent picks files up as they appear.
 */
export async function checkInputPaths(input: Input, index: number): Promise<CheckResult> {
  if (input.type !== 'file') {
    return { component: `input ${index} (${input.service})`, status: 'ok', detail: 'reads standard input' };
  }
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
