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

/** Adds configured attributes without overwriting what the event already says. */
export function enrichStage(options: EnrichOptions): Stage {
  const { fields, services, podLabels } = options;
  const hasStatic = Object.keys(fields).length > 0 || Object.keys(services).length > 0;
  if (!hasStatic && podLabels === undefined) return (events) => events;
  return (events) => {
    for (const e of events) {
      addMissing(e.attrs, fields);
      const perService = services[e.service];
      if (perService !== undefined) addMissing(e.attrs, perService);
      const pod = e.attrs['k8s.pod.name'];
      if (podLabels !== undefined && typeof pod === 'string') {
        const labels = podLabels(pod);
        if (labels !== undefined) {
          for (const [k, v] of Object.entries(labels)) {
            const key = `k8s.pod.labels.${k}`;
            if (!(key in e.attrs)) e.attrs[key] = v;
          }
        }
      }
    }
    return events;
  };
}

function addMissing(attrs: Record<string, AttrValue>, add: Record<string, string>): void {
  for (const k in add) if (!(k in attrs)) attrs[k] = add[k];
}
