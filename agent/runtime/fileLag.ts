import { stat } from 'node:fs/promises';
import type { CheckpointStore } from '../checkpoint/checkpointStore.ts';
import type { InputLabels } from './agentMetrics.ts';

export interface LagSource {
  labels: InputLabels;
  checkpoints: CheckpointStore;
}

export const FILE_LAG_METRIC = 'sluice_agent_file_lag_bytes';

/**
 * `sluice_agent_file_lag_bytes{input,service,path}`: bytes of each followed file not yet acknowledged by
 * the gateway (file size − checkpoint offset), rendered fresh at every scrape. Rendered here rather than
 * kept as a registry gauge so series of files that are gone disappear instead of staying at their last
 * value forever. A path now naming another file (rotated) is left out: its lag would be a guess.
 */
export async function renderFileLag(sources: readonly LagSource[]): Promise<string> {
  const out = [
    `# HELP ${FILE_LAG_METRIC} Bytes of each file not yet acknowledged by the gateway (size minus checkpoint).`,
    `# TYPE ${FILE_LAG_METRIC} gauge`,
  ];
  for (const { labels, checkpoints } of sources) {
    const checks: Array<Promise<string | undefined>> = [];
    for (const [, entry] of checkpoints.entries()) {
      if (entry.retired === true) continue;
      checks.push(
        stat(entry.path).then(
          (st) =>
            st.dev === entry.dev && st.ino === entry.ino
              ? `${FILE_LAG_METRIC}{input="${esc(labels.input)}",service="${esc(labels.service)}",path="${esc(entry.path)}"} ${Math.max(0, st.size - entry.offset)}`
              : undefined,
          // Gone since the last scan: no file, no lag to report (the input notices at its next scan).
          () => undefined,
        ),
      );
    }
    for (const line of await Promise.all(checks)) if (line !== undefined) out.push(line);
  }
  return `${out.join('\n')}\n`;
}

function esc(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}
