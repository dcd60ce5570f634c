/**
 * The dense list of events shared by search, live tail and trace: one line per event (time, level,
 * service, correlation ID, message); clicking a line (or Enter on it) opens the whole event below it.
 * Every value is inserted as text (dom.js), never as markup.
 */

import { isErrorLevel, levelClass, serviceClass } from './colors.js';
import { h } from './dom.js';
import { eventDetail } from './eventDetail.js';
import { formatLogTime } from './format.js';
import { encodeHash, traceRangeAround } from './state.js';

const COLUMNS = ['Time', 'Level', 'Service', 'Correlation ID', 'Message'];

/**
 * Options: `time(event)` gives the first column's text (default: the local time of day), `timeHeader`
 * its heading; `fourth: { header, cell(event) }` replaces the correlation ID column (the trace view puts
 * a timeline there); `onFilter(term)` is called by the filter buttons of an opened event.
 */
export function createLogList(options = {}) {
  const time = options.time ?? ((e) => formatLogTime(e.ts));
  const fourth = options.fourth ?? { header: COLUMNS[3], cell: correlationCell };
  const headers = [options.timeHeader ?? COLUMNS[0], COLUMNS[1], COLUMNS[2], fourth.header, COLUMNS[4]];
  const events = new WeakMap();
  const body = h('tbody');
  const table = h(
    'table',
    { class: options.fourth ? 'log-list has-lane' : 'log-list', 'aria-label': options.label ?? 'Events' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        headers.map((c, i) => h('th', { scope: 'col', class: `col-${i}` }, c)),
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
      h(
        'td',
        { class: 'c-level' },
        h('span', { class: `lvl ${levelClass(event.level)}` }, String(event.level ?? '')),
      ),
      h(
        'td',
        { class: 'c-service', title: String(event.service ?? '') },
        h('span', { class: `dot ${serviceClass(event.service)}`, 'aria-hidden': 'true' }),
        String(event.service ?? ''),
      ),
      h('td', { class: 'c-cid' }, fourth.cell(event)),
      h('td', { class: 'c-msg' }, String(event.message ?? '')),
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
      h('td', { colspan: COLUMNS.length }, eventDetail(events.get(tr), options.onFilter)),
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
     * Puts events (oldest first, as a tail delivers them) on top, newest first, then drops the oldest
     * lines beyond `cap` so a busy tail cannot grow the page without bound.
     */
    prepend(list, cap) {
      const fragment = document.createDocumentFragment();
      for (let i = list.length - 1; i >= 0; i--) fragment.append(row(list[i]));
      let n = size + list.length;
      body.prepend(fragment);
      while (n > cap && body.lastElementChild) {
        const last = body.lastElementChild;
        if (last.classList.contains('log-row')) n--;
        last.remove();
      }
      sized(n);
    },
  };
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
