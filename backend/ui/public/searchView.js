/**
 * The search page: the query form, the histogram of the query's matches, the field sidebar, the result
 * list with "Load more", and the live tail that streams into the same list. It reads its state from the
 * URL hash (app.js calls `show`) and changes it only through `navigate`, so the back button and shared
 * links always work: the query, the range, the columns, the sort order and what the bars are stacked by.
 */
import { createCharts } from './chart.js';
import { contextPanel } from './contextPanel.js';
import { h } from './dom.js';
import { attributeNames, createFieldSidebar, SIDEBAR_FIELDS } from './fieldSidebar.js';
import { formatCount } from './format.js';
import { highlightPatterns } from './highlight.js';
import { createLiveView } from './liveView.js';
import { columnsFor, createLogList } from './logList.js';
import { attrField, setTerm } from './queryTerms.js';
import { PRESETS, presetOf, resolveTime } from './state.js';

const QUERY_ERRORS = new Set(['query_syntax', 'query_too_complex', 'time_invalid']);
/** Fields the sidebar lists for their column toggle only: their values are (nearly) all distinct. */
const COLUMN_ONLY = ['message', 'correlation_id', 'trace_id'];

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
  let range0 = null; // the resolved range of the shown search: { from, to } as ISO text, and ms
  let request = null; // AbortController of the calls in flight for the shown state
  let cursor = null;
  let chartTimer = null;
  const empty = h('p', { class: 'empty' });
  let list = createLogList();
  results.append(list.element, empty);
  const charts = createCharts($('charts'), {
    onRange: (a, b) => navigate({ ...state, q: q.value, from: a, to: b }),
    onStack: (field) => navigate({ ...state, stack: field }),
  });
  const sidebar = createFieldSidebar($('fields'), {
    onFilter: (field, value, negate) => filter(field, value, negate),
    onColumn: (name) => {
      const cols = state.cols.includes(name) ? state.cols.filter((c) => c !== name) : [...state.cols, name];
      navigate({ ...state, q: q.value, cols: cols.length > 0 ? cols : ['message'] });
    },
  });
  const liveView = createLiveView({
    api,
    list: () => list,
    say: (text) => {
      summary.textContent = text;
    },
    notice: (text) => {
      notice.textContent = text ?? '';
      notice.hidden = text === null;
    },
    failed: (error) => {
      live.setAttribute('aria-pressed', 'false');
      summary.textContent = '';
      showError(error, state);
    },
    pauseButton: $('pause'),
  });

  for (const p of PRESETS) range.append(h('option', { value: p.id }, p.label));
  range.append(h('option', { value: 'custom' }, 'Custom range…'));

  const formState = () => {
    const preset = PRESETS.find((p) => p.id === range.value);
    const base = { ...state, view: 'search', q: q.value };
    return preset
      ? { ...base, from: preset.from, to: 'now' }
      : { ...base, from: from.value.trim(), to: to.value.trim() || 'now' };
  };
  /** Filters to (or, negated, leaves out) `field:value`, replacing the opposite term for that value. */
  const filter = (field, value, negate) => {
    const next = setTerm(q.value, field, value, negate);
    if (next !== null) navigate({ ...formState(), q: next });
  };

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
    if (liveView.running) {
      endLive();
      summary.textContent = `Live tail stopped · ${formatCount(list.size)} events shown`;
    } else {
      live.setAttribute('aria-pressed', 'true');
      navigate(formState());
    }
  });

  /** Shows `next` (from the hash); runs again even when nothing changed (Enter on the same query). */
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
    range0 = resolveRange(next);
    const patterns = highlightPatterns(next.q);
    const fresh = createLogList({
      label: 'Search results',
      columns: columnsFor(next.cols, patterns),
      order: next.order,
      onSort: () => navigate({ ...state, q: q.value, order: state.order === 'asc' ? 'desc' : 'asc' }),
      detail: {
        onFilter: (field, value, negate) => filter(field, value, negate),
        patterns,
        context: (event) => contextPanel(api, event, patterns),
      },
    });
    list.element.replaceWith(fresh.element);
    list = fresh;
    loadCharts(next, request.signal);
    if (live.getAttribute('aria-pressed') === 'true') startLive(next);
    else void runSearch(next, request.signal);
  }

  /** The range once, in absolute times, so the list, the bars and the sidebar all cover the same one. */
  function resolveRange(s) {
    const now = Date.now();
    const a = resolveTime(s.from, now);
    const b = resolveTime(s.to, now);
    if (!Number.isFinite(a) || !Number.isFinite(b) || a >= b) return { from: s.from, to: s.to, ms: null };
    return { from: new Date(a).toISOString(), to: new Date(b).toISOString(), ms: [a, b] };
  }

  async function runSearch(s, signal) {
    endLive();
    cursor = null;
    more.hidden = true;
    empty.textContent = '';
    summary.textContent = 'Searching…';
    results.classList.add('is-loading');
    try {
      const page = await api.search({ ...s, ...range0 }, signal);
      list.append(page.hits);
      cursor = page.next_cursor;
      more.hidden = cursor === null;
      const total = `${page.total.relation === 'gte' ? '≥ ' : ''}${formatCount(page.total.value)}`;
      summary.textContent = `${total} ${page.total.value === 1 ? 'hit' : 'hits'} · ${page.took_ms} ms · ${s.order === 'asc' ? 'oldest' : 'newest'} first`;
      if (page.hits.length === 0)
        empty.textContent = 'No events match in this time range. Try a wider range or fewer terms.';
      void loadSidebar(s, page.hits, signal);
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
      const page = await api.search({ ...state, ...range0, cursor }, request.signal);
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

  /** Each field's top values among the query's matches, one aggregate call per field, in parallel. */
  async function loadSidebar(s, hits, signal) {
    const filterText = s.q.trim() === '' ? '*' : s.q;
    const attrs = attributeNames(hits).map((name) => ({ name, query: attrField(name) }));
    const fields = [
      ...SIDEBAR_FIELDS.map((name) => ({ name, query: name })),
      ...attrs,
      ...COLUMN_ONLY.map((name) => ({ name, query: name, columnOnly: true })),
    ];
    for (const col of s.cols)
      if (!fields.some((f) => f.name === col)) fields.push({ name: col, query: attrField(col) });
    const shown = fields.map((f) => ({ ...f, column: s.cols.includes(f.name), top: null, error: null }));
    sidebar.render(shown);
    await Promise.all(
      shown.map(async (f) => {
        if (f.columnOnly) return;
        try {
          const answer = await api.aggregate({ q: `${filterText} | top 5 ${f.query}`, ...range0 }, signal);
          f.top = answer.rows.map((row) => ({ value: row[0], count: Number(row[1]) }));
        } catch (error) {
          if (error.name === 'AbortError') throw error;
          f.error = error.message;
        }
      }),
    ).catch(() => undefined); // aborted: a newer search replaced this one
    if (signal.aborted) return;
    // A field no match has (an attribute of other events) says nothing; leave it out.
    sidebar.render(
      shown.filter(
        (f) => f.column || f.columnOnly || f.error || SIDEBAR_FIELDS.includes(f.name) || f.top.length > 0,
      ),
    );
  }

  async function loadCharts(s, signal) {
    charts.loading();
    const filterText = s.q.trim() === '' ? '*' : s.q;
    const histogram = api
      .aggregate({ q: `${filterText} | stats count() by bucket(), ${s.stack}`, ...range0 }, signal)
      .then((answer) => {
        const [a, b] = range0.ms ?? [Date.parse(range0.from), Date.parse(range0.to)];
        charts.renderHistogram(answer, s.stack, a, b);
      })
      .catch((error) => {
        if (error.name !== 'AbortError')
          charts.histogramFailed(error.status === 401 ? 'needs an API key' : error.message);
      });
    const rates = Promise.all([
      api.metrics('log_count', range0, signal),
      api.metrics('error_rate', range0, signal),
    ])
      .then(([counts, errorRates]) => charts.renderRates(counts, errorRates))
      .catch((error) => {
        if (error.name !== 'AbortError')
          charts.ratesFailed(error.status === 401 ? 'needs an API key' : error.message);
      });
    await Promise.all([histogram, rates]);
  }

  function startLive(s) {
    endLive();
    live.setAttribute('aria-pressed', 'true');
    more.hidden = true;
    empty.textContent = '';
    // The charts and the sidebar follow along while tailing (relative ranges move with now).
    void loadSidebar(s, [], request.signal);
    chartTimer = setInterval(() => {
      range0 = resolveRange(s);
      void loadCharts(s, request.signal);
      void loadSidebar(s, [], request.signal);
    }, 30_000);
    liveView.start(s.q);
  }

  function endLive() {
    liveView.end();
    clearInterval(chartTimer);
    live.setAttribute('aria-pressed', 'false');
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

  return {
    show,
    /** Leaving the page for another view: stop streaming and loading. */
    hide() {
      endLive();
      request?.abort();
    },
    focusQuery() {
      q.focus();
      q.setSelectionRange(q.value.length, q.value.length);
    },
  };
}
