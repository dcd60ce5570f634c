/**
 * Several processes' Prometheus text as one: what the scraper of a port served by several gateway
 * processes reads. Samples with the same name and labels are added up (counters, histogram buckets, sums
 * and counts add; the gateway's gauges count things in flight, which add too); HELP and TYPE lines are
 * kept once, from the first text that has them. Series keep the order they first appear in.
 */
export function mergeMetrics(texts: readonly string[]): string {
  const families = new Map<string, { header: string[]; samples: Map<string, number> }>();
  let current: { header: string[]; samples: Map<string, number> } | undefined;
  const family = (name: string) => {
    let f = families.get(name);
    if (f === undefined) {
      f = { header: [], samples: new Map() };
      families.set(name, f);
    }
    return f;
  };
  for (const text of texts) {
    current = undefined;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const comment = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) /.exec(line);
      if (comment !== null) {
        current = family(comment[2]);
        if (!current.header.some((h) => h.startsWith(`# ${comment[1]} `))) current.header.push(line);
        continue;
      }
      if (line.startsWith('#')) continue;
      const space = line.lastIndexOf(' ');
      const series = line.slice(0, space);
      const value = Number(line.slice(space + 1));
      // Samples follow their family's TYPE line; one without (another exporter's text) keys by its own name.
      const target = current ?? family(/^[^{ ]+/.exec(series)?.[0] ?? series);
      target.samples.set(series, (target.samples.get(series) ?? 0) + value);
    }
  }
  const out: string[] = [];
  for (const f of families.values()) {
    out.push(...f.header);
    for (const [series, value] of f.samples) out.push(`${series} ${formatSample(value)}`);
  }
  return `${out.join('\n')}\n`;
}

function formatSample(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}
