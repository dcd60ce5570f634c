/**
 * Where a process spent its CPU, from a V8 `.cpuprofile` (`node --cpu-prof`): self time grouped by
 * package or source file, and the busiest functions. Printed by the benchmarks that take `--cpu-prof`.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function place(url: string): string {
  if (url === '') return '(native, GC, idle)';
  if (url.startsWith('node:')) return url;
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const at = url.indexOf('/work/');
  return at === -1 ? url.replace(/^file:\/\//, '') : url.slice(url.indexOf('/', at + 6) + 1);
}

/** Lines like ` 31.2%  backend/processor/processorRole.ts`, busiest first. */
export function profileSummary(file: string, top = 12): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const us = profile.timeDeltas[i] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + us);
    total += us;
  }
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let idle = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) continue;
    if (frame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    const where = place(frame.url);
    byPlace.set(where, (byPlace.get(where) ?? 0) + us);
    const name = `${frame.functionName || '(anonymous)'} ${where}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  }
  const busy = total - idle;
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
  const list = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `  ${pct(us)}  ${k}`);
  return [
    `${file}: ${(busy / 1e6).toFixed(1)} s on the main thread (${(idle / 1e6).toFixed(1)} s idle), self time:`,
    ' by package / file:',
    ...list(byPlace),
    ' by function:',
    ...list(byFunction),
  ];
}
