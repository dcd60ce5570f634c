import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  type ImportGraph,
  importCycles,
  importSpecifiers,
  layerViolations,
  readImportGraph,
  SLUICE_LAYERS,
} from './importGraph.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../test/fixtures/layers/', import.meta.url));

const repoGraph = (): Promise<ImportGraph> =>
  readImportGraph(REPO, SLUICE_LAYERS, (path) => path.startsWith('test/fixtures/'));

const listed = (lines: string[]) => (lines.length === 0 ? '' : `\n  ${lines.join('\n  ')}`);

describe('layers', () => {
  it('core/ imports nothing from agent/, gateway/ or backend/; agent/ and gateway/ nothing from backend/ or each other', async () => {
    const violations = layerViolations(await repoGraph(), SLUICE_LAYERS);
    assert.deepEqual(
      violations,
      [],
      `forbidden imports (docs/development.md, "Layers"): hand what is needed down instead${listed(
        violations.map(({ from, to }) => `${from} → ${to}`),
      )}`,
    );
  });

  it('no module imports itself through others', async () => {
    const cycles = importCycles(await repoGraph());
    assert.deepEqual(
      cycles,
      [],
      `import cycles: move what both sides need into a file of its own${listed(cycles.map((c) => c.join(' → ')))}`,
    );
  });

  it('fails on a fixture that imports upwards and in a circle', async () => {
    const graph = await readImportGraph(FIXTURE, SLUICE_LAYERS);
    assert.deepEqual(layerViolations(graph, SLUICE_LAYERS), [
      { from: 'core/config.ts', to: 'backend/store.ts' },
      { from: 'core/config.ts', to: 'agent/schema.ts' },
      { from: 'agent/ship.ts', to: 'gateway/app.ts' },
    ]);
    assert.deepEqual(importCycles(graph), [['agent/lane.ts', 'agent/settle.ts', 'agent/lane.ts']]);
  });
});

describe('importSpecifiers', () => {
  it('reads static, multi-line, type-only, re-exporting and dynamic imports', () => {
    const text = [
      "import { a } from './a.ts';",
      'import {',
      '  b,',
      "} from '../b.ts';",
      "import type { C } from './c.ts';",
      "import './d.ts';",
      "export { e } from './e.ts';",
      "export type { F } from './f.ts';",
      "export * from './g.ts';",
      'export const h = 1;',
      "const i = await import('./i.ts');",
    ].join('\n');
    assert.deepEqual(importSpecifiers(text), [
      './a.ts',
      '../b.ts',
      './c.ts',
      './d.ts',
      './e.ts',
      './f.ts',
      './g.ts',
      './i.ts',
    ]);
  });

  it('skips imports written in comments and inside strings', () => {
    const text = [
      "// import { a } from './a.ts';",
      '/**',
      " * import('./b.ts')",
      ' */',
      'const text = "import { c } from \'./c.ts\'";',
      "  // const d = await import('./d.ts');",
    ].join('\n');
    assert.deepEqual(importSpecifiers(text), []);
  });

  it('finds a cycle of one file importing itself', () => {
    const graph: ImportGraph = { imports: new Map([['core/a.ts', ['core/a.ts']]]) };
    assert.deepEqual(importCycles(graph), [['core/a.ts', 'core/a.ts']]);
  });
});
