/** Unit conversion for rule evaluation: residues to mg/kg, temperatures to °C, CST calendar days. */
import { ChaincodeError } from '../src/shared/errors';
import { dayOf, isIsoInstant, parseInstant } from '../src/compliance/calendar';
import { normalizeResidue, substanceKey, toCelsius, toMgPerKg } from '../src/compliance/units';

/** The code of the ChaincodeError `fn` throws. */
function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof ChaincodeError ? error.code : `not coded: ${String(error)}`;
  }
  return undefined;
}

describe('toMgPerKg', () => {
  it('converts every residue unit to mg/kg exactly at GB 2763 limits', () => {
    expect(toMgPerKg(0.02, 'mg/kg')).toBe(0.02);
    expect(toMgPerKg(0.02, 'ppm')).toBe(0.02);
    expect(toMgPerKg(20, 'µg/kg')).toBe(0.02); // micro sign
    expect(toMgPerKg(20, 'μg/kg')).toBe(0.02); // Greek mu
    expect(toMgPerKg(20, 'ug/kg')).toBe(0.02);
    expect(toMgPerKg(20, 'ppb')).toBe(0.02);
    expect(toMgPerKg(0.00002, 'mg/g')).toBeCloseTo(0.02, 12);
    expect(toMgPerKg(10, 'ppb')).toBe(0.01);
    expect(toMgPerKg(500, 'µg/kg')).toBe(0.5);
  });

  it('refuses a unit it does not know with UNKNOWN_UNIT', () => {
    expect(codeOf(() => toMgPerKg(1, 'mg/L'))).toBe('UNKNOWN_UNIT');
    expect(codeOf(() => toMgPerKg(1, 'MG/KG'))).toBe('UNKNOWN_UNIT');
    expect(codeOf(() => toMgPerKg(1, ''))).toBe('UNKNOWN_UNIT');
  });
});

describe('normalizeResidue', () => {
  it('reads ND, detected: false and an LOD, converting the LOD too', () => {
    expect(normalizeResidue({ substance: 'Carbofuran ', value: 'ND', unit: 'µg/kg', lod: 5 }, 0)).toEqual({
      substance: 'carbofuran',
      detected: false,
      lodMgPerKg: 0.005,
    });
    expect(normalizeResidue({ substance: 'omethoate', value: 0.3, unit: 'ppb', detected: false }, 0)).toEqual(
      {
        substance: 'omethoate',
        detected: false,
        lodMgPerKg: undefined,
      },
    );
    expect(normalizeResidue({ substance: 'phorate', value: 15, unit: 'ppb' }, 0)).toEqual({
      substance: 'phorate',
      detected: true,
      mgPerKg: 0.015,
    });
  });

  it('checks the unit of an ND result too, and refuses negative or missing values', () => {
    expect(codeOf(() => normalizeResidue({ substance: 'x', value: 'ND', unit: 'mg/l', lod: 1 }, 0))).toBe(
      'UNKNOWN_UNIT',
    );
    expect(
      codeOf(() => normalizeResidue({ substance: 'x', value: 1, unit: 'grains', detected: false }, 0)),
    ).toBe('UNKNOWN_UNIT');
    expect(codeOf(() => normalizeResidue({ substance: 'x', value: -1, unit: 'mg/kg' }, 0))).toBe(
      'INVALID_EVENT',
    );
    expect(codeOf(() => normalizeResidue({ substance: ' ', value: 1, unit: 'mg/kg' }, 0))).toBe(
      'INVALID_EVENT',
    );
  });

  it('matches substances whatever their case and spacing', () => {
    expect(substanceKey('  Parathion  Methyl ')).toBe('parathion methyl');
  });
});

describe('toCelsius', () => {
  it('converts fahrenheit and kelvin so that a limit stays a limit', () => {
    expect(toCelsius({ time: 't', celsius: 4 }, 0)).toBe(4);
    expect(toCelsius({ time: 't', fahrenheit: 39.2 }, 0)).toBe(4);
    expect(toCelsius({ time: 't', fahrenheit: -0.4 }, 0)).toBe(-18);
    expect(toCelsius({ time: 't', kelvin: 277.15 }, 0)).toBe(4);
    expect(toCelsius({ time: 't', kelvin: 255.15 }, 0)).toBe(-18);
  });

  it('refuses readings in an unknown unit (UNKNOWN_UNIT) or with zero or two temperatures', () => {
    const unknown = { time: 't', rankine: 500 } as unknown as Parameters<typeof toCelsius>[0];
    expect(codeOf(() => toCelsius(unknown, 0))).toBe('UNKNOWN_UNIT');
    expect(codeOf(() => toCelsius({ time: 't', celsius: 1, kelvin: 274 }, 0))).toBe('INVALID_EVENT');
    expect(codeOf(() => toCelsius({ time: 't' }, 0))).toBe('INVALID_EVENT');
    expect(codeOf(() => toCelsius({ time: 't', celsius: Number.NaN }, 0))).toBe('INVALID_EVENT');
  });
});

describe('calendar', () => {
  it('reads dates as days in China Standard Time, whatever the offset of a timestamp', () => {
    expect(parseInstant('2021-09-03', 'd')).toBe(Date.parse('2021-09-03T00:00:00+08:00'));
    // 17:00 UTC on 2 Sep is already 3 Sep in Beijing.
    expect(dayOf('2021-09-02T17:00:00Z', 't')).toBe(dayOf('2021-09-03', 'd'));
    expect(dayOf('2021-09-02T15:59:59Z', 't')).toBe(dayOf('2021-09-02', 'd'));
  });

  it('refuses impossible dates and timestamps without an offset with MALFORMED_DATE', () => {
    expect(isIsoInstant('2021-02-29')).toBe(false);
    expect(isIsoInstant('2021-09-03T08:00:00')).toBe(false);
    expect(isIsoInstant('2021-09-03T08:00:00+08:00')).toBe(true);
    expect(codeOf(() => parseInstant('03/09/2021', 'effectiveFrom'))).toBe('MALFORMED_DATE');
  });
});
