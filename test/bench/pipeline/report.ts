/** Formatting shared by the pipeline and query benchmarks: markdown tables, numbers, the machine line. */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { versionsEnv } from '../../helpers/engineSettings.ts';

export function table(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

export const int = (n: number) => Math.round(n).toLocaleString('en');
export const fixed = (n: number, digits = 1) => n.toFixed(digits);
export const verdict = (pass: boolean | null) => (pass === null ? 'n/a' : pass ? 'PASS' : 'FAIL');

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return m?.[1].trim() ?? cpus()[0]?.model ?? '?';
  } catch {
    return cpus()[0]?.model ?? '?';
  }
}

export function machineLine(): string {
  const v = versionsEnv();
  return `${cpus().length} cores (${cpuModel()}), Node ${process.version}, Kafka ${process.env.KAFKA_VERSION ?? v.KAFKA_VERSION}, OpenSearch ${process.env.OPENSEARCH_VERSION ?? v.OPENSEARCH_VERSION} (heap ${v.OPENSEARCH_HEAP_MAX})`;
}

export function loadLine(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

export function log(line: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}
