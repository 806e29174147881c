/**
 * Unit conversion for measured values: residues to mg/kg (the unit of GB 2763) and temperatures to °C. An unknown
 * unit is refused (UNKNOWN_UNIT), never guessed. Conversions divide or multiply by a power of ten once, so that a
 * value equal to a limit in another unit stays equal after conversion (20 µg/kg is exactly 0.02 mg/kg).
 */
import { ChaincodeError } from '../shared/errors';
import type { ResidueResult, TemperatureReading } from '../shared/compliance';

/** How to turn a value in each residue unit into mg/kg: multiply or divide by a power of ten. */
const RESIDUE_FACTORS: Readonly<Record<string, { op: 'mul' | 'div'; by: number }>> = {
  'mg/kg': { op: 'mul', by: 1 },
  ppm: { op: 'mul', by: 1 },
  'µg/kg': { op: 'div', by: 1000 }, // micro sign U+00B5
  'μg/kg': { op: 'div', by: 1000 }, // Greek mu U+03BC, which keyboards and lab systems also produce
  'ug/kg': { op: 'div', by: 1000 },
  ppb: { op: 'div', by: 1000 },
  'mg/g': { op: 'mul', by: 1000 },
};

/** Reading fields that are not a temperature, so their presence does not make a reading's unit unknown. */
const NON_TEMPERATURE_FIELDS: readonly string[] = ['time', 'humidity', 'lat', 'lon'];

/** A residue result in mg/kg: detected with a value, or not detected with the method's limit of detection. */
export type NormalizedResidue =
  | { substance: string; detected: true; mgPerKg: number }
  | { substance: string; detected: false; lodMgPerKg?: number };

/** A value in a residue unit converted to mg/kg; UNKNOWN_UNIT if the unit is not one the engine knows. */
export function toMgPerKg(value: number, unit: string): number {
  const factor = RESIDUE_FACTORS[typeof unit === 'string' ? unit.trim() : ''];
  if (!factor) {
    throw new ChaincodeError('UNKNOWN_UNIT', `unknown residue unit '${String(unit)}'`, {
      unit,
      known: Object.keys(RESIDUE_FACTORS),
    });
  }
  return factor.op === 'mul' ? value * factor.by : value / factor.by;
}

/** Canonical substance name for matching results to rules: trimmed, lower case, inner spaces collapsed. */
export function substanceKey(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Validates one residue result and converts it to mg/kg. */
export function normalizeResidue(result: ResidueResult, index: number): NormalizedResidue {
  const field = `residues[${index}]`;
  if (
    !result ||
    typeof result !== 'object' ||
    typeof result.substance !== 'string' ||
    !result.substance.trim()
  ) {
    throw new ChaincodeError('INVALID_EVENT', `${field}.substance must be a non-empty string`, { field });
  }
  const substance = substanceKey(result.substance);
  const lod = result.lod;
  if (lod !== undefined && !isNonNegative(lod)) {
    throw new ChaincodeError('INVALID_EVENT', `${field}.lod must be a non-negative number`, { field });
  }
  // The unit is checked even for 'ND' results, so that a misspelt unit is caught whatever the value.
  const lodMgPerKg = lod === undefined ? undefined : toMgPerKg(lod, result.unit);
  if (result.value === 'ND' || result.detected === false) {
    if (result.value !== 'ND') toMgPerKg(0, result.unit);
    return { substance, detected: false, lodMgPerKg };
  }
  if (!isNonNegative(result.value)) {
    throw new ChaincodeError('INVALID_EVENT', `${field}.value must be a non-negative number or 'ND'`, {
      field,
    });
  }
  return { substance, detected: true, mgPerKg: toMgPerKg(result.value, result.unit) };
}

/** A reading's temperature in °C; exactly one of celsius, fahrenheit or kelvin must be given. */
export function toCelsius(reading: TemperatureReading, index: number): number {
  const field = `readings[${index}]`;
  const given = (['celsius', 'fahrenheit', 'kelvin'] as const).filter(
    (scale) => reading[scale] !== undefined,
  );
  const scale = given[0];
  if (given.length !== 1 || scale === undefined) {
    const extra = Object.keys(reading).filter((key) => !NON_TEMPERATURE_FIELDS.includes(key));
    // A reading in some other unit ('rankine', 'temperatureF') is an unknown unit, not a missing value.
    if (given.length === 0 && extra.length > 0) {
      throw new ChaincodeError(
        'UNKNOWN_UNIT',
        `${field} has no temperature in celsius, fahrenheit or kelvin`,
        {
          field,
          fields: extra.sort(),
        },
      );
    }
    throw new ChaincodeError(
      'INVALID_EVENT',
      `${field} must give exactly one of celsius, fahrenheit, kelvin`,
      {
        field,
      },
    );
  }
  const value = reading[scale];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ChaincodeError('INVALID_EVENT', `${field}.${scale} must be a finite number`, { field });
  }
  if (scale === 'celsius') return value;
  // Rounded to a micro-degree so that 39.2 °F is exactly 4 °C at a limit, not 4.000000000000001.
  const celsius = scale === 'fahrenheit' ? ((value - 32) * 5) / 9 : value - 273.15;
  return Math.round(celsius * 1e6) / 1e6;
}

/** True for a finite number >= 0. */
function isNonNegative(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
