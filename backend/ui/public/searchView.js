/**
 * The search page: the query form, the charts, the result list with "Load more", and the live tail that
 * streams into the same list. It reads its state from the URL hash (app.js calls `show`) and changes it
 * only through `navigate`, so the back button and shared links always work.
 */
import { createCharts } from './chart.js';
import { h } from './dom.js';
import { formatCount } from './format.js';
import { createLogList } from './logList.js';
import { addTerm } from './queryTerms.js';
import { PRESETS, presetOf } from './state.js';
import { startTail } from './tail.js';

const LIVE_CAP = 1000;
const QUERY_ERRORS = new Set(['query_syntax', 'query_too_complex', 'time_invalid']);

export function createSearchView({ api, navigate, onApiError }) {
  // onApiError(error): a 401, so the key field should get the user's attention.
  const $ = (id) => document.getElementById(id);
  const form = $('search-form');
  const q = $('q');
  const range = $('range');
  const from = $('from');
  const to = $('to');
  const customRange = $('custom-range');
  const queryError = $('q-error');
  const summary = $('summary');
  const notice = $('notice');
  const more = $('more');
  const live = $('live');
  const results = $('results');

  let state = null;
  let request = null; // AbortController of the search and metrics calls in flight
  let cursor = null;
  let stopTail = null;
  let chartTimer = null;
  let dropped = 0;
  const empty = h('p', { class: 'empty' });
  const list = createLogList({ label: 'Search results', onFilter: (term) => filter(term) });
  results.append(list.element, empty);
  const charts = createCharts($('charts'), (a, b) =>
    navigate({ view: 'search', q: q.value, from: a, to: b }),
  );

  for (const p of PRESETS) range.append(h('option', { value: p.id }, p.label));
  range.append(h('option', { value: 'custom' }, 'Custom range…'));

  const formState = () => {
    const preset = PRESETS.find((p) => p.id === range.value);
    return preset
      ? { view: 'search', q: q.value, from: preset.from, to: 'now' }
      : { view: 'search', q: q.value, from: from.value.trim(), to: to.value.trim() || 'now' };
  };
  const filter = (term) => navigate({ ...formState(), q: addTerm(q.value, term) });

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    navigate(formState());
  });
  range.addEventListener('change', () => {
    customRange.hidden = range.value !== 'custom';
    if (range.value === 'custom') {
      from.value = state?.from ?? 'now-15m';
      to.value = state?.to ?? 'now';
      from.focus();
    } else navigate(formState());
  });
  q.addEventListener('input', () => hideQueryError());
  more.addEventListener('click', () => loadMore());
  live.addEventListener('click', () => {
    if (stopTail) {
      endLive();
      summary.textContent = `Live tail stopped · ${formatCount(list.size)} events shown`;
    } else {
      live.setAttribute('aria-pressed', 'true');
      navigate(formState());
    }
  });

  /** Shows `next` (from the hash); `force` re-runs even when nothing changed (Enter on the same query). */
  function show(next) {
    state = next;
    q.value = next.q;
    const preset = presetOf(next.from, next.to);
    range.value = preset;
    customRange.hidden = preset !== 'custom';
    if (preset === 'custom') {
      from.value = next.from;
      to.value = next.to;
    }
    hideQueryError();
    request?.abort();
    request = new AbortController();
    loadCharts(next, request.signal);
    if (live.getAttribute('aria-pressed') === 'true') startLive(next);
    else void runSearch(next, request.signal);
  }

  async function runSearch(s, signal) {
    endLive();
    list.clear();
    cursor = null;
    more.hidden = true;
    empty.textContent = '';
    summary.textContent = 'Searching…';
    results.classList.add('is-loading');
    try {
      const page = await api.search(s, signal);
      list.append(page.hits);
      cursor = page.next_cursor;
      more.hidden = cursor === null;
      const total = `${page.total.relation === 'gte' ? '≥ ' : ''}${formatCount(page.total.value)}`;
      summary.textContent = `${total} ${page.total.value === 1 ? 'hit' : 'hits'} · ${page.took_ms} ms · newest first`;
      if (page.hits.length === 0)
        empty.textContent = 'No events match in this time range. Try a wider range or fewer terms.';
    } catch (error) {
      if (error.name === 'AbortError') return;
      summary.textContent = '';
      showError(error, s);
    } finally {
      if (!signal.aborted) results.classList.remove('is-loading');
    }
  }

  async function loadMore() {
    if (cursor === null || state === null) return;
    more.disabled = true;
    more.textContent = 'Loading…';
    try {
      const page = await api.search({ ...state, cursor }, request.signal);
      list.append(page.hits);
      cursor = page.next_cursor;
      more.hidden = cursor === null;
    } catch (error) {
      if (error.name !== 'AbortError') showError(error, state);
    } finally {
      more.disabled = false;
      more.textContent = 'Load more';
    }
  }

  async function loadCharts(s, signal) {
    charts.loading();
    try {
      const r = { from: s.from, to: s.to };
      const [counts, rates] = await Promise.all([
        api.metrics('log_count', r, signal),
        api.metrics('error_rate', r, signal),
      ]);
      charts.render(counts, rates);
    } catch (error) {
      if (error.name === 'AbortError') return;
      charts.failed(error.status === 401 ? 'needs an API key' : error.message);
    }
  }

  function startLive(s) {
    endLive();
    live.setAttribute('aria-pressed', 'true');
    list.clear();
    more.hidden = true;
    empty.textContent = '';
    dropped = 0;
    let pending = [];
    let received = 0;
    let status = 'connecting';
    const update = () => {
      summary.textContent =
        status === 'live'
          ? `● Live · ${formatCount(received)} events received · newest on top, last ${formatCount(LIVE_CAP)} kept`
          : status;
    };
    const flush = () => {
      list.prepend(pending, LIVE_CAP);
      received += pending.length;
      pending = [];
      update();
    };
    // The charts follow along while tailing (relative ranges move with now).
    chartTimer = setInterval(() => loadCharts(s, request.signal), 30_000);
    stopTail = startTail(api, s.q, {
      onEvent: (event) => {
        // Batch DOM work to one update per frame, however fast events arrive.
        if (pending.length === 0) requestAnimationFrame(flush);
        pending.push(event);
      },
      onDropped: (n) => {
        dropped += n;
        showNotice(
          `The server dropped ${formatCount(dropped)} events because this page could not keep up. Narrow the query to see them all.`,
        );
      },
      onStatus: (next, detail) => {
        if (next === 'failed') {
          endLive();
          summary.textContent = '';
          showError(detail, s);
          return;
        }
        if (next === 'stopped') return;
        status =
          next === 'live'
            ? 'live'
            : next === 'reconnecting' && detail > 0
              ? `Live tail lost its connection; reconnecting in ${detail} s (events in between are not replayed)…`
              : 'Connecting live tail…';
        update();
      },
    });
  }

  function endLive() {
    stopTail?.();
    stopTail = null;
    clearInterval(chartTimer);
    live.setAttribute('aria-pressed', 'false');
    hideNotice();
  }

  function showError(error, s) {
    if (QUERY_ERRORS.has(error.code)) {
      showQueryError(s.q, error.position, error.message);
      return;
    }
    if (error.status === 401) {
      onApiError(error);
      const why =
        error.code === 'invalid_key' ? 'The API key was not accepted.' : 'This server needs an API key.';
      showQueryError(
        null,
        null,
        `${why} Enter it in the "API key" field at the top; it is kept for this tab only.`,
      );
      return;
    }
    showQueryError(null, null, error.message);
  }

  function showQueryError(text, position, message) {
    const caret = queryError.querySelector('.caret');
    caret.hidden = text === null || position === null;
    if (!caret.hidden) {
      const at = Math.max(0, Math.min(position, text.length));
      caret.textContent = `${text}\n${' '.repeat(at)}^`;
      q.focus();
      q.setSelectionRange(at, Math.min(text.length, at + 1));
    }
    queryError.querySelector('.message').textContent = message;
    queryError.hidden = false;
  }

  function hideQueryError() {
    queryError.hidden = true;
  }

  function showNotice(text) {
    notice.textContent = text;
    notice.hidden = false;
  }

  function hideNotice() {
    notice.hidden = true;
  }

  return {
    show,
    /** Leaving the page for a trace: stop streaming and loading. */
    hide() {
      endLive();
      request?.abort();
    },
    focusQuery() {
      q.focus();
      q.setSelectionRange(q.value.length, q.value.length);
    },
    /** Appends a term to the query and runs it (filter buttons in the trace view). */
    filter,
  };
}
