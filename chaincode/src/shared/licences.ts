/**
 * Validators for Chinese enterprise identifiers recorded in the member registry. Pure functions, shared with the
 * gateway so it can reject bad input before a round trip to the peers.
 */

/** Characters allowed in a unified social credit code (GB 32100): digits and 21 letters, no I, O, S, V, Z. */
const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** GB 32100 weights for the first 17 characters (3^i mod 31). */
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Province-level prefixes of GB/T 2260 administrative division codes. */
// prettier-ignore
const PROVINCE_PREFIXES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43',
  '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82',
]);

/** The GB 32100 check character for the first 17 characters of a credit code, or undefined if one is not allowed. */
export function creditCodeCheckCharacter(first17: string): string | undefined {
  if (first17.length !== 17) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_CHARSET.indexOf(first17.charAt(i));
    if (value < 0) return undefined;
    sum += value * (CREDIT_CODE_WEIGHTS[i] ?? 0);
  }
  return CREDIT_CODE_CHARSET.charAt((31 - (sum % 31)) % 31);
}

/** Why a unified social credit code is not valid, or undefined if it is. */
export function creditCodeProblem(code: string): string | undefined {
  if (!/^[0-9A-HJ-NP-RTUWXY]{18}$/.test(code)) {
    return 'must be 18 characters of digits and upper-case letters other than I, O, S, V, Z';
  }
  if (!isRegionCode(code.slice(2, 8)))
    return 'characters 3-8 must be a GB/T 2260 administrative division code';
  if (creditCodeCheckCharacter(code.slice(0, 17)) !== code.charAt(17))
    return 'check character does not match';
  return undefined;
}

/** True if the string is a valid unified social credit code (charset, region, GB 32100 check character). */
export function isCreditCode(code: string): boolean {
  return creditCodeProblem(code) === undefined;
}

/** The GB/T 2260 code of the whole country, used by central government bodies (the ministries). */
export const NATIONAL_REGION_CODE = '100000';

/** True if the string is a 6-digit GB/T 2260 administrative division code with a known province prefix. */
export function isRegionCode(code: string): boolean {
  return code === NATIONAL_REGION_CODE || (/^\d{6}$/.test(code) && PROVINCE_PREFIXES.has(code.slice(0, 2)));
}

/**
 * True if the string is a food production licence number: 'SC', a food category starting 1 (food) or 2 (additive),
 * two more category digits, a province code, then city, county, sequence and check digits (14 digits in all).
 */
export function isFoodProductionLicence(code: string): boolean {
  return /^SC[12]\d{13}$/.test(code) && PROVINCE_PREFIXES.has(code.slice(5, 7));
}
