/**
 * What the page shows, kept in the URL hash so a view can be bookmarked and shared:
 * `#q=level%3Aerror&from=now-1h&to=now&cols=level,host,message&order=asc&stack=service` (search),
 * `#view=trace&id=…&from=…&to=…` (trace) or `#view=alerts` (alerts).
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

/** The result columns after the time (always first): reserved fields or attribute names. */
export const DEFAULT_COLUMNS = ['level', 'service', 'correlation_id', 'message'];
const COLUMN_NAME = /^[\p{L}_@][\p{L}\p{N}_.@-]{0,127}$/u;

/** `cols=level,host,message` as a list of valid names, the default when absent or empty. */
function columnsOf(text) {
  if (text === null) return [...DEFAULT_COLUMNS];
  const names = [...new Set(text.split(',').filter((c) => COLUMN_NAME.test(c) && c !== 'ts'))];
  return names.length === 0 ? [...DEFAULT_COLUMNS] : names;
}

/** The state in a hash (with or without the leading `#`); anything missing takes its default. */
export function decodeHash(hash) {
  const p = new URLSearchParams(String(hash ?? '').replace(/^#/, ''));
  if (p.get('view') === 'alerts') return { view: 'alerts' };
  const view = p.get('view') === 'trace' && p.get('id') ? 'trace' : 'search';
  const state = {
    view,
    q: p.get('q') ?? '',
    from: p.get('from') || (view === 'trace' ? '' : DEFAULT_FROM),
    to: p.get('to') || (view === 'trace' ? '' : DEFAULT_TO),
  };
  if (view === 'trace') state.id = p.get('id');
  else {
    state.cols = columnsOf(p.get('cols'));
    state.order = p.get('order') === 'asc' ? 'asc' : 'desc';
    state.stack = p.get('stack') === 'service' ? 'service' : 'level';
  }
  return state;
}

/** The hash for a state, leaving out defaults so links stay short. */
export function encodeHash(state) {
  const p = new URLSearchParams();
  if (state.view === 'alerts') return '#view=alerts';
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
  if (state.cols && state.cols.join(',') !== DEFAULT_COLUMNS.join(',')) p.set('cols', state.cols.join(','));
  if (state.order === 'asc') p.set('order', 'asc');
  if (state.stack === 'service') p.set('stack', 'service');
  const text = p.toString().replaceAll('%2C', ',');
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

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A `from`/`to` value (as docs/api.md takes them: now, now-15m, RFC 3339, epoch ms) in ms, or NaN.
 * The search view resolves relative times once per search, so the list, the histogram and the sidebar
 * all ask for the very same range and the bars span exactly that range.
 */
export function resolveTime(text, nowMs) {
  const t = String(text ?? '').trim();
  const relative = /^now(?:([+-])(\d{1,9})([smhdw]))?$/.exec(t);
  if (relative !== null) {
    if (relative[1] === undefined) return nowMs;
    const delta = Number(relative[2]) * UNIT_MS[relative[3]];
    return relative[1] === '-' ? nowMs - delta : nowMs + delta;
  }
  if (/^\d{1,16}$/.test(t)) return Number(t);
  // As the server reads it: a time without a zone is UTC, a date alone is midnight UTC.
  const zoned = /^\d{4}-\d{2}-\d{2}T[^Zz+-]*$/.test(t) ? `${t}Z` : t;
  return /^\d{4}-/.test(t) ? Date.parse(zoned) : Number.NaN;
}
