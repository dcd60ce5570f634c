/**
 * The Sluice web UI: search, trace, charts, live tail and alerts over the query API, in plain browser
 * modules. This file wires the page together: the API key, hash routing between the views, the keyboard.
 */
import { createAlertsView } from './alertsView.js';
import { createApi } from './api.js';
import { h } from './dom.js';
import { setTerm } from './queryTerms.js';
import { createSearchView } from './searchView.js';
import { decodeHash, encodeHash } from './state.js';
import { renderTrace } from './traceView.js';

const KEY_STORAGE = 'sluice.apiKey';
const $ = (id) => document.getElementById(id);

// sessionStorage, not localStorage: the key lives as long as the tab, and is not left on disk for
// whoever uses the browser next.
let apiKey = sessionStorage.getItem(KEY_STORAGE) ?? '';
const api = createApi(() => apiKey);
const keyInput = $('api-key');
keyInput.value = apiKey;

const searchView = createSearchView({
  api,
  navigate,
  onApiError: () => {
    keyInput.classList.add('needs-attention');
    keyInput.focus();
  },
});
const traceSection = $('trace-view');
const searchSection = $('search-view');
const alertsSection = $('alerts-view');
const alertsView = createAlertsView(alertsSection, { api });
let lastSearchHash = '#';
let traceRequest = null;

/** Goes to `state`: a new history entry when it differs from the current one, else just runs it again. */
function navigate(state) {
  const hash = encodeHash(state);
  if (hash === (location.hash || '#')) render();
  else location.hash = hash;
}

function render() {
  const state = decodeHash(location.hash);
  traceRequest?.abort();
  searchSection.hidden = state.view !== 'search';
  traceSection.hidden = state.view !== 'trace';
  alertsSection.hidden = state.view !== 'alerts';
  $('nav-search').setAttribute('aria-current', String(state.view !== 'alerts'));
  $('nav-alerts').setAttribute('aria-current', String(state.view === 'alerts'));
  $('nav-search').href = lastSearchHash;
  if (state.view !== 'search') searchView.hide();
  if (state.view !== 'alerts') alertsView.hide();
  if (state.view === 'trace') void showTrace(state);
  else if (state.view === 'alerts') {
    document.title = 'Alerts · Sluice';
    alertsView.show();
  } else {
    lastSearchHash = encodeHash(state);
    $('nav-search').href = lastSearchHash;
    document.title = state.q ? `${state.q} · Sluice` : 'Sluice';
    searchView.show(state);
  }
}

async function showTrace(state) {
  traceRequest = new AbortController();
  const signal = traceRequest.signal;
  const back = h('p', { class: 'back' }, h('a', { href: lastSearchHash }, '← Back to search'));
  document.title = `Trace ${state.id} · Sluice`;
  traceSection.replaceChildren(back, h('p', { class: 'summary' }, 'Loading trace…'));
  try {
    const trace = await api.trace(state.id, { from: state.from, to: state.to }, signal);
    renderTrace(traceSection, trace, {
      backHref: lastSearchHash,
      onFilter: (field, value, negate) =>
        navigate({ ...decodeHash(lastSearchHash), q: setTerm('', field, value, negate) ?? '' }),
    });
  } catch (error) {
    if (error.name === 'AbortError') return;
    const parts = [back, h('p', { class: 'query-error', role: 'alert' }, error.message)];
    if (error.status === 404 && (state.from || state.to)) {
      parts.push(
        h(
          'p',
          null,
          h(
            'a',
            { href: encodeHash({ view: 'trace', id: state.id }), class: 'button' },
            'Look through all retained events',
          ),
        ),
      );
    }
    if (error.status === 401) {
      parts[1].textContent = 'This server needs an API key. Enter it in the "API key" field at the top.';
      keyInput.classList.add('needs-attention');
      keyInput.focus();
    }
    traceSection.replaceChildren(...parts);
  }
}

$('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  apiKey = keyInput.value.trim();
  if (apiKey === '') sessionStorage.removeItem(KEY_STORAGE);
  else sessionStorage.setItem(KEY_STORAGE, apiKey);
  keyInput.classList.remove('needs-attention');
  render();
});

document.addEventListener('keydown', (e) => {
  if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
  const t = e.target;
  if (
    t instanceof HTMLInputElement ||
    t instanceof HTMLTextAreaElement ||
    t instanceof HTMLSelectElement ||
    t.isContentEditable
  )
    return;
  e.preventDefault();
  if (!searchSection.hidden) searchView.focusQuery();
  else navigate(decodeHash(lastSearchHash));
});

window.addEventListener('hashchange', render);
render();
