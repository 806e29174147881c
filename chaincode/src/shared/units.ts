/**
 * Units of quantity and conversion within a class (mass, volume, count). Quantities are decimals rounded to six
 * places after every operation, so that every endorsing peer computes the same numbers.
 */
import { ChaincodeError } from './errors';

/** Classes of units between which no conversion exists. */
export type UnitClass = 'mass' | 'volume' | 'count';

/** Each unit: its class, its factor to the class's base unit (kg, L, or the item itself) and UN/ECE Rec 20 code. */
export const UNITS = {
  mg: { class: 'mass', factor: 0.000001, rec20: 'MGM' },
  g: { class: 'mass', factor: 0.001, rec20: 'GRM' },
  kg: { class: 'mass', factor: 1, rec20: 'KGM' },
  t: { class: 'mass', factor: 1000, rec20: 'TNE' },
  mL: { class: 'volume', factor: 0.001, rec20: 'MLT' },
  L: { class: 'volume', factor: 1, rec20: 'LTR' },
  m3: { class: 'volume', factor: 1000, rec20: 'MTQ' },
  piece: { class: 'count', factor: 1, rec20: 'H87' },
  box: { class: 'count', factor: 1, rec20: 'BX' },
  bag: { class: 'count', factor: 1, rec20: 'BG' },
  crate: { class: 'count', factor: 1, rec20: 'CR' },
  head: { class: 'count', factor: 1, rec20: 'HEA' },
} as const satisfies Record<string, { class: UnitClass; factor: number; rec20: string }>;

/** A unit symbol. */
export type Unit = keyof typeof UNITS;

/** Every unit symbol. */
export const UNIT_SYMBOLS = Object.keys(UNITS) as Unit[];

/** The base unit of each class, used in totals. */
export const BASE_UNITS: Readonly<Record<UnitClass, Unit>> = { mass: 'kg', volume: 'L', count: 'piece' };

/** Largest quantity accepted (a million tonnes in kg, with room). */
export const MAX_QUANTITY = 1e12;

/** True if the string is a known unit. */
export function isUnit(value: unknown): value is Unit {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(UNITS, value);
}

/** Rounds to six decimal places, the precision of every stored quantity. */
export function roundQuantity(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** True if a number is a valid quantity: positive, finite, at most MAX_QUANTITY and six decimals. */
export function isQuantity(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value > 0 &&
    value <= MAX_QUANTITY &&
    roundQuantity(value) === value
  );
}

/** True if two units can be converted into each other. Count units convert only to themselves. */
export function sameClass(a: Unit, b: Unit): boolean {
  if (UNITS[a].class === 'count' || UNITS[b].class === 'count') return a === b;
  return UNITS[a].class === UNITS[b].class;
}

/** Converts a quantity between units of one class; UNIT_MISMATCH across classes. */
export function convertQuantity(quantity: number, from: Unit, to: Unit): number {
  if (!sameClass(from, to)) {
    throw new ChaincodeError('UNIT_MISMATCH', `cannot convert ${from} to ${to}`, { from, to });
  }
  if (from === to) return quantity;
  return roundQuantity((quantity * UNITS[from].factor) / UNITS[to].factor);
}

/** A quantity with its unit. */
export interface Measure {
  quantity: number;
  unit: Unit;
}

/** Sums measures into one total per base unit (kg, L, or each count unit), sorted by unit. */
export function totalsByUnit(measures: readonly Measure[]): Measure[] {
  const totals = new Map<Unit, number>();
  for (const { quantity, unit } of measures) {
    const spec = UNITS[unit];
    const base = spec.class === 'count' ? unit : BASE_UNITS[spec.class];
    totals.set(base, roundQuantity((totals.get(base) ?? 0) + convertQuantity(quantity, unit, base)));
  }
  return [...totals.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([unit, quantity]) => ({ unit, quantity }));
}

/**
 * A quantity expressed in `target`'s unit: converted within a class, or, for items with a known net content
 * (a box of 0.5 kg), through that content. UNIT_MISMATCH if neither works.
 */
export function measureIn(measure: Measure, target: Unit, netContent?: Measure): number {
  if (sameClass(measure.unit, target)) return convertQuantity(measure.quantity, measure.unit, target);
  if (UNITS[measure.unit].class === 'count' && netContent && sameClass(netContent.unit, target)) {
    return roundQuantity(measure.quantity * convertQuantity(netContent.quantity, netContent.unit, target));
  }
  throw new ChaincodeError('UNIT_MISMATCH', `cannot compare ${measure.unit} with ${target}`, {
    unit: measure.unit,
    target,
  });
}
