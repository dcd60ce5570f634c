/**
 * The form that creates or edits an alert rule: the fields of an `alerts.rules` entry (docs/alerts.md),
 * sent as the body of POST or PUT /api/v1/alerts/rules. The server checks everything; its error (which
 * field, what was expected) is shown under the form.
 */
import { h } from './dom.js';

const OPS = ['>', '>=', '<', '<='];
const SEVERITIES = ['info', 'warning', 'critical'];

/** The API body for the form's values: numbers and lists as the API takes them. */
export function ruleBody(values) {
  const groupBy = values.group_by
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  return {
    name: values.name.trim(),
    query: values.query,
    window: values.window.trim(),
    op: values.op,
    threshold: Number(values.threshold),
    for: values.for.trim() || '0s',
    group_by: groupBy,
    severity: values.severity,
  };
}

/** `rule` null for a new one. `submit(values)` may throw an ApiError, shown under the form. */
export function ruleForm(rule, { submit, cancel }) {
  const r = rule ?? {
    name: '',
    query: '',
    window: '5m',
    op: '>',
    threshold: 0,
    for: '0s',
    group_by: [],
    severity: 'warning',
  };
  const error = h('p', { class: 'query-error', role: 'alert', hidden: true });
  const field = (label, input) => h('label', { class: 'form-field' }, h('span', null, label), input);
  const text = (name, value, extra = {}) =>
    h('input', {
      name,
      value: String(value),
      type: 'text',
      spellcheck: 'false',
      autocomplete: 'off',
      ...extra,
    });
  const select = (name, options, value) =>
    h(
      'select',
      { name },
      options.map((o) => h('option', { value: o, selected: o === value }, o)),
    );
  const form = h(
    'form',
    { class: 'rule-form', 'aria-label': rule === null ? 'New alert rule' : `Edit ${rule.name}` },
    h('h3', null, rule === null ? 'New rule' : `Edit ${rule.name}`),
    h(
      'div',
      { class: 'form-grid' },
      field(
        'Name',
        text('name', r.name, { required: true, readonly: rule !== null, placeholder: 'checkout-errors' }),
      ),
      field('Query', text('query', r.query, { class: 'mono', placeholder: 'service:checkout level>=error' })),
      field('Window', text('window', r.window, { placeholder: '5m' })),
      field(
        'Condition',
        h(
          'span',
          { class: 'inline' },
          'count ',
          select('op', OPS, r.op),
          ' ',
          text('threshold', r.threshold, { inputmode: 'decimal', size: 6 }),
        ),
      ),
      field('For', text('for', r.for, { placeholder: '0s' })),
      field('Group by', text('group_by', r.group_by.join(', '), { placeholder: 'service, host' })),
      field('Severity', select('severity', SEVERITIES, r.severity)),
    ),
    error,
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary' }, rule === null ? 'Create rule' : 'Save rule'),
      h('button', { type: 'button', onclick: cancel }, 'Cancel'),
    ),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const values = Object.fromEntries(
      ['name', 'query', 'window', 'op', 'threshold', 'for', 'group_by', 'severity'].map((k) => [
        k,
        String(data.get(k) ?? ''),
      ]),
    );
    error.hidden = true;
    try {
      await submit(values);
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
    }
  });
  return form;
}
