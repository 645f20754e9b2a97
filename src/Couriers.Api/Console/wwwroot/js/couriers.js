// The Couriers view: the fleet's room (totals and a histogram), a searchable paged table, and the lookup.
import { call, readAll } from './api.js';
import { $, el, fmt, show, showProblem, sumLiters } from './dom.js';
import { roomHistogram } from './charts.js';

const PAGE_SIZE = 20;
const state = { couriers: [], search: '', page: 0, lookup: null, matches: [] };

function total(label, value, id, unit = '') {
  return el('div', {}, el('dt', { text: label }), el('dd', { id, 'data-value': value, text: `${fmt(value)}${unit}` }));
}

function renderRoom() {
  const limited = state.couriers.filter((c) => c.max_capacity !== null);
  $('courier-totals').replaceChildren(...[
    total('Couriers', state.couriers.length, 'total-couriers'),
    total('Max capacity', sumLiters(limited.map((c) => c.max_capacity)), 'total-max', ' L'),
    total('Available', sumLiters(limited.map((c) => c.available_capacity)), 'total-available', ' L'),
    total('In use', sumLiters(state.couriers.map((c) => c.used_capacity)), 'total-used', ' L'),
    limited.length < state.couriers.length ? total('Without a limit', state.couriers.length - limited.length, 'total-unlimited') : null,
  ].filter(Boolean));
  $('room-chart').replaceChildren(roomHistogram(limited.map((c) => c.available_capacity), state.couriers.length - limited.length));
}

// Matches first, best fit first (the lookup's order), then the rest by id.
function ordered() {
  const needle = state.search.trim().toLowerCase();
  const rank = new Map(state.matches.map((c, i) => [c.id, i + 1]));
  const rows = state.couriers.filter((c) => !needle || c.id.toLowerCase().includes(needle));
  return rows.sort((a, b) => (rank.get(a.id) ?? Infinity) - (rank.get(b.id) ?? Infinity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((c) => ({ courier: c, rank: rank.get(c.id) }));
}

const cell = (value) => el('td', { class: 'num', text: value === null ? 'no limit' : fmt(value) });

function renderTable() {
  const rows = ordered();
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  state.page = Math.min(state.page, pages - 1);
  const shown = rows.slice(state.page * PAGE_SIZE, (state.page + 1) * PAGE_SIZE);
  $('courier-table').tBodies[0].replaceChildren(...shown.map(({ courier: c, rank }) =>
    el('tr', { class: rank ? 'match' : null, 'data-id': c.id, 'data-rank': rank },
      el('td', { text: rank ? `#${rank}` : '' }), el('th', { scope: 'row', text: c.id }),
      cell(c.max_capacity), cell(c.available_capacity), cell(c.used_capacity), cell(c.reserved_capacity))));
  $('courier-page').textContent = `Page ${state.page + 1} of ${pages} · ${rows.length} courier${rows.length === 1 ? '' : 's'}`;
  $('courier-prev').disabled = state.page === 0;
  $('courier-next').disabled = state.page >= pages - 1;
}

async function runLookup() {
  const problem = $('lookup-problem');
  problem.hidden = true;
  if (!state.lookup) {
    state.matches = [];
    $('lookup-summary').textContent = '';
    $('lookup-results').replaceChildren();
    return;
  }
  try {
    const page = await call('POST', '/couriers/lookup', { ...state.lookup, limit: 500 });
    state.matches = page.data;
    const what = state.lookup.package_id ? `package ${state.lookup.package_id}` : `${fmt(state.lookup.capacity_required)} L`;
    $('lookup-summary').textContent = `${page.data.length}${page.meta.next_cursor ? '+' : ''} courier${page.data.length === 1 ? '' : 's'} can take ${what}, best fit first.`;
    $('lookup-results').replaceChildren(...page.data.slice(0, 10).map((c) =>
      el('li', { 'data-id': c.id, text: `${c.id}: ${fmt(c.available_capacity)} L free of ${fmt(c.max_capacity)} L` })));
  } catch (error) {
    state.matches = [];
    $('lookup-results').replaceChildren();
    $('lookup-summary').textContent = '';
    showProblem(problem, error);
  }
}

export async function refresh() {
  state.couriers = await readAll('/couriers');
  await runLookup();
  renderRoom();
  renderTable();
  $('couriers-as-of').textContent = `Updated ${new Date().toLocaleTimeString('en-GB')}; refreshes by itself while this page is open.`;
}

export function start(rights) {
  show($('lookup-form'), rights.dispatch);
  show($('lookup-denied'), !rights.dispatch);
  $('courier-search').addEventListener('input', (e) => { state.search = e.target.value; state.page = 0; renderTable(); });
  $('courier-prev').addEventListener('click', () => { state.page--; renderTable(); });
  $('courier-next').addEventListener('click', () => { state.page++; renderTable(); });
  $('lookup-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const capacity = $('lookup-capacity').value.trim(), packageId = $('lookup-package').value.trim();
    // Both given goes to the service as it is: it answers which one to keep.
    state.lookup = {
      ...(capacity !== '' ? { capacity_required: Number(capacity) } : {}),
      ...(packageId !== '' ? { package_id: packageId } : {}),
    };
    state.page = 0;
    // The fleet is read again with the lookup, so every courier it names is in the table.
    await refresh();
  });
  $('lookup-clear').addEventListener('click', async () => {
    state.lookup = null;
    $('lookup-form').reset();
    await runLookup();
    renderTable();
  });
}
