import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { agentConfigSchema } from '../agent/config/schema.ts';
import { serverConfigSchema } from '../backend/config/schema.ts';
import { type ReferenceSection, renderReference, replaceReference } from '../core/config/referenceDoc.ts';

/**
 * `node tools/docgen.ts` prints the configuration reference of sluice.yaml and agent.yaml; with `--write`
 * it updates docs/configuration.md. It lives outside core/, agent/ and backend/ because it is the one
 * place that knows every schema: core/config/referenceDoc.ts renders whatever schemas it is given.
 */

export function referenceSections(): ReferenceSection[] {
  return [
    { title: 'sluice.yaml (server)', schema: serverConfigSchema },
    { title: 'agent.yaml (agent)', schema: agentConfigSchema },
  ];
}

export const DOCS_PATH = fileURLToPath(new URL('../docs/configuration.md', import.meta.url));

async function main(argv: readonly string[]): Promise<void> {
  const reference = renderReference(referenceSections());
  if (!argv.includes('--write')) {
    process.stdout.write(`${reference}\n`);
    return;
  }
  const document = await readFile(DOCS_PATH, 'utf8');
  await writeFile(DOCS_PATH, replaceReference(document, reference));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
