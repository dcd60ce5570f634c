import { readFile } from 'node:fs/promises';
import { ConfigError, type ConfigProblem } from '../../core/config/configError.ts';
import type { Env } from '../../core/config/envExpand.ts';
import { locate, type PathKey, renderPath } from '../../core/config/locate.ts';
import { loadConfig } from '../../core/config/parseConfig.ts';
import { readYaml } from '../../core/config/readYaml.ts';
import { createMasker, type Masker } from '../../core/mask/index.ts';
import { type AgentConfig, agentConfigSchema } from '../config/schema.ts';
import type { InputKind } from '../inputs/inputKind.ts';
import { kindOf } from '../inputs/table.ts';
import { createPipeline } from '../pipeline/pipeline.ts';

interface Problem {
  path: PathKey[];
  message: string;
}

/**
 * Reads and validates agent.yaml: the schema (types, unknown keys, units; every problem at once with
 * file:line), then what only shows when the pieces are built: each input's parser and multiline rule,
 * the masking rules, at most one stdin input. `--check-config` and start-up share this, so a config
 * that passes the check starts.
 */
export async function loadAgentConfig(path: string, env: Env = process.env): Promise<AgentConfig> {
  const config = await loadConfig(path, agentConfigSchema, { env });
  const problems = crossCheck(config);
  if (problems.length === 0) return config;
  const { doc, lineCounter } = readYaml(await readFile(path, 'utf8'), path, env);
  throw ConfigError.invalid(
    path,
    problems.map(
      (p): ConfigProblem => ({
        file: path,
        ...locate(doc, lineCounter, p.path),
        path: renderPath(p.path),
        message: p.message,
      }),
    ),
  );
}

function crossCheck(config: AgentConfig): Problem[] {
  const problems: Problem[] = [];
  let masker: Masker | undefined;
  try {
    masker = createMasker(config.mask);
  } catch (error) {
    problems.push({ path: ['mask'], message: (error as Error).message });
  }
  let stdin = 0;
  config.inputs.forEach((input, i) => {
    if (input.type === 'stdin' && ++stdin > 1) {
      problems.push({ path: ['inputs', i, 'type'], message: 'only one stdin input can read standard input' });
    }
    if (masker === undefined) return;
    try {
      // Built and thrown away: the same code as at start-up, so the check cannot disagree with it.
      createPipeline(input, config, { masker, env: {}, hostname: 'check' });
    } catch (error) {
      problems.push({ path: ['inputs', i], message: (error as Error).message });
    }
  });
  return problems;
}

/** One line for `--check-config` when the file is valid. */
export function describeConfig(path: string, config: AgentConfig): string {
  const inputs = config.inputs.map((input) => (kindOf(input.type) as InputKind).describe(input));
  return [
    `${path}: OK`,
    `  gateway  ${config.gateway.url} (${config.gateway.compression}${config.gateway.api_key === undefined ? ', no api_key' : ''})`,
    `  state    ${config.state_dir}`,
    `  metrics  http://${config.metrics.listen}/metrics`,
    `  inputs   ${inputs.length === 0 ? 'none (nothing will be read)' : inputs.join('; ')}`,
  ].join('\n');
}
