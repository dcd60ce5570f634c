/** The bus topics of contracts.md §5, with the configured prefix. */
export interface Topics {
  /** The configured prefix; consumer groups carry it too, so deployments sharing a cluster stay apart. */
  prefix: string;
  raw: string;
  enriched: string;
  metrics: string;
  dlq: string;
}

export function topicNames(prefix = ''): Topics {
  return {
    prefix,
    raw: `${prefix}logs.raw`,
    enriched: `${prefix}logs.enriched`,
    metrics: `${prefix}logs.metrics`,
    dlq: `${prefix}logs.dlq`,
  };
}

export function allTopics(t: Topics): string[] {
  return [t.raw, t.enriched, t.metrics, t.dlq];
}
