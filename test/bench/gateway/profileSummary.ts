/**
 * Summarizes a V8 `.cpuprofile` (from `node --cpu-prof`): self time by function and by file/package,
 * and total (inclusive) time of the functions whose names match a filter.
 *
 *   node test/bench/gateway/profileSummary.ts <file.cpuprofile> [--top 25] [--inclusive name1,name2]
 *                                             [--callers name]   # who calls `name`, 3 frames up
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '25' },
    inclusive: { type: 'string' },
    callers: { type: 'string' },
  },
});
const file = positionals[0];
if (file === undefined) {
  console.error(
    'usage: node test/bench/gateway/profileSummary.ts <file.cpuprofile> [--top N] [--inclusive a,b]',
  );
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const top = Number(values.top);

const byId = new Map<number, ProfileNode>();
const parent = new Map<number, number>();
for (const n of profile.nodes) byId.set(n.id, n);
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const selfUs = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const totalUs = profile.endTime - profile.startTime;

function short(url: string): string {
  if (url === '') return '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) return url.slice(nm + 'node_modules/'.length);
  const repo = url.indexOf('/work/');
  if (repo !== -1) return url.slice(url.indexOf('/', repo + 6) + 1);
  return url.replace(/^file:\/\//, '');
}
function group(url: string): string {
  if (url === '') return '(native / VM)';
  if (url.startsWith('node:')) return url;
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  return short(url);
}

const byFunction = new Map<string, number>();
const byGroup = new Map<string, number>();
for (const [id, us] of selfUs) {
  const f = byId.get(id)?.callFrame;
  if (f === undefined) continue;
  const name = `${f.functionName || '(anonymous)'} ${short(f.url)}${f.url ? `:${f.lineNumber + 1}` : ''}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  const g = group(f.url);
  byGroup.set(g, (byGroup.get(g) ?? 0) + us);
}

const pct = (us: number) => `${((100 * us) / totalUs).toFixed(1).padStart(5)}%`;
const list = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${pct(us)} ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  }
};
console.log(`${file}: ${(totalUs / 1e6).toFixed(1)} s profiled, ${profile.samples.length} samples`);
list('self time by file / package', byGroup);
list('self time by function', byFunction);

if (values.inclusive !== undefined) {
  // Inclusive time: a sample counts once for each wanted function on its stack.
  const wanted = values.inclusive.split(',').map((s) => s.trim());
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = byId.get(at)?.callFrame.functionName ?? '';
      if (wanted.includes(name) && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + us);
      }
    }
  }
  list('inclusive time', inclusive);
}

if (values.callers !== undefined) {
  // Self time of the named function, split by the three frames above it.
  const chains = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (node?.callFrame.functionName !== values.callers) continue;
    const frames: string[] = [];
    for (let at = parent.get(id); at !== undefined && frames.length < 3; at = parent.get(at)) {
      const f = byId.get(at)?.callFrame;
      if (f !== undefined)
        frames.push(`${f.functionName || '(anonymous)'} ${short(f.url)}:${f.lineNumber + 1}`);
    }
    const chain = frames.join(' < ');
    chains.set(chain, (chains.get(chain) ?? 0) + us);
  }
  list(`callers of ${values.callers}`, chains);
}
