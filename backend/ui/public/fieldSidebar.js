/**
 * The field sidebar: for each field, the top values among the current query's matches with their counts
 * (`<q> | top 5 <field>` through the aggregate API), each with buttons to filter to it or leave it out,
 * and a toggle that shows the field as a column of the results.
 */
import { fill, h } from './dom.js';
import { formatCount } from './format.js';
import { fieldTerm } from './queryTerms.js';

/** Fields always listed (when present); attributes seen in the loaded hits follow. */
export const SIDEBAR_FIELDS = ['level', 'service', 'host', 'env'];
const MAX_ATTRS = 8;

/** The attribute names of `hits`, most frequent first (then by name), at most `max`. */
export function attributeNames(hits, max = MAX_ATTRS) {
  const seen = new Map();
  for (const e of hits)
    for (const name of Object.keys(e.attrs ?? {})) seen.set(name, (seen.get(name) ?? 0) + 1);
  return [...seen]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, max)
    .map(([name]) => name);
}

/**
 * `onFilter(field, value, negate)` filters the query; `onColumn(name)` toggles a column. `render` takes
 * `[{ name, query, column, columnOnly, top: [{ value, count }] | null, error }]` (top null: still
 * loading; columnOnly: a column toggle and no values).
 */
export function createFieldSidebar(container, { onFilter, onColumn }) {
  const list = h('div', { class: 'field-list' });
  fill(container, h('h2', { class: 'sidebar-title' }, 'Fields'), list);

  return {
    render(fields) {
      fill(
        list,
        fields.map((f) =>
          h(
            'section',
            { class: 'field', 'data-field': f.name, 'aria-label': `Field ${f.name}` },
            h(
              'div',
              { class: 'field-head' },
              h('span', { class: 'field-name', title: f.name }, f.name),
              h(
                'button',
                {
                  type: 'button',
                  class: 'small column-toggle',
                  'aria-pressed': f.column ? 'true' : 'false',
                  title: f.column ? `Remove the ${f.name} column` : `Show ${f.name} as a column`,
                  onclick: () => onColumn(f.name),
                },
                f.column ? 'column ✓' : 'column',
              ),
            ),
            values(f, onFilter),
          ),
        ),
      );
    },
  };
}

function values(f, onFilter) {
  if (f.columnOnly) return null;
  if (f.error) return h('p', { class: 'field-note' }, f.error);
  if (f.top === null) return h('p', { class: 'field-note' }, 'counting…');
  if (f.top.length === 0) return h('p', { class: 'field-note' }, 'no values');
  const max = Math.max(...f.top.map((t) => t.count));
  return h(
    'ul',
    { class: 'top-values' },
    f.top.map((t) => {
      const term = fieldTerm(f.query, t.value);
      return h(
        'li',
        { class: 'top-value', 'data-value': String(t.value) },
        h('span', { class: 'value-text', title: String(t.value) }, String(t.value)),
        h('span', { class: 'value-count' }, formatCount(t.count)),
        term &&
          h(
            'button',
            {
              type: 'button',
              class: 'value-filter include',
              title: `Show only ${term}`,
              'aria-label': `Show only ${term}`,
              onclick: () => onFilter(f.query, t.value, false),
            },
            '+',
          ),
        term &&
          h(
            'button',
            {
              type: 'button',
              class: 'value-filter exclude',
              title: `Leave out ${term}`,
              'aria-label': `Leave out ${term}`,
              onclick: () => onFilter(f.query, t.value, true),
            },
            '−',
          ),
        bar(t.count / max),
      );
    }),
  );
}

/** A bar of the value's share; sized through the CSSOM, which the CSP allows (inline styles it does not). */
function bar(share) {
  const el = h('span', { class: 'value-bar', 'aria-hidden': 'true' });
  el.style.width = `${Math.round(share * 100)}%`;
  return el;
}
