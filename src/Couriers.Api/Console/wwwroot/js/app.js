// Entry point: who is calling (GET /me), what that key may do, the three views and the refresh timer.
import { ApiError, call, key } from './api.js';
import { $, show, showProblem } from './dom.js';
import * as couriers from './couriers.js';
import * as today from './today.js';
import * as deliveries from './deliveries.js';

const VIEWS = { couriers, today, deliveries };
// ?refresh=N (seconds, at least 2) changes how often the Couriers view reloads itself.
const REFRESH_SECONDS = Math.max(2, Number(new URLSearchParams(location.search).get('refresh')) || 10);

function rightsOf(roles) {
  const has = (role) => roles.includes('admin') || roles.includes(role);
  return { dispatch: has('dispatcher'), update: has('driver') };
}

function selectTab(tab) {
  for (const other of document.querySelectorAll('[role=tab]')) {
    const selected = other === tab;
    other.setAttribute('aria-selected', String(selected));
    other.tabIndex = selected ? 0 : -1;
    $(other.getAttribute('aria-controls')).hidden = !selected;
  }
  const view = VIEWS[tab.getAttribute('aria-controls')];
  view.refresh().then(loaded, report);
}

function wireTabs() {
  const tabs = [...document.querySelectorAll('[role=tab]')];
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => selectTab(tab));
    // Arrow keys move between tabs, as in any tab list.
    tab.addEventListener('keydown', (e) => {
      const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
      if (!step) return;
      const next = tabs[(i + step + tabs.length) % tabs.length];
      next.focus();
      selectTab(next);
    });
  });
}

// A failed refresh or view load: a revoked key signs out; anything else (429, 503, a network error) is shown
// until the next load succeeds.
function report(error) {
  if (error instanceof ApiError && error.status === 401) {
    key.forget();
    location.reload();
    return;
  }
  showProblem($('page-problem'), error);
}

const loaded = () => { $('page-problem').hidden = true; };

async function begin(identity) {
  const rights = rightsOf(identity.roles);
  $('identity-text').textContent = identity.open
    ? 'Open development instance (no keys): everything is allowed'
    : `${identity.client} · ${identity.roles.join(', ')}${identity.driver_id ? ` · driver ${identity.driver_id}` : ''}`;
  show($('forget-key'), !identity.open);
  show($('identity'), true);
  show($('sign-in'), false);
  show($('console'), true);
  document.body.dataset.roles = identity.roles.join(' ');
  couriers.start(rights);
  today.start(rights);
  deliveries.start(rights, identity);
  wireTabs();
  await couriers.refresh();
  setInterval(() => {
    if (document.visibilityState === 'visible' && !$('couriers').hidden) couriers.refresh().then(loaded, report);
  }, REFRESH_SECONDS * 1000);
}

async function signIn() {
  try {
    await begin(await call('GET', '/me'));
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    if (key.get()) {
      key.forget();
      showProblem($('key-error'), error);
    }
    show($('sign-in'), true);
    $('api-key').focus();
  }
}

$('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  $('key-error').hidden = true;
  key.set($('api-key').value.trim());
  $('api-key').value = '';
  signIn().catch(report);
});
$('forget-key').addEventListener('click', () => {
  key.forget();
  location.reload();
});
signIn().catch(report);
