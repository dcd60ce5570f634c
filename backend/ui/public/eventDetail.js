/**
 * One event opened in full: the whole message (line breaks kept), every field and attribute with
 * buttons that add `field:value` or `-field:value` to the query, and the raw JSON.
 */
import { h } from './dom.js';
import { EVENT_FIELDS } from './eventFields.js';
import { attrField, FILTER_FIELDS, fieldTerm } from './queryTerms.js';

/** The event's fields in schema order, the id last; the message and attributes have places of their own. */
const SHOWN_FIRST = [...EVENT_FIELDS.filter((name) => !['id', 'message', 'attrs'].includes(name)), 'id'];

export function eventDetail(event, onFilter) {
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
  return h(
    'div',
    { class: 'detail' },
    h('pre', { class: 'detail-message' }, String(event.message ?? '')),
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
  const exclude = queryField && onFilter ? fieldTerm(queryField, value, true) : null;
  return h(
    'tr',
    null,
    h('th', { scope: 'row' }, label),
    h(
      'td',
      { class: 'filters' },
      include && filterButton('+', `Show only ${include}`, include, onFilter),
      exclude && filterButton('−', `Leave out ${include}`, exclude, onFilter),
    ),
    h('td', { class: typeof value === 'string' ? 'value' : 'value literal' }, text),
  );
}

function filterButton(label, title, term, onFilter) {
  return h(
    'button',
    { type: 'button', class: 'filter', title, 'aria-label': title, onclick: () => onFilter(term) },
    label,
  );
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
