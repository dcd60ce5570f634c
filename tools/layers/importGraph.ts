import { readdir, readFile } from 'node:fs/promises';
import { posix } from 'node:path';

/**
 * The import graph of a tree's TypeScript files, read from their text: enough to check which folder
 * may import which and that no module imports itself through others. Type-only imports count too: a
 * type imported from backend/ ties core/ to backend/ as much as a value does.
 */
export interface ImportGraph {
  /** Repository-relative file → the repository-relative .ts files it imports (relative specifiers only). */
  imports: Map<string, string[]>;
}

/** What each top-level folder may import besides itself; `any` for tooling that sees the whole tree. */
export type LayerRules = Readonly<Record<string, readonly string[] | 'any'>>;

/** Sluice's layers (docs/development.md, "Layers"). */
export const SLUICE_LAYERS: LayerRules = {
  core: [],
  agent: ['core'],
  gateway: ['core'],
  backend: ['core', 'gateway'],
  test: 'any',
  deploy: 'any',
  tools: 'any',
};

/** Tests beside the code, and the contract suites and fakes they share, may also use test/helpers. */
const TEST_FILE = /\.test(kit)?\.ts$|\/(contract|testing)\//;

export interface Violation {
  from: string;
  to: string;
}

/** Reads every .ts file under the layer folders of `root`, except those `skip` names. */
export async function readImportGraph(
  root: string,
  rules: LayerRules,
  skip: (path: string) => boolean = () => false,
): Promise<ImportGraph> {
  const imports = new Map<string, string[]>();
  for (const folder of Object.keys(rules)) {
    for (const file of await tsFiles(root, folder)) {
      if (skip(file)) continue;
      const text = await readFile(posix.join(root, file), 'utf8');
      const targets = importSpecifiers(text)
        .filter((specifier) => specifier.startsWith('.'))
        .map((specifier) => posix.normalize(posix.join(posix.dirname(file), specifier)))
        .filter((target) => target.endsWith('.ts'));
      imports.set(file, [...new Set(targets)]);
    }
  }
  return { imports };
}

async function tsFiles(root: string, folder: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(posix.join(root, folder), { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []; // a layer a tree does not have
    throw error;
  }
  return entries
    .map((entry) => posix.join(folder, entry.split('\\').join('/')))
    .filter((path) => path.endsWith('.ts') && !path.split('/').includes('node_modules'))
    .sort();
}

const STATIC_START = /^(?:import\b|export\s+(?:type\s+)?[{*])/;
const FROM = /\bfrom\s*['"]([^'"]+)['"]/;
const SIDE_EFFECT = /^import\s*['"]([^'"]+)['"]/;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/**
 * The module specifiers a file's text imports: static `import`/`export … from` statements (which Biome
 * keeps at the start of a line, so text inside strings and comments is not mistaken for one) and
 * `import('…')` calls outside comment lines.
 */
export function importSpecifiers(text: string): string[] {
  const found: string[] = [];
  const lines = text.split('\n');
  let inComment = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const trimmed = line.trim();
    if (inComment) {
      if (trimmed.includes('*/')) inComment = false;
      continue;
    }
    if (trimmed.startsWith('//')) continue;
    if (trimmed.startsWith('/*')) {
      inComment = !trimmed.includes('*/');
      continue;
    }
    if (STATIC_START.test(line)) {
      // One statement, possibly over several lines: up to its `from '…'` or its end.
      let statement = line;
      while (!FROM.test(statement) && !/;\s*$/.test(statement) && i + 1 < lines.length) {
        statement += `\n${lines[++i]}`;
      }
      const specifier = FROM.exec(statement)?.[1] ?? SIDE_EFFECT.exec(statement)?.[1];
      if (specifier !== undefined) found.push(specifier);
      continue;
    }
    for (const match of line.matchAll(DYNAMIC)) found.push(match[1]);
  }
  return found;
}

/** Imports that cross layers in a direction `rules` does not allow, in file order. */
export function layerViolations(graph: ImportGraph, rules: LayerRules): Violation[] {
  const violations: Violation[] = [];
  for (const [from, targets] of graph.imports) {
    const layer = layerOf(from);
    const allowed = rules[layer];
    if (allowed === 'any') continue;
    for (const to of targets) {
      const target = layerOf(to);
      if (target === layer || allowed?.includes(target)) continue;
      if (target === 'test' && TEST_FILE.test(from)) continue;
      violations.push({ from, to });
    }
  }
  return violations;
}

function layerOf(path: string): string {
  return path.split('/')[0];
}

/**
 * Every import cycle, each as one path of files that leads back to its first (`a → b → a` is
 * `[a, b, a]`): one per strongly connected group of files, found with Tarjan's algorithm.
 */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const targetsOf = (file: string) => (graph.imports.get(file) ?? []).filter((to) => graph.imports.has(to));

  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const to of targetsOf(file)) {
      if (!index.has(to)) {
        visit(to);
        low.set(file, Math.min(low.get(file)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(file, Math.min(low.get(file)!, index.get(to)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1 || targetsOf(file).includes(file)) groups.push(group);
  };
  for (const file of graph.imports.keys()) if (!index.has(file)) visit(file);

  return groups.map((group) => cycleThrough(group.sort()[0], new Set(group), targetsOf));
}

/** The shortest way from `start` back to itself inside its group (breadth first). */
function cycleThrough(start: string, group: Set<string>, targetsOf: (file: string) => string[]): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const file = queue[head];
    for (const to of targetsOf(file)) {
      if (!group.has(to)) continue;
      if (to === start) {
        const path = [start];
        for (let at: string | undefined = file; at !== undefined && at !== start; at = cameFrom.get(at)) {
          path.unshift(at);
        }
        path.unshift(start);
        return path;
      }
      if (!cameFrom.has(to)) {
        cameFrom.set(to, file);
        queue.push(to);
      }
    }
  }
  return [start, start];
}
