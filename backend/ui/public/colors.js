/**
 * One colour per service for the whole session, handed out in the order services are first seen (the
 * chart asks first, busiest service first), so the busiest services get distinct colours and a service
 * has the same colour in the chart, the list and the trace. Colours are CSS classes (`svc-0`…), defined
 * per theme in style.css.
 */
export const PALETTE_SIZE = 10;
const assigned = new Map();

export function serviceColorIndex(service) {
  let i = assigned.get(service);
  if (i === undefined) {
    i = assigned.size % PALETTE_SIZE;
    assigned.set(service, i);
  }
  return i;
}

export function serviceClass(service) {
  return `svc-${serviceColorIndex(service)}`;
}

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

/** `lvl-error`; an unexpected level gets the neutral class. */
export function levelClass(level) {
  return LEVELS.has(level) ? `lvl-${level}` : 'lvl-unknown';
}

export function isErrorLevel(level) {
  return level === 'error' || level === 'fatal';
}
