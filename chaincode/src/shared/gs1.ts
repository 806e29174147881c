/**
 * GS1 identifiers and trace codes: GTIN and GLN check digits, AI 10/21 values, YYMMDD dates, the GS1 element
 * string (human-readable and GS1-128 data) and the GS1 Digital Link path. Pure functions shared by chaincode,
 * gateway and portal, so that a code is parsed and rendered the same way everywhere.
 */
import { ChaincodeError } from './errors';
import type { ErrorCode } from './errors';

/** Canonical Digital Link domain, used for class-level EPCIS identifiers (epcClass). */
export const GS1_CANONICAL_DOMAIN = 'https://id.gs1.org';

/** Group separator (FNC1 in GS1-128 data) ending a variable-length AI value that is followed by another AI. */
export const GS1_GROUP_SEPARATOR = '\u001d';

/** GS1 AI encodable character set 82 (GS1 General Specifications 7.11, figure 7.11-1). */
const CSET82 = /^[!"%-?A-Z_a-z]*$/;

/** Mod-10 check digit of a GS1 key's data digits (weights 3,1,3,... from the right). */
export function gs1CheckDigit(dataDigits: string): number {
  let sum = 0;
  for (let i = 0; i < dataDigits.length; i++) {
    const digit = dataDigits.charCodeAt(dataDigits.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** True if the digit string ends with the right GS1 check digit. */
export function hasValidCheckDigit(key: string): boolean {
  return /^\d{2,}$/.test(key) && gs1CheckDigit(key.slice(0, -1)) === Number(key.slice(-1));
}

/** A problem with an identifier: the error code and a message. */
export interface Gs1Problem {
  code: ErrorCode;
  message: string;
}

/** Why a GTIN-8/12/13/14 is not valid, or undefined if it is. */
export function gtinProblem(gtin: string): Gs1Problem | undefined {
  if (typeof gtin !== 'string' || !/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(gtin)) {
    return { code: 'MALFORMED_GTIN', message: 'a GTIN is 8, 12, 13 or 14 digits' };
  }
  if (!hasValidCheckDigit(gtin)) {
    const expected = gs1CheckDigit(gtin.slice(0, -1));
    return { code: 'BAD_CHECK_DIGIT', message: `GTIN check digit should be ${expected}` };
  }
  return undefined;
}

/** The GTIN as 14 digits (left-padded with zeros); throws MALFORMED_GTIN or BAD_CHECK_DIGIT. */
export function normalizeGtin(gtin: string): string {
  const problem = gtinProblem(gtin);
  if (problem) throw new ChaincodeError(problem.code, problem.message, { gtin });
  return gtin.padStart(14, '0');
}

/** True if the string is a 13-digit GLN with a valid check digit. */
export function isGln(gln: string): boolean {
  return typeof gln === 'string' && /^\d{13}$/.test(gln) && hasValidCheckDigit(gln);
}

/** True if the value is a valid AI 10 batch/lot number or AI 21 serial: 1-20 characters of set 82. */
export function isAi82Value(value: string, maxLength = 20): boolean {
  return typeof value === 'string' && value.length >= 1 && value.length <= maxLength && CSET82.test(value);
}

/** Why a batch/lot number (AI 10) is not valid, or undefined if it is. */
export function lotNumberProblem(lot: string): Gs1Problem | undefined {
  return isAi82Value(lot)
    ? undefined
    : {
        code: 'MALFORMED_LOT_NUMBER',
        message: 'a batch/lot (AI 10) is 1-20 characters of GS1 character set 82',
      };
}

/** True if the string is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** An ISO date (YYYY-MM-DD) as a GS1 date field YYMMDD (AI 11, 13, 15, 17, 7007). */
export function toGs1Date(isoDate: string): string {
  if (!isIsoDate(isoDate))
    throw new ChaincodeError('MALFORMED_DATE', 'dates are YYYY-MM-DD', { date: isoDate });
  return isoDate.slice(2, 4) + isoDate.slice(5, 7) + isoDate.slice(8, 10);
}

/**
 * A GS1 YYMMDD date as YYYY-MM-DD. The century follows GS1 General Specifications 7.12: relative to the
 * reference year, a YY more than 50 years ahead is last century and more than 49 behind is next century.
 * DD '00' (day unknown) becomes the last day of the month, as the standard says.
 */
export function fromGs1Date(yymmdd: string, referenceYear: number): string {
  const match = /^(\d{2})(\d{2})(\d{2})$/.exec(yymmdd);
  if (!match) throw new ChaincodeError('MALFORMED_DATE', 'GS1 dates are YYMMDD', { date: yymmdd });
  const yy = Number(match[1]);
  const month = Number(match[2]);
  let day = Number(match[3]);
  const currentYy = referenceYear % 100;
  let century = referenceYear - currentYy;
  const difference = yy - currentYy;
  if (difference > 50) century -= 100;
  else if (difference < -49) century += 100;
  const year = century + yy;
  if (month < 1 || month > 12)
    throw new ChaincodeError('MALFORMED_DATE', 'month must be 01-12', { date: yymmdd });
  if (day === 0) day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const iso = `${String(year).padStart(4, '0')}-${match[2]}-${String(day).padStart(2, '0')}`;
  if (!isIsoDate(iso)) throw new ChaincodeError('MALFORMED_DATE', 'not a calendar date', { date: yymmdd });
  return iso;
}

/** What a trace code identifies: a GTIN, its batch/lot and optionally a serial and dates (ISO YYYY-MM-DD). */
export interface TraceCodeParts {
  gtin: string;
  lot: string;
  serial?: string;
  productionDate?: string;
  expiryDate?: string;
}

/** The ID of a lot in the ledger: GTIN-14, a colon, the batch/lot number. */
export function lotIdOf(gtin: string, lot: string): string {
  return `${normalizeGtin(gtin)}:${lot}`;
}

/** Splits a lot ID into GTIN-14 and batch/lot (the GTIN is fixed-length, so a colon in the lot is harmless). */
export function splitLotId(lotId: string): { gtin: string; lot: string } | undefined {
  if (typeof lotId !== 'string' || lotId.charAt(14) !== ':') return undefined;
  const gtin = lotId.slice(0, 14);
  const lot = lotId.slice(15);
  if (gtinProblem(gtin) || lotNumberProblem(lot)) return undefined;
  return { gtin, lot };
}

/** Fixed-length AIs go first, then the variable-length ones (which need separators between them). */
function aiFields(parts: TraceCodeParts): { ai: string; value: string; variable: boolean }[] {
  const fields = [{ ai: '01', value: normalizeGtin(parts.gtin), variable: false }];
  if (parts.productionDate)
    fields.push({ ai: '11', value: toGs1Date(parts.productionDate), variable: false });
  if (parts.expiryDate) fields.push({ ai: '17', value: toGs1Date(parts.expiryDate), variable: false });
  fields.push({ ai: '10', value: parts.lot, variable: true });
  if (parts.serial) fields.push({ ai: '21', value: parts.serial, variable: true });
  return fields;
}

/** Checks the lot and serial of trace-code parts; throws MALFORMED_LOT_NUMBER or MALFORMED_SERIAL. */
function assertValues(parts: TraceCodeParts): void {
  const lotProblem = lotNumberProblem(parts.lot);
  if (lotProblem) throw new ChaincodeError(lotProblem.code, lotProblem.message, { lot: parts.lot });
  if (parts.serial !== undefined && !isAi82Value(parts.serial)) {
    throw new ChaincodeError(
      'MALFORMED_SERIAL',
      'a serial (AI 21) is 1-20 characters of GS1 character set 82',
      {
        serial: parts.serial,
      },
    );
  }
}

/** Human-readable GS1 element string, e.g. "(01)06901234567892(17)261231(10)A1". */
export function elementString(parts: TraceCodeParts): string {
  assertValues(parts);
  return aiFields(parts)
    .map((field) => `(${field.ai})${field.value}`)
    .join('');
}

/** GS1-128 / DataMatrix data content without the symbology identifier: AIs concatenated, GS after variable fields. */
export function barcodeData(parts: TraceCodeParts): string {
  assertValues(parts);
  const fields = aiFields(parts);
  return fields
    .map(
      (field, i) =>
        field.ai + field.value + (field.variable && i < fields.length - 1 ? GS1_GROUP_SEPARATOR : ''),
    )
    .join('');
}

/** Percent-encodes a Digital Link path value, leaving only RFC 3986 unreserved characters as they are. */
export function encodeDigitalLinkValue(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** GS1 Digital Link path "/01/{gtin14}/10/{lot}[/21/{serial}]" (qualifiers in the order 10, 21). */
export function digitalLinkPath(parts: TraceCodeParts): string {
  assertValues(parts);
  let path = `/01/${normalizeGtin(parts.gtin)}/10/${encodeDigitalLinkValue(parts.lot)}`;
  if (parts.serial) path += `/21/${encodeDigitalLinkValue(parts.serial)}`;
  return path;
}

/** Full Digital Link URI on a resolver, with the expiry date as query attribute 17 when known. */
export function digitalLinkUri(resolverBase: string, parts: TraceCodeParts): string {
  const query = parts.expiryDate ? `?17=${toGs1Date(parts.expiryDate)}` : '';
  return resolverBase.replace(/\/+$/, '') + digitalLinkPath(parts) + query;
}

/** Parses a Digital Link URI or path with AI 01 and AI 10 (and optionally 21) into its parts; undefined if not one. */
export function parseDigitalLink(
  uriOrPath: string,
): { gtin: string; lot: string; serial?: string } | undefined {
  let path = uriOrPath;
  const schemeEnd = path.indexOf('://');
  if (schemeEnd >= 0) {
    const pathStart = path.indexOf('/', schemeEnd + 3);
    path = pathStart >= 0 ? path.slice(pathStart) : '/';
  }
  path = path.split(/[?#]/)[0] ?? '';
  const segments = path.split('/').filter((segment) => segment !== '');
  // Extra leading segments are allowed (a resolver may serve Digital Links below a prefix).
  const start = segments.lastIndexOf('01', segments.length - 4);
  if (start < 0) return undefined;
  const rest = segments.slice(start);
  if (rest[2] !== '10' || (rest.length !== 4 && !(rest.length === 6 && rest[4] === '21'))) return undefined;
  try {
    const gtin = rest[1] ?? '';
    const lot = decodeURIComponent(rest[3] ?? '');
    const serial = rest.length === 6 ? decodeURIComponent(rest[5] ?? '') : undefined;
    if (gtinProblem(gtin) || lotNumberProblem(lot) || (serial !== undefined && !isAi82Value(serial)))
      return undefined;
    return serial === undefined
      ? { gtin: normalizeGtin(gtin), lot }
      : { gtin: normalizeGtin(gtin), lot, serial };
  } catch {
    return undefined;
  }
}

/** Parses a human-readable element string "(01)...(10)..." into its AI values; undefined if it is not one. */
export function parseElementString(text: string): Record<string, string> | undefined {
  const result: Record<string, string> = {};
  const pattern = /\((\d{2,4})\)([^(]*)/g;
  let consumed = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match.index !== consumed) return undefined;
    result[match[1] as string] = match[2] as string;
    consumed = pattern.lastIndex;
  }
  return consumed === text.length && consumed > 0 ? result : undefined;
}

/** The printed trace code of a lot: element string, GS1-128 data, and Digital Link path and URI. */
export interface TraceCode {
  elementString: string;
  barcodeData: string;
  digitalLinkPath: string;
  digitalLinkUri: string;
}

/** Renders every form of a lot's trace code, with Digital Link URI on the given resolver (default GS1's). */
export function traceCode(parts: TraceCodeParts, resolverBase = GS1_CANONICAL_DOMAIN): TraceCode {
  return {
    elementString: elementString(parts),
    barcodeData: barcodeData(parts),
    digitalLinkPath: digitalLinkPath(parts),
    digitalLinkUri: digitalLinkUri(resolverBase, parts),
  };
}

/** Class-level EPCIS identifier (epcClass) of a lot: its canonical Digital Link URI with GTIN and lot. */
export function lotEpcClass(gtin: string, lot: string): string {
  return GS1_CANONICAL_DOMAIN + digitalLinkPath({ gtin, lot });
}
