import type { MaskStats } from '../../core/mask/index.ts';
import type { Counter, MetricsRegistry } from '../../core/metrics/registry.ts';
import type { LineRecord } from '../inputs/lineRecord.ts';
import type { PipelineStats } from '../pipeline/pipeline.ts';

/** Labels of one input's series: its position in agent.yaml and its service. */
export type InputLabels = { input: string; service: string };

/** What one input reports: lines as read (counted per batch), edge totals (read at scrape time). */
export interface InputMetrics {
  countLines(lines: readonly LineRecord[]): void;
  watch(stats: () => PipelineStats, held: () => number): void;
}

export interface AgentMetrics {
  forInput(labels: InputLabels): InputMetrics;
  /** Exposes the maskers' counts by detector (all pipelines', wherever they run). */
  watchMasker(masker: { stats(): MaskStats }): void;
}

/**
 * The agent's own series, beside the shipper's (`sluice_agent_ship_*`, `sluice_agent_spool_*`) in one
 * registry. docs/agent.md lists them all.
 */
export function createAgentMetrics(registry: MetricsRegistry, version: string): AgentMetrics {
  const inputLabels = ['input', 'service'];
  const build = registry.gauge('sluice_agent_build_info', 'The running agent version (always 1).', [
    'version',
  ]);
  build.set(1, { version });
  const lines = registry.counter('sluice_agent_lines_total', 'Lines read by each input.', inputLabels);
  const bytes = registry.counter(
    'sluice_agent_read_bytes_total',
    'Bytes read by each input (lines with their newlines).',
    inputLabels,
  );
  const truncated = registry.counter(
    'sluice_agent_truncated_lines_total',
    'Lines longer than max_line_bytes, cut and flagged sluice.truncated.',
    inputLabels,
  );
  const partial = registry.counter(
    'sluice_agent_partial_lines_total',
    'Lines emitted without their newline after partial_line_timeout (flagged sluice.partial).',
    inputLabels,
  );
  const events = registry.counter(
    'sluice_agent_events_total',
    'Events built at the edge and handed to the shipper.',
    inputLabels,
  );
  const parseErrors = registry.counter(
    'sluice_agent_parse_errors_total',
    "Lines that did not fit the input's format, kept as plain messages with sluice.parse_error.",
    inputLabels,
  );
  const skipped = registry.counter(
    'sluice_agent_skipped_lines_total',
    'Blank lines left out (their bytes are acknowledged so checkpoints move on).',
    inputLabels,
  );
  const held = registry.gauge(
    'sluice_agent_multiline_held_events',
    'Events held by multi-line assembly, waiting for their next line or their timeout.',
    inputLabels,
  );
  const masked = registry.counter(
    'sluice_agent_masked_total',
    'Values masked before leaving the machine, by detector or rule.',
    ['detector'],
  );

  return {
    forInput(labels) {
      for (const counter of [lines, bytes, truncated, partial]) counter.inc(labels, 0);
      return {
        countLines(batch) {
          let byteCount = 0;
          let cut = 0;
          let open = 0;
          for (let i = 0; i < batch.length; i++) {
            const line = batch[i];
            byteCount += line.next - line.offset;
            if (line.truncated !== undefined) cut++;
            if (line.partial) open++;
          }
          lines.inc(labels, batch.length);
          bytes.inc(labels, byteCount);
          if (cut > 0) truncated.inc(labels, cut);
          if (open > 0) partial.inc(labels, open);
        },
        watch(stats, heldNow) {
          const sync = totalsSync();
          registry.onCollect(() => {
            const s = stats();
            sync(events, labels, 'events', s.events);
            sync(parseErrors, labels, 'parseErrors', s.parseErrors);
            sync(skipped, labels, 'skipped', s.skipped);
            held.set(heldNow(), labels);
          });
        },
      };
    },
    watchMasker(masker) {
      const sync = totalsSync();
      registry.onCollect(() => {
        for (const [detector, count] of Object.entries(masker.stats().masked)) {
          sync(masked, { detector }, detector, count);
        }
      });
    },
  };
}

/**
 * Counters only go up by increments, while the edge and the masker keep running totals: each scrape
 * adds what the total grew by since the last one.
 */
function totalsSync(): (
  counter: Counter,
  labels: Record<string, string>,
  key: string,
  total: number,
) => void {
  const seen = new Map<string, number>();
  return (counter, labels, key, total) => {
    const delta = total - (seen.get(key) ?? 0);
    // The first sync creates the series even at 0: absent series make rates and alerts misread.
    if (delta > 0 || !seen.has(key)) counter.inc(labels, delta);
    seen.set(key, total);
  };
}
