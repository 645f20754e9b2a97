// The Deliveries view: packages per status, each driver's progress, and one status change through /update.
import { call, inParallel, readAll } from './api.js';
import { $, el, show, showProblem } from './dom.js';
import { progressBar, statusBars } from './charts.js';

const STATUSES = ['assigned', 'accepted', 'in_progress', 'delivered', 'failed_to_deliver'];
const label = (status) => status.replaceAll('_', ' ');
const state = { days: [], pool: 0, boundDriver: null };

function renderCounts() {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0]));
  for (const day of state.days) for (const a of day.assignments) counts[a.status]++;
  $('status-chart').replaceChildren(statusBars([
    { status: 'unassigned', label: 'unassigned (pool)', count: state.pool },
    ...STATUSES.map((s) => ({ status: s, label: label(s), count: counts[s] })),
  ]));
}

function renderProgress() {
  const busy = state.days.filter((d) => d.assignments.length > 0);
  $('progress-table').tBodies[0].replaceChildren(...(busy.length === 0
    ? [el('tr', {}, el('td', { colspan: 3, text: 'No assignments yet: run assign on the Today view.' }))]
    : busy.map((d) => {
      const counts = {};
      for (const a of d.assignments) counts[a.status] = (counts[a.status] ?? 0) + 1;
      const done = (counts.delivered ?? 0) + (counts.failed_to_deliver ?? 0);
      const summary = STATUSES.filter((s) => counts[s]).map((s) => `${counts[s]} ${label(s)}`).join(', ');
      return el('tr', { 'data-id': d.id },
        el('th', { scope: 'row', text: d.id }),
        el('td', {}, progressBar(counts, STATUSES, summary), el('span', { class: 'muted', text: summary })),
        el('td', { class: 'num', text: `${done} / ${d.assignments.length}` }));
    })));
}

function renderDriverChoices() {
  const select = $('update-driver');
  const previous = select.value || state.boundDriver;
  const choices = state.days.filter((d) => d.assignments.length > 0 && (!state.boundDriver || d.id === state.boundDriver));
  select.replaceChildren(...choices.map((d) => el('option', { value: d.id, text: d.id })));
  if (choices.some((d) => d.id === previous)) select.value = previous;
  renderPackageChoices();
}

function renderPackageChoices() {
  const select = $('update-package');
  const previous = select.value;
  const day = state.days.find((d) => d.id === $('update-driver').value);
  select.replaceChildren(...(day?.assignments ?? []).map((a) => el('option', { value: a.package_id, text: `${a.package_id} (${label(a.status)})` })));
  if (day?.assignments.some((a) => a.package_id === previous)) select.value = previous;
}

export async function refresh() {
  const [drivers, pool] = await Promise.all([readAll('/drivers'), readAll('/packages?status=unassigned')]);
  state.pool = pool.length;
  state.days = await inParallel(drivers, async (d) => ({ id: d.id, assignments: await readAll(`/drivers/${encodeURIComponent(d.id)}/assignments`) }));
  renderCounts();
  renderProgress();
  renderDriverChoices();
}

export function start(rights, identity) {
  state.boundDriver = identity.driver_id;
  $('deliveries-refresh').addEventListener('click', refresh);
  show($('update-denied'), !rights.update);
  if (!rights.update) {
    $('update-form').remove();
    return;
  }
  $('update-driver').addEventListener('change', renderPackageChoices);
  $('update-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { driver_id: $('update-driver').value, package_id: $('update-package').value, status: $('update-status').value };
    $('update-result').hidden = true;
    $('update-problem').hidden = true;
    try {
      const record = await call('POST', '/update', body);
      $('update-result').textContent = `${record.package_id} with ${record.driver_id} is now ${label(record.status)}.`;
      $('update-result').hidden = false;
      await refresh();
    } catch (error) {
      showProblem($('update-problem'), error);
    }
  });
}
