/**
 * One request across services (GET /api/v1/trace/{id}): a summary with a swimlane per service showing
 * when it logged (each event a tick, errors in red), then every event in order with its offset from the
 * first one.
 */

import { isErrorLevel, serviceClass } from './colors.js';
import { h, s } from './dom.js';
import { formatCount, formatDuration, formatLogTime, formatOffset, toMs } from './format.js';
import { columnsFor, createLogList } from './logList.js';

const LANE = 1000; // lane width in SVG units; the SVG stretches to the cell

/** Renders `trace` into `container`; `backHref` leads to the search it came from. */
export function renderTrace(container, trace, { backHref, onFilter }) {
  const start = toMs(trace.start);
  const duration = Math.max(0, trace.duration_ms);
  const pos = (ts) => (duration === 0 ? 0 : ((toMs(ts) - start) / duration) * LANE);
  const errors = trace.services.reduce((a, x) => a + x.errors, 0);

  const list = createLogList({
    label: 'Events of the trace',
    timeHeader: 'Offset',
    time: (e) => formatOffset(toMs(e.ts) - start),
    columns: [
      ...columnsFor(['level', 'service']),
      { name: 'timeline', header: 'Timeline', cell: (e) => marker(pos(e.ts), isErrorLevel(e.level)) },
      ...columnsFor(['message']),
    ],
    tableClass: 'has-lane',
    detail: { onFilter },
  });
  list.append(trace.events);

  container.replaceChildren(
    h('p', { class: 'back' }, h('a', { href: backHref }, '← Back to search')),
    h('h2', { class: 'trace-title' }, 'Trace ', h('code', null, trace.correlation_id)),
    h(
      'dl',
      { class: 'trace-meta' },
      meta('Started', `${formatLogTime(trace.start, new Date(0))}`),
      meta('Duration', formatDuration(duration)),
      meta('Events', formatCount(trace.events.length)),
      meta('Services', formatCount(trace.services.length)),
      meta('Errors', formatCount(errors), errors > 0 ? 'has-errors' : null),
    ),
    h(
      'table',
      { class: 'swimlanes', 'aria-label': 'Services in this trace' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['Service', 'Events', 'Errors', 'First', 'Last'].map((t) => h('th', { scope: 'col' }, t)),
          h(
            'th',
            { scope: 'col' },
            h(
              'div',
              { class: 'lane-scale' },
              h('span', null, '0'),
              h('span', null, formatDuration(duration)),
            ),
          ),
        ),
      ),
      h(
        'tbody',
        null,
        trace.services.map((svc) => lane(svc, trace.events, start, pos)),
      ),
    ),
    h('h3', null, 'Events in order'),
    list.element,
  );
}

/** Where one event falls in the trace, as a mark on a thin lane. */
function marker(x, error) {
  return s(
    'svg',
    { class: 'mini-lane', viewBox: `0 0 ${LANE} 12`, preserveAspectRatio: 'none', 'aria-hidden': 'true' },
    s('line', { class: 'axis', x1: 0, x2: LANE, y1: 6, y2: 6 }),
    s('line', { class: error ? 'tick-mark is-error' : 'tick-mark', x1: x, x2: x, y1: 0, y2: 12 }),
  );
}

function meta(label, value, cls) {
  return h('div', { class: cls }, h('dt', null, label), h('dd', null, value));
}

function lane(svc, events, start, pos) {
  const mine = events.filter((e) => e.service === svc.service);
  const cls = serviceClass(svc.service);
  const x0 = pos(svc.first_ts);
  const x1 = pos(svc.last_ts);
  const ticks = mine.map((e) =>
    s(
      'line',
      {
        class: isErrorLevel(e.level) ? 'tick-mark is-error' : 'tick-mark',
        x1: pos(e.ts),
        x2: pos(e.ts),
        y1: 2,
        y2: 18,
      },
      s(
        'title',
        null,
        `${formatOffset(toMs(e.ts) - start)} ${e.level} ${String(e.message ?? '').slice(0, 200)}`,
      ),
    ),
  );
  return h(
    'tr',
    { class: svc.errors > 0 ? 'is-error' : null },
    h('th', { scope: 'row' }, h('span', { class: `dot ${cls}`, 'aria-hidden': 'true' }), svc.service),
    h('td', { class: 'num' }, formatCount(svc.count)),
    h('td', { class: svc.errors > 0 ? 'num has-errors' : 'num' }, formatCount(svc.errors)),
    h('td', { class: 'num' }, formatOffset(toMs(svc.first_ts) - start)),
    h('td', { class: 'num' }, formatOffset(toMs(svc.last_ts) - start)),
    h(
      'td',
      { class: 'lane' },
      s(
        'svg',
        { viewBox: `0 0 ${LANE} 20`, preserveAspectRatio: 'none', 'aria-hidden': 'true' },
        s('rect', { class: `span ${cls}`, x: x0, y: 6, width: Math.max(2, x1 - x0), height: 8, rx: 2 }),
        ticks,
      ),
    ),
  );
}
