/**
 * What the page shows, kept in the URL hash so a view can be bookmarked and shared:
 * `#q=level%3Aerror&from=now-1h&to=now` (search) or `#view=trace&id=…&from=…&to=…` (trace).
 * Relative times stay relative (`now-1h`), so a shared link shows the last hour when opened.
 */

export const PRESETS = [
  { id: '15m', label: 'Last 15 minutes', from: 'now-15m' },
  { id: '1h', label: 'Last hour', from: 'now-1h' },
  { id: '6h', label: 'Last 6 hours', from: 'now-6h' },
  { id: '24h', label: 'Last 24 hours', from: 'now-24h' },
  { id: '7d', label: 'Last 7 days', from: 'now-7d' },
];

export const DEFAULT_FROM = 'now-15m';
export const DEFAULT_TO = 'now';

/** The state in a hash (with or without the leading `#`); anything missing takes its default. */
export function decodeHash(hash) {
  const p = new URLSearchParams(String(hash ?? '').replace(/^#/, ''));
  const view = p.get('view') === 'trace' && p.get('id') ? 'trace' : 'search';
  const state = {
    view,
    q: p.get('q') ?? '',
    from: p.get('from') || (view === 'trace' ? '' : DEFAULT_FROM),
    to: p.get('to') || (view === 'trace' ? '' : DEFAULT_TO),
  };
  if (view === 'trace') state.id = p.get('id');
  return state;
}

/** The hash for a state, leaving out defaults so links stay short. */
export function encodeHash(state) {
  const p = new URLSearchParams();
  if (state.view === 'trace') {
    p.set('view', 'trace');
    p.set('id', state.id);
    if (state.from) p.set('from', state.from);
    if (state.to) p.set('to', state.to);
    return `#${p}`;
  }
  if (state.q) p.set('q', state.q);
  if (state.from && state.from !== DEFAULT_FROM) p.set('from', state.from);
  if (state.to && state.to !== DEFAULT_TO) p.set('to', state.to);
  const text = p.toString();
  return text === '' ? '#' : `#${text}`;
}

/** The preset a from/to pair is, or 'custom'. */
export function presetOf(from, to) {
  if (to !== DEFAULT_TO) return 'custom';
  return PRESETS.find((preset) => preset.from === from)?.id ?? 'custom';
}

/**
 * The range to ask for a trace when one is opened from an event: an hour either side of it. A request's
 * events are close together in time, and a bounded range keeps the lookup cheap even when it reaches
 * back into the archive.
 */
export function traceRangeAround(ts) {
  const ms = Date.parse(ts);
  if (Number.isNaN(ms)) return { from: '', to: '' };
  return { from: new Date(ms - 3_600_000).toISOString(), to: new Date(ms + 3_600_000).toISOString() };
}
