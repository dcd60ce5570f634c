/**
 * A small Prometheus metrics registry (text exposition format 0.0.4): counters, gauges and histograms
 * with labels. Every Sluice process exposes one at `GET /metrics`. Label values are escaped; series
 * are kept in a map keyed by the label values so the hot path is one map lookup and an add.
 */

type Labels = Record<string, string>;

interface Metric {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  render(out: string[]): void;
}

export interface Counter {
  inc(labels?: Labels, by?: number): void;
  get(labels?: Labels): number;
}

export interface Gauge {
  set(value: number, labels?: Labels): void;
  inc(labels?: Labels, by?: number): void;
  get(labels?: Labels): number;
}

export interface Histogram {
  observe(value: number, labels?: Labels): void;
  /** Count of observations for these labels (for tests and summaries). */
  count(labels?: Labels): number;
}

export const DEFAULT_SECONDS_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function seriesKey(labelNames: readonly string[], labels: Labels | undefined): string {
  if (labelNames.length === 0) return '';
  let key = '';
  for (const name of labelNames) key += `${labels?.[name] ?? ''}\u0000`;
  return key;
}

function renderLabels(labelNames: readonly string[], key: string, extra?: string): string {
  const values = key.split('\u0000');
  const parts = labelNames.map((n, i) => `${n}="${escapeLabel(values[i])}"`);
  if (extra !== undefined) parts.push(extra);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

export class MetricsRegistry {
  #metrics = new Map<string, Metric>();
  #collectors: Array<() => void | Promise<void>> = [];

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    const values = new Map<string, number>();
    this.#register({
      name,
      help,
      type: 'counter',
      render: (out) => {
        for (const [k, v] of values) out.push(`${name}${renderLabels(labelNames, k)} ${formatValue(v)}`);
      },
    });
    return {
      inc: (labels, by = 1) => {
        const k = seriesKey(labelNames, labels);
        values.set(k, (values.get(k) ?? 0) + by);
      },
      get: (labels) => values.get(seriesKey(labelNames, labels)) ?? 0,
    };
  }

  gauge(name: string, help: string, labelNames: readonly string[] = []): Gauge {
    const values = new Map<string, number>();
    this.#register({
      name,
      help,
      type: 'gauge',
      render: (out) => {
        for (const [k, v] of values) out.push(`${name}${renderLabels(labelNames, k)} ${formatValue(v)}`);
      },
    });
    return {
      set: (value, labels) => {
        values.set(seriesKey(labelNames, labels), value);
      },
      inc: (labels, by = 1) => {
        const k = seriesKey(labelNames, labels);
        values.set(k, (values.get(k) ?? 0) + by);
      },
      get: (labels) => values.get(seriesKey(labelNames, labels)) ?? 0,
    };
  }

  histogram(
    name: string,
    help: string,
    labelNames: readonly string[] = [],
    buckets: readonly number[] = DEFAULT_SECONDS_BUCKETS,
  ): Histogram {
    const series = new Map<string, { counts: number[]; sum: number; count: number }>();
    this.#register({
      name,
      help,
      type: 'histogram',
      render: (out) => {
        for (const [k, s] of series) {
          let cumulative = 0;
          buckets.forEach((le, i) => {
            cumulative += s.counts[i];
            out.push(`${name}_bucket${renderLabels(labelNames, k, `le="${le}"`)} ${cumulative}`);
          });
          out.push(`${name}_bucket${renderLabels(labelNames, k, 'le="+Inf"')} ${s.count}`);
          out.push(`${name}_sum${renderLabels(labelNames, k)} ${formatValue(s.sum)}`);
          out.push(`${name}_count${renderLabels(labelNames, k)} ${s.count}`);
        }
      },
    });
    return {
      observe: (value, labels) => {
        const k = seriesKey(labelNames, labels);
        let s = series.get(k);
        if (s === undefined) {
          s = { counts: new Array(buckets.length).fill(0), sum: 0, count: 0 };
          series.set(k, s);
        }
        const i = buckets.findIndex((le) => value <= le);
        if (i >= 0) s.counts[i]++;
        s.sum += value;
        s.count++;
      },
      count: (labels) => series.get(seriesKey(labelNames, labels))?.count ?? 0,
    };
  }

  /** Runs before each render, for gauges read from elsewhere (consumer lag, spool size). */
  onCollect(collect: () => void | Promise<void>): void {
    this.#collectors.push(collect);
  }

  async render(): Promise<string> {
    for (const collect of this.#collectors) await collect();
    const out: string[] = [];
    for (const m of this.#metrics.values()) {
      out.push(`# HELP ${m.name} ${m.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
      out.push(`# TYPE ${m.name} ${m.type}`);
      m.render(out);
    }
    return `${out.join('\n')}\n`;
  }

  #register(metric: Metric): void {
    if (!NAME.test(metric.name)) throw new Error(`invalid metric name "${metric.name}"`);
    if (this.#metrics.has(metric.name)) throw new Error(`metric "${metric.name}" registered twice`);
    this.#metrics.set(metric.name, metric);
  }
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
