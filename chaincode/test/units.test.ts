/** Units and quantities (src/shared/units.ts): conversion within a class, totals, items with a net content. */
import { ChaincodeError } from '../src/shared/errors';
import {
  convertQuantity,
  isQuantity,
  measureIn,
  roundQuantity,
  sameClass,
  totalsByUnit,
} from '../src/shared/units';

describe('units', () => {
  it('converts within mass and within volume, exactly to six decimals', () => {
    expect(convertQuantity(250500, 'g', 'kg')).toBe(250.5);
    expect(convertQuantity(0.7495, 't', 'kg')).toBe(749.5);
    expect(convertQuantity(1, 'mg', 'kg')).toBe(0.000001);
    expect(convertQuantity(1500, 'mL', 'L')).toBe(1.5);
    expect(convertQuantity(2, 'm3', 'L')).toBe(2000);
    expect(convertQuantity(0.1 + 0.2, 'kg', 'kg')).toBe(0.1 + 0.2);
    expect(roundQuantity(0.1 + 0.2)).toBe(0.3);
  });

  it('refuses conversions across classes and between different item units', () => {
    expect(sameClass('box', 'box')).toBe(true);
    expect(sameClass('box', 'piece')).toBe(false);
    expect(() => convertQuantity(1, 'kg', 'L')).toThrow(ChaincodeError);
    expect(() => convertQuantity(1, 'box', 'piece')).toThrow(/UNIT_MISMATCH/);
  });

  it('measures items through their net content', () => {
    expect(measureIn({ quantity: 1600, unit: 'box' }, 'kg', { quantity: 500, unit: 'g' })).toBe(800);
    expect(() => measureIn({ quantity: 10, unit: 'box' }, 'kg')).toThrow(/UNIT_MISMATCH/);
    expect(() => measureIn({ quantity: 10, unit: 'box' }, 'kg', { quantity: 1, unit: 'L' })).toThrow(
      /UNIT_MISMATCH/,
    );
  });

  it('totals per base unit, sorted by unit', () => {
    expect(
      totalsByUnit([
        { quantity: 500, unit: 'g' },
        { quantity: 2, unit: 't' },
        { quantity: 3, unit: 'box' },
        { quantity: 250, unit: 'mL' },
        { quantity: 4, unit: 'box' },
      ]),
    ).toEqual([
      { unit: 'L', quantity: 0.25 },
      { unit: 'box', quantity: 7 },
      { unit: 'kg', quantity: 2000.5 },
    ]);
  });

  it('accepts positive quantities with at most six decimals', () => {
    for (const ok of [1, 0.000001, 1e12, 12.5]) expect(isQuantity(ok)).toBe(true);
    for (const bad of [0, -1, 1.0000001, 1e12 + 1, Number.NaN, Number.POSITIVE_INFINITY, '1'])
      expect(isQuantity(bad)).toBe(false);
  });
});
