/** How times, durations and counts read in the UI. */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (n, width = 2) => String(n).padStart(width, '0');

/** Milliseconds since the epoch of an RFC 3339 time (fractions beyond ms are cut), or NaN. */
export function toMs(ts) {
  return typeof ts === 'string' ? Date.parse(ts) : Number.NaN;
}

/**
 * A log line's time in the viewer's zone: `12:00:00.123`, with the day in front when it is not
 * `today` (`Nov 23 12:00:00.123`), so a dense list stays narrow without becoming ambiguous.
 */
export function formatLogTime(ts, today = new Date()) {
  const ms = toMs(ts);
  if (Number.isNaN(ms)) return String(ts ?? '');
  const d = new Date(ms);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
  const sameDay =
    d.getFullYear() === today.getFullYear() &&
    d.getMonth() === today.getMonth() &&
    d.getDate() === today.getDate();
  return sameDay ? time : `${MONTHS[d.getMonth()]} ${pad(d.getDate())} ${time}`;
}

/** An axis label: `12:05`, or `Nov 23` for ticks at midnight when the span covers days. */
export function formatTick(ms, spanMs) {
  const d = new Date(ms);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (spanMs > 2 * 86_400_000)
    return d.getHours() === 0 && d.getMinutes() === 0 ? `${MONTHS[d.getMonth()]} ${d.getDate()}` : hm;
  if (spanMs <= 10 * 60_000) return `${hm}:${pad(d.getSeconds())}`;
  return hm;
}

/** `850 ms`, `1.24 s`, `2 min 3 s`, `1 h 5 min`. */
export function formatDuration(ms) {
  if (!Number.isFinite(ms)) return '';
  if (ms < 1000) return `${Math.round(ms * 10) / 10} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** `+1.250 s` style offset from a trace's start, fixed width so a column of them lines up. */
export function formatOffset(ms) {
  if (!Number.isFinite(ms)) return '';
  if (ms < 1000) return `+${Math.round(ms)} ms`;
  return `+${(ms / 1000).toFixed(3)} s`;
}

export function formatCount(n) {
  return Number(n).toLocaleString('en-US');
}

/** A ratio as a percentage with sensible precision: `0%`, `0.42%`, `12.5%`. */
export function formatPercent(ratio) {
  if (ratio === null || !Number.isFinite(ratio)) return '–';
  const p = ratio * 100;
  if (p === 0) return '0%';
  if (p < 1) return `${p.toFixed(2)}%`;
  if (p < 10) return `${p.toFixed(1)}%`;
  return `${Math.round(p)}%`;
}

/** `1.2k`, `34k`, `1.5M` for axis labels. */
export function formatCompact(n) {
  if (Math.abs(n) >= 1e6) return `${trim(n / 1e6)}M`;
  if (Math.abs(n) >= 1e3) return `${trim(n / 1e3)}k`;
  return trim(n);
}

const trim = (x) => String(Math.round(x * 10) / 10);
