// Plain SVG charts: sized by viewBox so they scale with their card, coloured by CSS classes.
import { svg } from './dom.js';

const compact = new Intl.NumberFormat('en-GB', { notation: 'compact', maximumFractionDigits: 1 }).format;

const niceStep = (range, bins) => {
  // Strictly above range / bins, so the largest value still falls inside the last bar.
  const raw = Math.max(range / bins, 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((step) => step > raw);
};

// Couriers binned by available room, [from, to) per bar, in at most maxBins bars of a round width.
export function roomHistogram(values, unlimited, maxBins = 10) {
  const width = 600, height = 220, left = 40, bottom = 40, top = 16;
  const max = Math.max(0, ...values);
  const step = niceStep(max, maxBins);
  // No courier with a limit (a day loaded without max_capacity): only the "no limit" bar.
  const bins = values.length === 0 ? 0 : Math.min(maxBins, Math.floor(max / step) + 1);
  const counts = new Array(bins).fill(0);
  for (const v of values) counts[Math.min(Math.floor(v / step), bins - 1)]++;
  const highest = Math.max(1, ...counts, unlimited);
  const slots = bins + (unlimited > 0 ? 1 : 0);
  const slot = (width - left) / slots;
  const scale = (n) => (n / highest) * (height - bottom - top);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'room-chart-title', class: 'histogram' },
    svg('title', { id: 'room-chart-title', text: `${values.length} couriers with a limit by available room, ${unlimited} without a limit` }),
    svg('line', { x1: left, y1: height - bottom, x2: width, y2: height - bottom, class: 'axis' }),
    svg('text', { x: left - 6, y: top + 4, class: 'tick end', text: String(highest) }),
    svg('text', { x: left - 6, y: height - bottom, class: 'tick end', text: '0' }));
  const bar = (i, count, label, from, to, cls) => {
    const h = scale(count);
    chart.append(svg('g', { class: `bar ${cls}`, 'data-count': count, 'data-from': from, 'data-to': to },
      svg('title', { text: `${label}: ${count} courier${count === 1 ? '' : 's'}` }),
      svg('rect', { x: left + i * slot + 2, y: height - bottom - h, width: slot - 4, height: h }),
      count > 0 ? svg('text', { x: left + (i + 0.5) * slot, y: height - bottom - h - 4, class: 'count', text: String(count) }) : null,
      svg('text', { x: left + (i + 0.5) * slot, y: height - bottom + 16, class: 'tick', text: label })));
  };
  counts.forEach((count, i) => bar(i, count, `${compact(i * step)}–${compact((i + 1) * step)}`, i * step, (i + 1) * step, 'limited'));
  if (unlimited > 0) bar(bins, unlimited, 'no limit', '', '', 'unlimited');
  chart.append(svg('text', { x: left + (width - left) / 2, y: height - 4, class: 'tick', text: 'available room (L)' }));
  return chart;
}

// One horizontal meter: value against a limit (or "no limit").
export function meter(value, limit, label) {
  const width = 160, height = 14;
  const share = limit > 0 ? Math.min(value / limit, 1) : 0;
  const full = limit > 0 && value >= limit;
  return svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'meter', role: 'img', 'aria-label': label, 'data-value': value, 'data-limit': limit ?? '' },
    svg('rect', { x: 0, y: 0, width, height, class: 'track' }),
    svg('rect', { x: 0, y: 0, width: width * share, height, class: full ? 'fill full' : 'fill' }));
}

// Horizontal bars, one per status, each carrying its count.
export function statusBars(entries) {
  const width = 600, row = 30, left = 150;
  const highest = Math.max(1, ...entries.map((e) => e.count));
  const chart = svg('svg', { viewBox: `0 0 ${width} ${row * entries.length + 4}`, role: 'img', 'aria-label': 'Packages by status', class: 'status-bars' });
  entries.forEach((e, i) => {
    const w = ((width - left - 60) * e.count) / highest;
    chart.append(svg('g', { class: `status ${e.status}`, 'data-status': e.status, 'data-count': e.count },
      svg('text', { x: left - 8, y: i * row + 20, class: 'tick end', text: e.label }),
      svg('rect', { x: left, y: i * row + 6, width: w, height: row - 10 }),
      svg('text', { x: left + w + 6, y: i * row + 20, class: 'count start', text: String(e.count) })));
  });
  return chart;
}

// One driver's assignments as a stacked bar, segment per status.
export function progressBar(counts, order, label) {
  const width = 240, height = 14;
  const total = order.reduce((t, s) => t + (counts[s] ?? 0), 0);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'progress', role: 'img', 'aria-label': label });
  let x = 0;
  for (const status of order) {
    const n = counts[status] ?? 0;
    if (n === 0) continue;
    const w = (width * n) / total;
    chart.append(svg('rect', { x, y: 0, width: w, height, class: `seg ${status}`, 'data-status': status, 'data-count': n },
      svg('title', { text: `${status.replaceAll('_', ' ')}: ${n}` })));
    x += w;
  }
  return chart;
}
