import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface AgentYamlOptions {
  /** The test's temporary directory: agent.yaml is written there and `state_dir` is `<dir>/state`. */
  dir: string;
  gateway: { url: string; key: string };
  /** The items of `inputs:`, as YAML indented by two spaces (`  - type: file\n    paths: …`). */
  inputs: string;
  /** More keys of `gateway:` (`compression: zstd`). */
  gatewayOptions?: string;
  /** `enrich:`; the default keeps a test off the Kubernetes API. */
  enrich?: string;
  /** `batch:`; the default sends within 50 ms, so tests wait little. */
  batch?: string;
  /** Any other top-level keys, as YAML. */
  extra?: string;
}

/**
 * Writes the agent.yaml of an integration test and returns its path: the test's gateway and key, state
 * in the temp dir, metrics on a free port, small quick batches, then the test's inputs.
 */
export async function writeAgentYaml(options: AgentYamlOptions): Promise<string> {
  const path = join(options.dir, 'agent.yaml');
  const gateway = [
    `url: "${options.gateway.url}"`,
    `api_key: "${options.gateway.key}"`,
    ...(options.gatewayOptions === undefined ? [] : [options.gatewayOptions]),
  ].join(', ');
  await writeFile(
    path,
    `gateway: { ${gateway} }
state_dir: ${join(options.dir, 'state')}
batch: ${options.batch ?? '{ max_events: 100, max_wait: 50ms }'}
metrics: { listen: "127.0.0.1:0" }
enrich: ${options.enrich ?? '{ kubernetes: off }'}
${options.extra ?? ''}
inputs:
${options.inputs}
`,
  );
  return path;
}
