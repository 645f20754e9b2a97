// The Today view: drivers with their rules and load, the pool, and a run of /assign with its explanation.
import { call, readAll } from './api.js';
import { $, el, fmt, show, showProblem } from './dom.js';
import { meter } from './charts.js';
import { describeRules, REASONS } from './rules.js';

const state = { drivers: [], pool: 0 };

const perDriver = () => Number($('max-per-driver').value) || 0;

function renderDrivers() {
  const cap = perDriver();
  $('today-drivers').textContent = fmt(state.drivers.length);
  $('today-drivers').dataset.value = state.drivers.length;
  $('today-pool').textContent = fmt(state.pool);
  $('today-pool').dataset.value = state.pool;
  $('driver-table').tBodies[0].replaceChildren(...state.drivers.map((d) => {
    const room = d.courier?.max_capacity ?? null, used = d.courier?.used_capacity ?? 0;
    return el('tr', { 'data-id': d.id },
      el('th', { scope: 'row', text: d.id }),
      el('td', { text: describeRules(d.rules) }),
      el('td', { class: 'load' }, meter(d.active_assignments, cap, `${d.active_assignments} of ${cap} packages`),
        el('span', { text: `${d.active_assignments} / ${cap}` })),
      el('td', { class: 'load' }, meter(used, room, room === null ? `${fmt(used)} L, no limit` : `${fmt(used)} of ${fmt(room)} L`),
        el('span', { text: room === null ? `${fmt(used)} L, no limit` : `${fmt(used)} / ${fmt(room)} L` })));
  }));
}

export async function refresh() {
  const [drivers, pool] = await Promise.all([readAll('/drivers'), readAll('/packages?status=unassigned')]);
  state.drivers = drivers;
  state.pool = pool.length;
  renderDrivers();
}

const stat = (label, value, key) => el('div', {}, el('dt', { text: label }), el('dd', { 'data-stat': key, 'data-value': value, text: String(value) }));

function renderResult(result) {
  const s = result.stats;
  $('assign-stats').replaceChildren(
    stat('Assigned', s.assigned, 'assigned'),
    stat('Upper bound', s.upper_bound, 'upper_bound'),
    stat('Gap to the bound', s.gap, 'gap'),
    stat('Time (ms)', s.elapsed_ms, 'elapsed_ms'),
    stat('Pool before', s.pool_size, 'pool_size'),
    stat('Left in pool', result.unassigned_packages.length, 'unassigned'),
    stat('Drivers given nothing', result.unassigned_drivers.length, 'unassigned_drivers'),
    stat('Volume binding', s.volume_binding ? 'yes' : 'no', 'volume_binding'));

  // Group the left-over packages by reason; per rule code, in how many of them it eliminated a driver.
  const groups = new Map();
  for (const [id, why] of Object.entries(result.explanations ?? {})) {
    const group = groups.get(why.reason) ?? { packages: [], codes: new Map() };
    group.packages.push(id);
    for (const [code, drivers] of Object.entries(why.eliminated_by ?? {}))
      if (drivers > 0) group.codes.set(code, (group.codes.get(code) ?? 0) + 1);
    groups.set(why.reason, group);
  }
  $('unassigned-reasons').tBodies[0].replaceChildren(...[...groups.entries()].sort((a, b) => b[1].packages.length - a[1].packages.length)
    .map(([reason, g]) => el('tr', { 'data-reason': reason, 'data-count': g.packages.length },
      el('th', { scope: 'row' }, el('span', { text: REASONS[reason] ?? reason }), el('code', { text: reason })),
      el('td', { class: 'num', text: String(g.packages.length) }),
      el('td', {}, g.codes.size === 0 ? '—' : el('ul', { class: 'codes' },
        ...[...g.codes.entries()].sort((a, b) => b[1] - a[1]).map(([code, n]) =>
          el('li', { 'data-code': code, 'data-count': n }, el('code', { text: code }), ` (${n})`)))))));
  show($('assign-result'), true);
}

export function start(rights) {
  show($('assign-form'), rights.dispatch);
  show($('assign-denied'), !rights.dispatch);
  // Without the right the button is removed, not only hidden, so no keyboard path reaches it.
  $('max-per-driver').addEventListener('input', renderDrivers);
  if (!rights.dispatch) $('assign-form').remove();
  else {
    $('assign-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      const button = $('assign-button');
      $('assign-problem').hidden = true;
      button.disabled = true;
      button.textContent = 'Assigning…';
      try {
        const result = await call('POST', '/assign?explain=true', { driver_ids: state.drivers.map((d) => d.id), max_per_driver: perDriver() });
        renderResult(result);
        await refresh();
      } catch (error) {
        showProblem($('assign-problem'), error);
      } finally {
        button.disabled = false;
        button.textContent = 'Run assign for every driver';
      }
    });
  }
}
