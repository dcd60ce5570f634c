import type { AttrValue } from '../../../core/event/types.ts';
import type { Stage } from './types.ts';

/** Labels of a pod by its name, from wherever the deployment keeps them (see podLabels.ts). */
export type PodLabelLookup = (podName: string) => Record<string, string> | undefined;

export interface EnrichOptions {
  /** Added to every event that lacks them. */
  fields: Record<string, string>;
  /** Added per service. */
  services: Record<string, Record<string, string>>;
  podLabels?: PodLabelLookup;
}

/**
 * Adds configured attributes without overwriting what the event already says. An event that gains one
 * comes out as a copy (stages never change the events they get: types.ts); one that gains none, as is.
 */
export function enrichStage(options: EnrichOptions): Stage {
  const { fields, services, podLabels } = options;
  const hasStatic = Object.keys(fields).length > 0 || Object.keys(services).length > 0;
  if (!hasStatic && podLabels === undefined) return (events) => events;
  return (events) =>
    events.map((e) => {
      let attrs = addMissing(e.attrs, e.attrs, fields);
      const perService = services[e.service];
      if (perService !== undefined) attrs = addMissing(e.attrs, attrs, perService);
      const pod = e.attrs['k8s.pod.name'];
      const labels = podLabels !== undefined && typeof pod === 'string' ? podLabels(pod) : undefined;
      if (labels !== undefined) attrs = addMissing(e.attrs, attrs, labels, 'k8s.pod.labels.');
      return attrs === e.attrs ? e : { ...e, attrs };
    });
}

/** `attrs` with each key of `add` it lacks; copied from `original` on the first addition. */
function addMissing(
  original: Record<string, AttrValue>,
  attrs: Record<string, AttrValue>,
  add: Record<string, string>,
  prefix = '',
): Record<string, AttrValue> {
  let out = attrs;
  for (const k in add) {
    const key = prefix + k;
    if (key in out) continue;
    if (out === original) out = { ...original };
    out[key] = add[k];
  }
  return out;
}
