/** Enterprise identifiers of the member registry (src/shared/licences.ts), shared with the gateway. */
import {
  NATIONAL_REGION_CODE,
  creditCodeCheckCharacter,
  creditCodeProblem,
  isCreditCode,
  isFoodProductionLicence,
  isRegionCode,
} from '../src/shared/licences';

describe('unified social credit code (GB 32100)', () => {
  it.each(['91350100M000100Y43', '91110000600037341L', '91310000MA1FL1MMXL', '11100000000013127D'])(
    'accepts the real code %s',
    (code) => {
      expect(creditCodeProblem(code)).toBeUndefined();
      expect(isCreditCode(code)).toBe(true);
    },
  );

  it('computes the check character from the weighted sum mod 31', () => {
    expect(creditCodeCheckCharacter('91350100M000100Y4')).toBe('3');
    expect(creditCodeCheckCharacter('91350100M000100Y')).toBeUndefined();
    expect(creditCodeCheckCharacter('91350100M000100I4')).toBeUndefined();
  });

  it.each([
    ['91350100M000100Y44', 'check character does not match'],
    ['91350100M000100Y4', 'must be 18 characters'],
    ['91350100M000100O43', 'must be 18 characters'],
    ['91350100m000100Y43', 'must be 18 characters'],
    ['91990100M000100Y43', 'division code'],
  ])('refuses %s', (code, problem) => {
    expect(creditCodeProblem(code)).toContain(problem);
  });
});

describe('administrative division codes (GB/T 2260)', () => {
  it('accepts six digits with a province prefix, and the national code', () => {
    for (const code of ['110000', '370102', '330183', '650100', '810000', NATIONAL_REGION_CODE]) {
      expect(isRegionCode(code)).toBe(true);
    }
  });

  it('refuses unknown provinces and malformed codes', () => {
    for (const code of ['000000', '990101', '37010', '3701021', '37O102', ''])
      expect(isRegionCode(code)).toBe(false);
  });
});

describe('food production licence (SC)', () => {
  it('accepts SC, a food or additive category, a province and 9 more digits', () => {
    expect(isFoodProductionLicence('SC11133018300456')).toBe(true);
    expect(isFoodProductionLicence('SC20137010200011')).toBe(true);
  });

  it('refuses other shapes', () => {
    for (const code of [
      'QS11133018300456',
      'SC31133018300456',
      'SC11199018300456',
      'SC1113301830045',
      'sc11133018300456',
    ]) {
      expect(isFoodProductionLicence(code)).toBe(false);
    }
  });
});
