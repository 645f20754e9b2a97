// Small DOM helpers. Nothing here sets a style attribute: the page's CSP has no 'unsafe-inline'.
const SVG = 'http://www.w3.org/2000/svg';

export const $ = (id) => document.getElementById(id);

function fill(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = String(value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const el = (tag, attrs, ...children) => fill(document.createElement(tag), attrs, children);

export const svg = (tag, attrs, ...children) => fill(document.createElementNS(SVG, tag), attrs, children);

export function show(node, visible) {
  node.hidden = !visible;
  return node;
}

const liters = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 3 });
export const fmt = (n) => liters.format(n);

// Sums of liters in whole milliliters, as the service keeps them, so totals never drift.
export const sumLiters = (values) => values.reduce((total, v) => total + Math.round(v * 1000), 0) / 1000;

export function problemText(problem) {
  const parts = [problem.title, problem.detail].filter(Boolean);
  for (const [field, messages] of Object.entries(problem.errors ?? {})) parts.push(`${field}: ${messages.join('; ')}`);
  if (Array.isArray(problem.allowed)) parts.push(`Allowed from ${problem.current_status}: ${problem.allowed.join(', ') || 'nothing (final)'}.`);
  return parts.join(' ');
}

export function showProblem(node, error) {
  node.textContent = error.problem ? problemText(error.problem) : String(error.message ?? error);
  node.hidden = false;
}
