/**
 * Context around a hit: the events logged just before and after it on the same host and from the same
 * source (GET /api/v1/context/{id}, docs/api.md), oldest first, the hit itself marked, like `grep -C`.
 */
import { levelClass } from './colors.js';
import { h } from './dom.js';
import { formatLogTime } from './format.js';
import { marked } from './logList.js';

export const CONTEXT_SIZE = 10;

/** An element that fills itself with the context of `event` once it arrives. */
export function contextPanel(api, event, patterns) {
  const panel = h(
    'section',
    { class: 'context', 'aria-label': 'Context' },
    h('p', { class: 'context-note' }, 'Loading context…'),
  );
  api.context(event, CONTEXT_SIZE).then(
    (answer) => panel.replaceChildren(...render(answer, patterns)),
    (error) => panel.replaceChildren(h('p', { class: 'context-note query-error' }, error.message)),
  );
  return panel;
}

function render(answer, patterns) {
  const same = Object.entries(answer.same ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const line = (e, cls) =>
    h(
      'tr',
      { class: cls },
      h('td', { class: 'c-time', title: e.ts }, formatLogTime(e.ts)),
      h('td', null, h('span', { class: `lvl ${levelClass(e.level)}` }, String(e.level ?? ''))),
      h(
        'td',
        { class: 'c-msg' },
        cls === 'context-hit' ? marked(e.message, patterns) : String(e.message ?? ''),
      ),
    );
  return [
    h(
      'p',
      { class: 'context-note' },
      `${answer.before.length} before and ${answer.after.length} after, same ${same || 'source'}`,
    ),
    h(
      'table',
      { class: 'context-list' },
      h(
        'tbody',
        null,
        answer.before.map((e) => line(e, 'context-before')),
        line(answer.event, 'context-hit'),
        answer.after.map((e) => line(e, 'context-after')),
      ),
    ),
  ];
}
