import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as v from 'valibot';
import { ConfigError } from './configError.ts';
import type { Env } from './envExpand.ts';
import { issueMessage } from './issueMessage.ts';
import { issueProblems } from './issueProblems.ts';
import { readYaml } from './readYaml.ts';

export interface ConfigOptions {
  /** Variables for `${VAR}` references; process.env when absent. */
  env?: Env;
}

export interface LoadOptions extends ConfigOptions {
  /** When true, a missing file reads as an empty one (all defaults) instead of failing. */
  optional?: boolean;
}

/**
 * Reads, expands and validates one config file. Throws ConfigError: `config_not_found` naming the path
 * tried, `config_unreadable` with the OS reason, or `config_invalid` listing every problem.
 */
export async function loadConfig<const TSchema extends v.GenericSchema>(
  path: string,
  schema: TSchema,
  options: LoadOptions = {},
): Promise<v.InferOutput<TSchema>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code;
    if (reason === 'ENOENT' && options.optional) text = '';
    else if (reason === 'ENOENT') {
      throw new ConfigError(
        'config_not_found',
        path,
        `config file not found: tried ${resolve(path)}; create it (an empty file gives the defaults) or give the path of an existing one`,
      );
    } else {
      throw new ConfigError(
        'config_unreadable',
        path,
        `cannot read config file ${resolve(path)}: ${(error as Error).message}; check that it is a readable file`,
        [],
      );
    }
  }
  return parseConfig(text, path, schema, options);
}

/**
 * Parses YAML text, expands `${VAR}` references in string values, and validates against `schema`,
 * filling defaults. An empty file is an empty mapping and an empty value (`key:`) is an absent key.
 * `fileName` is only used in messages.
 */
export function parseConfig<const TSchema extends v.GenericSchema>(
  text: string,
  fileName: string,
  schema: TSchema,
  options: ConfigOptions = {},
): v.InferOutput<TSchema> {
  const { doc, lineCounter, input } = readYaml(text, fileName, options.env ?? process.env);
  const result = v.safeParse(schema, input, { message: issueMessage });
  if (result.success) return result.output;
  throw ConfigError.invalid(
    fileName,
    issueProblems(result.issues, { file: fileName, doc, lineCounter, schema, input }),
  );
}
