import { readFileSync, statSync } from 'node:fs';
import type { Logger } from '../../../core/log/logger.ts';
import type { PodLabelLookup } from './enrich.ts';

/**
 * Pod labels from a JSON file `{ "<pod>": { "<label>": "<value>" } }` that a sidecar or a cron job keeps
 * current (e.g. from `kubectl get pods -o json`). Re-read when its mtime changes, at most every
 * `intervalMs`; a bad file keeps the last good labels and is logged, so enrichment never stops the pipeline.
 */
export function filePodLabels(path: string, log: Logger, intervalMs = 60_000): PodLabelLookup {
  let labels: Record<string, Record<string, string>> = {};
  let mtime = -1;
  let checkedAt = Number.NEGATIVE_INFINITY;
  const refresh = () => {
    checkedAt = Date.now();
    try {
      const m = statSync(path).mtimeMs;
      if (m === mtime) return;
      const parsed = JSON.parse(readFileSync(path, 'utf8'));
      if (parsed === null || typeof parsed !== 'object') throw new Error('expected a JSON object of pods');
      labels = parsed;
      mtime = m;
    } catch (error) {
      log.warn('pod labels file not read; keeping the previous labels', {
        path,
        error: (error as Error).message,
      });
    }
  };
  return (pod) => {
    if (Date.now() - checkedAt >= intervalMs) refresh();
    const l = labels[pod];
    return l !== null && typeof l === 'object' ? l : undefined;
  };
}
