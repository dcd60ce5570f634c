/**
 * The alerts page (`#view=alerts`): what is firing now, with a link to the events behind each alert;
 * every rule with its state, condition, last evaluation and silence; and, for keys that may (admin), a
 * form to create or edit a rule, a silence per rule, and delete. Refreshed every 15 s while shown.
 */
import { fill, h } from './dom.js';
import { formatCount, formatLogTime } from './format.js';
import { ruleBody, ruleForm } from './ruleForm.js';

const REFRESH_MS = 15_000;
const SILENCES = [
  ['30m', '30 minutes'],
  ['1h', '1 hour'],
  ['4h', '4 hours'],
  ['1d', '1 day'],
];

export function createAlertsView(container, { api }) {
  let timer = null;
  let editing = null; // null, or { rule } (rule null: a new one)
  let last = null;
  const firingBox = h('section', { class: 'alerts-firing', 'aria-label': 'Firing alerts' });
  const rulesBox = h('section', { class: 'alerts-rules', 'aria-label': 'Alert rules' });
  const formBox = h('div', { class: 'rule-form-box' });
  const status = h('p', { class: 'summary', 'aria-live': 'polite' });
  fill(container, h('h2', { class: 'view-title' }, 'Alerts'), status, firingBox, formBox, rulesBox);

  async function load() {
    try {
      const [rules, firing] = await Promise.all([api.alerts.rules(), api.alerts.firing()]);
      last = { rules: rules.rules, canEdit: rules.can_edit === true, firing: firing.alerts };
      status.textContent = `${formatCount(last.rules.length)} rules · ${formatCount(
        last.firing.filter((a) => a.state === 'firing').length,
      )} firing · updated ${formatLogTime(new Date().toISOString())}`;
      render();
    } catch (error) {
      status.textContent =
        error.status === 401
          ? 'This server needs an API key. Enter it in the "API key" field at the top.'
          : error.message;
    }
  }

  function render() {
    renderFiring(firingBox, last.firing);
    renderRules(rulesBox, last, {
      edit: (rule) => {
        editing = { rule };
        renderForm();
      },
      silence: (rule, duration) =>
        act(() => api.alerts.silence(rule.name, duration), `Silenced ${rule.name}`),
      unsilence: (rule) => act(() => api.alerts.unsilence(rule.name), `${rule.name} is no longer silenced`),
      remove: (rule) => {
        if (window.confirm(`Delete the rule "${rule.name}"?`))
          void act(() => api.alerts.remove(rule.name), `Deleted ${rule.name}`);
      },
      create: () => {
        editing = { rule: null };
        renderForm();
      },
    });
    renderForm();
  }

  function renderForm() {
    if (editing === null || !last?.canEdit) {
      fill(formBox);
      return;
    }
    fill(
      formBox,
      ruleForm(editing.rule, {
        submit: async (values) => {
          const body = ruleBody(values);
          if (editing.rule === null) await api.alerts.create(body);
          else await api.alerts.replace(editing.rule.name, body);
          const name = body.name;
          editing = null;
          await act(async () => undefined, `Saved ${name}`);
        },
        cancel: () => {
          editing = null;
          renderForm();
        },
      }),
    );
  }

  async function act(work, done) {
    try {
      await work();
      await load();
      status.textContent = `${done} · ${status.textContent}`;
    } catch (error) {
      status.textContent = error.message;
    }
  }

  return {
    show() {
      clearInterval(timer);
      timer = setInterval(() => void load(), REFRESH_MS);
      status.textContent = 'Loading alerts…';
      void load();
    },
    hide() {
      clearInterval(timer);
      timer = null;
    },
  };
}

function renderFiring(box, alerts) {
  if (alerts.length === 0) {
    fill(box, h('h3', null, 'Firing'), h('p', { class: 'empty-note' }, 'Nothing is firing or pending.'));
    return;
  }
  fill(
    box,
    h('h3', null, 'Firing'),
    h(
      'table',
      { class: 'alerts-table firing-table' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['State', 'Rule', 'Group', 'Count', 'Since', ''].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        null,
        alerts.map((a) =>
          h(
            'tr',
            { class: `alert-row state-${a.state}`, 'data-rule': a.rule },
            h('td', null, badge(a.state)),
            h('td', null, a.rule, ' ', h('span', { class: `severity sev-${a.severity}` }, a.severity)),
            h('td', { class: 'mono' }, groupText(a.group)),
            h(
              'td',
              { class: 'mono' },
              `${a.count_relation === 'gte' ? '≥ ' : ''}${formatCount(a.count)} ${a.op} ${a.threshold}`,
            ),
            h('td', { title: a.since }, formatLogTime(a.since)),
            h('td', null, h('a', { href: a.search_url, class: 'search-link' }, 'Show events')),
          ),
        ),
      ),
    ),
  );
}

function renderRules(box, { rules, canEdit }, actions) {
  fill(
    box,
    h(
      'div',
      { class: 'rules-head' },
      h('h3', null, 'Rules'),
      canEdit &&
        h('button', { type: 'button', class: 'primary new-rule', onclick: actions.create }, 'New rule'),
    ),
    rules.length === 0
      ? h('p', { class: 'empty-note' }, 'No alert rules yet.')
      : h(
          'table',
          { class: 'alerts-table rules-table' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              ['State', 'Rule', 'Condition', 'Last evaluation', 'Silenced until', ''].map((t) =>
                h('th', { scope: 'col' }, t),
              ),
            ),
          ),
          h(
            'tbody',
            null,
            rules.map((r) => ruleRow(r, canEdit, actions)),
          ),
        ),
  );
}

function ruleRow(r, canEdit, actions) {
  const evaluation = r.last_evaluation;
  const silence = h(
    'select',
    {
      class: 'silence-select',
      'aria-label': `Silence ${r.name} for`,
      onchange: (e) => {
        if (e.target.value !== '') actions.silence(r, e.target.value);
      },
    },
    h('option', { value: '' }, 'Silence…'),
    SILENCES.map(([value, label]) => h('option', { value }, label)),
  );
  return h(
    'tr',
    { class: `rule-row state-${r.state}`, 'data-rule': r.name },
    h('td', null, badge(r.state)),
    h(
      'td',
      null,
      h('strong', null, r.name),
      r.source === 'config'
        ? h('span', { class: 'source-note', title: 'Defined in sluice.yaml' }, ' sluice.yaml')
        : '',
      h('div', { class: 'mono rule-query' }, r.query === '' ? '(every event)' : r.query),
    ),
    h(
      'td',
      { class: 'mono' },
      `count ${r.op} ${r.threshold} in ${r.window}`,
      r.for !== '0s' ? ` for ${r.for}` : '',
      r.group_by.length > 0 ? ` by ${r.group_by.join(', ')}` : '',
    ),
    h(
      'td',
      { class: 'last-evaluation' },
      evaluation === null
        ? 'not yet'
        : evaluation.error !== null
          ? h(
              'span',
              { class: 'eval-error', title: evaluation.error },
              `failed ${formatLogTime(evaluation.at)}`,
            )
          : `${formatLogTime(evaluation.at)} · count ${formatCount(evaluation.count)}`,
    ),
    h('td', { class: 'silenced' }, r.silenced_until === null ? '–' : formatLogTime(r.silenced_until)),
    h(
      'td',
      { class: 'rule-actions' },
      canEdit &&
        r.source === 'api' &&
        h('button', { type: 'button', class: 'small', onclick: () => actions.edit(r) }, 'Edit'),
      canEdit &&
        (r.silenced_until === null
          ? silence
          : h(
              'button',
              { type: 'button', class: 'small', onclick: () => actions.unsilence(r) },
              'Unsilence',
            )),
      canEdit &&
        r.source === 'api' &&
        h('button', { type: 'button', class: 'small danger', onclick: () => actions.remove(r) }, 'Delete'),
    ),
  );
}

function badge(state) {
  return h('span', { class: `state-badge state-${state}` }, state);
}

function groupText(group) {
  const entries = Object.entries(group ?? {});
  return entries.length === 0 ? '–' : entries.map(([k, v]) => `${k}=${v}`).join(' ');
}
