/**
 * Where each stage of the pipeline stands, from the processes' /metrics: events in per stage (the
 * counters every role keeps), the backlog in front of each stage (what its upstream produced minus what
 * it took in: the processor's commit is held back by open windows, so the bus's own lag would not say),
 * the time its batch handler ran, and the CPU of each process from /proc.
 */
import { cpuSeconds } from '../pipeline/processes.ts';

export const STAGES = ['gateway', 'processor', 'indexer', 'archiver', 'metrics'] as const;
export type Stage = (typeof STAGES)[number];

export interface Snapshot {
  at: number;
  /** Events into each stage so far (gateway: accepted; others: records consumed). */
  inputs: Record<Stage, number>;
  /** Records the processor wrote to logs.enriched so far. */
  enriched: number;
  /** Seconds each consumer role spent in its batch handler so far. */
  handlerSeconds: Record<Stage, number>;
  /** Batches each consumer role handled so far (records in / batches = the mean batch). */
  batches: Record<Stage, number>;
  /** CPU seconds so far per process group (a stage, or `all` for a process running several). */
  cpu: Record<string, number>;
}

/** Sum of the series of `name` in Prometheus text whose labels contain `labelPart` (all when absent). */
export function sample(text: string, name: string, labelPart = ''): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!(line.startsWith(`${name} `) || line.startsWith(`${name}{`))) continue;
    if (labelPart !== '' && !line.includes(labelPart)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

export async function scrape(urls: readonly string[]): Promise<string> {
  const texts = await Promise.all(
    urls.map((url) =>
      fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) }).then(
        (res) => res.text(),
        () => '',
      ),
    ),
  );
  return texts.join('\n');
}

/**
 * A snapshot of the deployment: `metricsUrls` are scraped (all of them, summed), `pids` name the
 * processes whose CPU is counted per group (a function: gateway processes come and go).
 */
export async function snapshot(
  metricsUrls: readonly string[],
  pids: () => Record<string, number[]>,
  enrichedTopic: string,
): Promise<Snapshot> {
  const text = await scrape(metricsUrls);
  const inputs = {} as Record<Stage, number>;
  const handlerSeconds = {} as Record<Stage, number>;
  const batches = {} as Record<Stage, number>;
  for (const stage of STAGES) {
    inputs[stage] =
      stage === 'gateway'
        ? sample(text, 'sluice_gateway_records_accepted_total')
        : sample(text, `sluice_${stage}_records_in_total`);
    handlerSeconds[stage] = sample(text, `sluice_${stage}_batch_duration_seconds_sum`);
    batches[stage] = sample(text, `sluice_${stage}_batch_duration_seconds_count`);
  }
  const cpu: Record<string, number> = {};
  for (const [group, list] of Object.entries(pids()))
    cpu[group] = list.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  return {
    at: performance.now(),
    inputs,
    enriched: sample(text, 'sluice_processor_records_out_total', `topic="${enrichedTopic}"`),
    handlerSeconds,
    batches,
    cpu,
  };
}

/** Events waiting in front of each consumer stage. */
export function backlogs(s: Snapshot): Record<'processor' | 'indexer' | 'archiver', number> {
  return {
    processor: Math.max(0, s.inputs.gateway - s.inputs.processor),
    indexer: Math.max(0, s.enriched - s.inputs.indexer),
    archiver: Math.max(0, s.enriched - s.inputs.archiver),
  };
}
