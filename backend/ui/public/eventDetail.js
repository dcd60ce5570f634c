/**
 * One event opened in full: the whole message (line breaks kept, the query's matches marked), every
 * field and attribute with buttons that filter the query to `field:value` or leave it out, the events
 * logged around it on the same host and source (context), and the raw JSON.
 */
import { h } from './dom.js';
import { EVENT_FIELDS } from './eventFields.js';
import { markMatches } from './highlight.js';
import { attrField, FILTER_FIELDS, fieldTerm } from './queryTerms.js';

/** The event's fields in schema order, the id last; the message and attributes have places of their own. */
const SHOWN_FIRST = [...EVENT_FIELDS.filter((name) => !['id', 'message', 'attrs'].includes(name)), 'id'];

/**
 * Options: `onFilter(field, value, negate)`; `patterns` (highlight.js) to mark in the message;
 * `context(event)` returns an element showing the events around this one (loaded on demand).
 */
export function eventDetail(event, { onFilter, patterns = [], context } = {}) {
  const rows = [];
  for (const name of SHOWN_FIRST) {
    if (event[name] === undefined || event[name] === null) continue;
    rows.push(
      field(name, event[name], FILTER_FIELDS.includes(name) || name === 'id' ? name : null, onFilter),
    );
  }
  const attrs = event.attrs && typeof event.attrs === 'object' ? event.attrs : {};
  for (const name of Object.keys(attrs).sort())
    rows.push(field(`attrs.${name}`, attrs[name], attrField(name), onFilter));
  for (const name of Object.keys(event)) {
    // Fields this UI does not know (a newer server): shown, not filterable.
    if (!SHOWN_FIRST.includes(name) && name !== 'attrs' && name !== 'message')
      rows.push(field(name, event[name], null, onFilter));
  }

  const json = JSON.stringify(event, null, 2);
  const contextSlot = h('div', { class: 'context-slot' });
  const contextButton =
    context &&
    h(
      'button',
      {
        type: 'button',
        class: 'small context-button',
        title: 'The events logged just before and after this one on the same host and source',
        onclick: (e) => {
          e.currentTarget.disabled = true;
          contextSlot.replaceChildren(context(event));
        },
      },
      'Show context',
    );
  return h(
    'div',
    { class: 'detail' },
    h(
      'pre',
      { class: 'detail-message' },
      markMatches(String(event.message ?? ''), patterns).map((p) =>
        typeof p === 'string' ? p : h('mark', null, p.mark),
      ),
    ),
    contextButton,
    contextSlot,
    h(
      'div',
      { class: 'detail-body' },
      h('table', { class: 'fields', 'aria-label': 'Fields' }, h('tbody', null, rows)),
      h(
        'div',
        { class: 'detail-json' },
        h(
          'div',
          { class: 'detail-json-bar' },
          h('span', null, 'JSON'),
          h(
            'button',
            { type: 'button', class: 'small', onclick: (e) => copy(e.currentTarget, json) },
            'Copy',
          ),
        ),
        h('pre', { class: 'json' }, json),
      ),
    ),
  );
}

function field(label, value, queryField, onFilter) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const include = queryField && onFilter ? fieldTerm(queryField, value) : null;
  return h(
    'tr',
    null,
    h('th', { scope: 'row' }, label),
    h(
      'td',
      { class: 'filters' },
      include && filterButton('+', `Show only ${include}`, () => onFilter(queryField, value, false)),
      include && filterButton('−', `Leave out ${include}`, () => onFilter(queryField, value, true)),
    ),
    h('td', { class: typeof value === 'string' ? 'value' : 'value literal' }, text),
  );
}

function filterButton(label, title, onclick) {
  return h('button', { type: 'button', class: 'filter', title, 'aria-label': title, onclick }, label);
}

async function copy(button, text) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    // The clipboard needs a secure context or permission; say so instead of failing silently.
    button.textContent = 'Copy failed';
  }
  setTimeout(() => {
    button.textContent = 'Copy';
  }, 1500);
}
