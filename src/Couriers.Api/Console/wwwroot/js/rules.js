// A driver's rules in plain words, one sentence per rule code.
const list = (values) => values.join(', ');
const hours = (h) => `${String(h).padStart(2, '0')}:00`;

const WORDS = {
  MAX_WEIGHT: (p) => `packages up to ${p.limit_kg} kg`,
  NO_PERISHABLE: () => 'no perishable packages',
  REGION_ONLY: (p) => `only in ${list(p.allowed_regions ?? [])}`,
  MAX_DISTANCE: (p) => `up to ${p.max_km} km away`,
  EXPRESS_ONLY: () => 'express packages only',
  FRAGILE_ONLY: () => 'fragile packages only',
  HAZMAT_ALLOWED: (p) => `no hazardous goods except class ${list([...(p.allowed_classes ?? [])].sort())}`,
  TEMP_CONTROL: (p) => `kept between ${p.min_c} °C and ${p.max_c} °C`,
  TIME_WINDOW: (p) => `delivers from ${hours(p.start_hour)} to ${hours(p.end_hour)}`,
  OVERSIZED: (p) => `only packages of ${p.min_volume_m3} m³ or more`,
};

export function describeRule(rule) {
  const words = WORDS[rule.code];
  return words ? words(rule.params ?? {}) : rule.code;
}

export function describeRules(rules) {
  return rules.length === 0 ? 'takes any package' : rules.map(describeRule).join('; ');
}

export const REASONS = {
  no_driver_accepts: 'no driver\'s rules accept it',
  too_large_for_compatible_drivers: 'too large for the drivers who accept it',
  compatible_drivers_full: 'the drivers who accept it are full',
};
