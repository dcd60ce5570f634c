import { hostname } from 'node:os';
import { setAttr } from '../../core/event/normalize.ts';
import type { AttrValue } from '../../core/event/types.ts';
import type { AgentConfig } from '../config/schema.ts';
import { downwardApiAttrs, type Env, inKubernetes, kubeletPathAttrs } from './kubernetes.ts';

type InputConfig = AgentConfig['inputs'][number];

/** Where events come from: what the agent adds to each of them. */
export interface Enrichment {
  /** Values for events whose line names no service, host or env (normalizeRecord's defaults). */
  defaults: { service: string; host: string; env?: string };
  /**
   * Adds the configured and Kubernetes attributes an event does not carry yet. The line's own values
   * win: the agent adds context, it never rewrites what the application said.
   */
  apply(attrs: Record<string, AttrValue>, source: string): void;
  /** What apply() adds for `source`, in its order (read-only: it is cached). */
  attrsFor(source: string): ReadonlyArray<readonly [string, string]>;
}

export interface EnrichmentOptions {
  /** The environment (downward API variables); process.env when absent. */
  env?: Env;
  /** The machine's name; os.hostname() when absent. */
  hostname?: string;
}

/** Fields of `enrich.fields` / an input's `fields` that are event fields, not attributes. */
const EVENT_FIELDS = new Set(['service', 'host', 'env']);
/** Path-derived attributes are cached per file; a bound keeps a host with endless file names in check. */
const PATH_CACHE_LIMIT = 10_000;

/**
 * Builds the enrichment of one input: `enrich.fields` then the input's `fields` (the input wins), and,
 * when `enrich.kubernetes` is `on` (or `auto` in a pod), the downward-API variables and the pod named
 * by a kubelet log path. `service`, `host` and `env` among the fields become the event's defaults.
 */
export function createEnrichment(
  config: Pick<AgentConfig, 'enrich'>,
  input: Pick<InputConfig, 'service' | 'fields'>,
  options: EnrichmentOptions = {},
): Enrichment {
  const env = options.env ?? process.env;
  const fields = { ...config.enrich.fields, ...input.fields };
  const kubernetes =
    config.enrich.kubernetes === 'on' || (config.enrich.kubernetes === 'auto' && inKubernetes(env));
  const podAttrs = kubernetes ? downwardApiAttrs(env) : new Map<string, string>();

  const staticAttrs: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(fields))
    if (!EVENT_FIELDS.has(key)) staticAttrs.push([key, value]);
  // Path-derived pod names go first so they beat the agent's own pod variables (see kubeletPathAttrs).
  const baseAttrs: Array<[string, string]> = [...podAttrs, ...staticAttrs];

  const pathCache = new Map<string, Array<[string, string]>>();
  const attrsOf = (source: string): Array<[string, string]> => {
    let list = pathCache.get(source);
    if (list === undefined) {
      list = [...kubeletPathAttrs(source), ...baseAttrs];
      if (pathCache.size >= PATH_CACHE_LIMIT) pathCache.clear();
      pathCache.set(source, list);
    }
    return list;
  };

  return {
    defaults: {
      service: fields.service ?? input.service,
      host: fields.host ?? podAttrs.get('k8s.node.name') ?? options.hostname ?? hostname(),
      ...(fields.env === undefined ? {} : { env: fields.env }),
    },
    attrsFor: (source) => (kubernetes ? attrsOf(source) : baseAttrs),
    apply(attrs, source) {
      const list = kubernetes ? attrsOf(source) : baseAttrs;
      for (let i = 0; i < list.length; i++) {
        const [key, value] = list[i];
        if (!Object.hasOwn(attrs, key)) setAttr(attrs, key, value);
      }
    },
  };
}
