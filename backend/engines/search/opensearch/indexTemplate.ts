import { MAX_KEYWORD_UNITS } from './compileOpenSearch.ts';

/**
 * The composable index template every daily index of one prefix is created from (on first write,
 * by auto-creation). The mapping is fixed: `dynamic: false` and `attrs` not parsed at all, so no
 * event can grow the mapping, whatever attribute names it carries.
 *
 * Indexed, besides the reserved keyword fields, is only the `search` projection (compileOpenSearch.ts,
 * openSearchSearchFields): pre-tokenized message, normalized ts, level rank and attribute terms. It is
 * excluded from `_source`, so `_source` is exactly the event JSON that was indexed.
 */
export interface TemplateSettings {
  prefix: string;
  shards: number;
  replicas: number;
}

export function templateName(prefix: string): string {
  return `${prefix}-events`;
}

const keyword = { type: 'keyword', ignore_above: MAX_KEYWORD_UNITS };
/** Terms matched only by term/prefix/range queries: no doc values (never sorted or aggregated). */
const termsOnly = { type: 'keyword', doc_values: false };

export function indexTemplate({ prefix, shards, replicas }: TemplateSettings): Record<string, unknown> {
  return {
    index_patterns: [`${prefix}-*`],
    // Overlapping patterns need distinct priorities; a longer prefix is the more specific one, and two
    // prefixes of one length cannot overlap (`<prefix>-*` patterns overlap only if one prefix extends the other).
    priority: 100 + prefix.length,
    _meta: { managed_by: 'sluice', layout: 'search-store-v2' },
    template: {
      settings: {
        number_of_shards: shards,
        number_of_replicas: replicas,
        // Freshness target ≤ 2 s without a refresh per bulk request.
        refresh_interval: '1s',
      },
      mappings: {
        dynamic: false,
        _source: { excludes: ['search'] },
        properties: {
          id: { type: 'keyword' },
          level: { type: 'keyword' },
          service: keyword,
          host: keyword,
          env: keyword,
          tenant: keyword,
          correlation_id: keyword,
          trace_id: keyword,
          span_id: keyword,
          observed_ts: { type: 'date_nanos', ignore_malformed: true },
          attrs: { type: 'object', enabled: false },
          search: {
            properties: {
              ts: { type: 'date_nanos' },
              // Our own tokens joined by spaces; `whitespace` splits exactly there and changes nothing.
              // Positions are kept for phrases; norms are not (nothing is scored).
              tokens: { type: 'text', analyzer: 'whitespace', norms: false, index_options: 'positions' },
              level_rank: { type: 'byte' },
              // Second sort key (sortKey.ts): only sorted on, never searched, so doc values without an index.
              tiebreak: { type: 'long', index: false },
              attr_keys: termsOnly,
              // Doc values so aggregations group by an attribute's text (compileOpenSearchAggregate.ts).
              attr_text: { type: 'keyword' },
              attr_num: termsOnly,
              // Numeric attributes as (name, number) pairs for sum/avg/min/max/percentiles: nested, so a
              // number stays tied to its name (no scripts: the minimal distribution has no Painless).
              attr_numbers: {
                type: 'nested',
                properties: { k: { type: 'keyword' }, n: { type: 'double' } },
              },
            },
          },
        },
      },
    },
  };
}
