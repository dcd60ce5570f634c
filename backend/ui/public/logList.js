/**
 * The dense list of events shared by search, live tail and trace: one line per event (time, level,
 * service, correlation ID, message); clicking a line (or Enter on it) opens the whole event below it.
 * Every value is inserted as text (dom.js), never as markup.
 */

import { isErrorLevel, levelClass, serviceClass } from './colors.js';
import { h } from './dom.js';
import { eventDetail } from './eventDetail.js';
import { formatLogTime } from './format.js';
import { markMatches } from './highlight.js';
import { encodeHash, traceRangeAround } from './state.js';

const HEADERS = { level: 'Level', service: 'Service', correlation_id: 'Correlation ID', message: 'Message' };
const RESERVED_TEXT = new Set(['host', 'env', 'tenant', 'trace_id', 'span_id', 'id', 'observed_ts']);

/**
 * The cells for column names as the URL holds them (state.js): the reserved fields, `message` (with the
 * query's matches marked, `patterns` from highlight.js), and anything else an attribute (`http.status`
 * or `attrs.http.status`).
 */
export function columnsFor(names, patterns = []) {
  return names.map((name) => {
    const header = HEADERS[name] ?? name;
    if (name === 'level')
      return {
        name,
        header,
        cell: (e) => h('span', { class: `lvl ${levelClass(e.level)}` }, String(e.level ?? '')),
      };
    if (name === 'service')
      return {
        name,
        header,
        title: (e) => String(e.service ?? ''),
        cell: (e) => [
          h('span', { class: `dot ${serviceClass(e.service)}`, 'aria-hidden': 'true' }),
          String(e.service ?? ''),
        ],
      };
    if (name === 'correlation_id') return { name, header, cell: correlationCell };
    if (name === 'message') return { name, header, cell: (e) => marked(e.message, patterns) };
    const value = RESERVED_TEXT.has(name) ? (e) => e[name] : (e) => attrOf(e, name);
    return { name, header, title: (e) => text(value(e)), cell: (e) => text(value(e)) };
  });
}

/** `text` with the query's matches in `<mark>`, as DOM children. */
export function marked(value, patterns) {
  return markMatches(String(value ?? ''), patterns).map((part) =>
    typeof part === 'string' ? part : h('mark', null, part.mark),
  );
}

function attrOf(event, name) {
  const attrs = event.attrs ?? {};
  const key = name.startsWith('attrs.') ? name.slice('attrs.'.length) : name;
  return attrs[key];
}

const text = (v) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/**
 * Options: `columns` (from columnsFor; default level, service, correlation ID, message), `time(event)`
 * the first column's text (default: the local time of day), `timeHeader` its heading, `order` ('desc'
 * or 'asc') and `onSort()` make the time heading a sort toggle; `detail` is passed to eventDetail for
 * an opened event (its filter and context actions).
 */
export function createLogList(options = {}) {
  const time = options.time ?? ((e) => formatLogTime(e.ts));
  const columns = options.columns ?? columnsFor(['level', 'service', 'correlation_id', 'message']);
  const events = new WeakMap();
  const body = h('tbody');
  const timeHeader = options.onSort
    ? h(
        'button',
        {
          type: 'button',
          class: 'sort',
          title: 'Change the sort order',
          'aria-label': `Time, ${options.order === 'asc' ? 'oldest' : 'newest'} first; change the sort order`,
          onclick: () => options.onSort(),
        },
        `Time ${options.order === 'asc' ? '↑' : '↓'}`,
      )
    : (options.timeHeader ?? 'Time');
  const table = h(
    'table',
    { class: `log-list ${options.tableClass ?? ''}`.trim(), 'aria-label': options.label ?? 'Events' },
    h(
      'colgroup',
      null,
      h('col', { class: 'w-time' }),
      columns.map((c) => h('col', { class: `w-${widthOf(c.name)}` })),
    ),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col', class: 'col-time' }, timeHeader),
        columns.map((c) => h('th', { scope: 'col', 'data-col': c.name }, c.header)),
      ),
    ),
    body,
  );
  let size = 0;
  // An empty list shows no header row; the page says why it is empty.
  const sized = (n) => {
    size = n;
    table.hidden = size === 0;
  };
  sized(0);

  const row = (event) => {
    const tr = h(
      'tr',
      {
        class: isErrorLevel(event.level) ? 'log-row is-error' : 'log-row',
        tabindex: 0,
        'aria-expanded': 'false',
      },
      h('td', { class: 'c-time', title: String(event.ts ?? '') }, time(event)),
      columns.map((c) =>
        h(
          'td',
          { class: `c-${c.name === 'message' ? 'msg' : 'field'}`, title: c.title?.(event) },
          c.cell(event),
        ),
      ),
    );
    events.set(tr, event);
    return tr;
  };

  const toggle = (tr) => {
    const next = tr.nextElementSibling;
    if (next?.classList.contains('log-detail')) {
      next.remove();
      tr.setAttribute('aria-expanded', 'false');
      return;
    }
    const detail = h(
      'tr',
      { class: 'log-detail' },
      h('td', { colspan: columns.length + 1 }, eventDetail(events.get(tr), options.detail ?? {})),
    );
    tr.after(detail);
    tr.setAttribute('aria-expanded', 'true');
  };

  body.addEventListener('click', (e) => {
    if (e.target.closest('a, button, .log-detail')) return;
    // Selecting text in a line should not open it.
    if (String(window.getSelection?.() ?? '') !== '') return;
    const tr = e.target.closest('tr.log-row');
    if (tr) toggle(tr);
  });
  body.addEventListener('keydown', (e) => {
    const tr = e.target;
    if (!(tr instanceof HTMLTableRowElement) || !tr.classList.contains('log-row')) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      toggle(tr);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      let next = e.key === 'ArrowDown' ? tr.nextElementSibling : tr.previousElementSibling;
      while (next && !next.classList.contains('log-row'))
        next = e.key === 'ArrowDown' ? next.nextElementSibling : next.previousElementSibling;
      next?.focus();
    }
  });

  return {
    element: table,
    get size() {
      return size;
    },
    clear() {
      body.replaceChildren();
      sized(0);
    },
    /** Adds events at the end, in the given order (older pages of a search). */
    append(list) {
      const fragment = document.createDocumentFragment();
      for (const e of list) fragment.append(row(e));
      body.append(fragment);
      sized(size + list.length);
    },
    /**
     * Puts events from a live tail in their place by time, newest on top (they arrive in the order
     * services shipped them, not in time order), then drops the oldest lines beyond `cap` so a busy tail
     * cannot grow the page without bound.
     */
    insertByTime(list, cap) {
      const sorted = [...list].sort((a, b) => compareTs(b, a));
      let next = body.firstElementChild;
      for (const event of sorted) {
        // Rows are newest first: skip those newer than this event (and opened details below them).
        while (next && (!next.classList.contains('log-row') || compareTs(events.get(next), event) > 0))
          next = next.nextElementSibling;
        body.insertBefore(row(event), next);
      }
      let n = size + list.length;
      while (n > cap && body.lastElementChild) {
        const last = body.lastElementChild;
        if (last.classList.contains('log-row')) n--;
        last.remove();
      }
      sized(n);
    },
  };
}

/** Events by time (RFC 3339 with up to ns: compared as ms, then as text for the digits beyond), then id. */
export function compareTs(a, b) {
  const d = Date.parse(a.ts) - Date.parse(b.ts);
  if (d !== 0 && !Number.isNaN(d)) return d;
  return String(a.ts).localeCompare(String(b.ts)) || String(a.id).localeCompare(String(b.id));
}

function widthOf(name) {
  return name === 'level' || name === 'message' || name === 'timeline' ? name : 'field';
}

/** What the trace route accepts as an ID; anything else is shown as plain text. */
const TRACEABLE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

function correlationCell(event) {
  const cid = typeof event.correlation_id === 'string' ? event.correlation_id : '';
  if (cid === '') return null;
  if (!TRACEABLE.test(cid)) return h('span', { class: 'cid', title: cid }, cid);
  const range = traceRangeAround(event.ts);
  return h(
    'a',
    { href: encodeHash({ view: 'trace', id: cid, ...range }), title: `Trace ${cid}`, class: 'cid' },
    cid,
  );
}
