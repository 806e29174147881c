/**
 * Reading what a consumer or caller types or scans into a lot's identity (GTIN-14 + batch/lot, optional serial):
 * a GS1 element string "(01)...(10)...", a GS1 Digital Link URI or path ".../01/{gtin}/10/{lot}[/21/{serial}]",
 * or a lot ID "{gtin14}:{lot}". The GS1 rules themselves (check digit, AI 10 character set) are the chaincode's
 * shared functions, so a code is judged the same way everywhere; this file only adds the reason for a refusal.
 */
import {
  gtinProblem,
  isAi82Value,
  lotNumberProblem,
  normalizeGtin,
  parseElementString,
} from '@agritrace/chaincode/dist/shared/gs1';
import type { ErrorCode } from '@agritrace/chaincode/dist/shared/errors';

/** A lot identified by a trace code. */
export interface LotIdentity {
  /** GTIN-14. */
  readonly gtin: string;
  readonly lot: string;
  readonly serial?: string;
  /** `${gtin}:${lot}`, the ledger's lot ID. */
  readonly lotId: string;
}

/** Why a code was refused: a stable code and a reason a person can act on. */
export interface CodeProblem {
  readonly code: ErrorCode | 'MALFORMED_TRACE_CODE';
  readonly reason: string;
}

/** The identity, or the problem. */
export type ParsedCode =
  | { readonly ok: true; readonly identity: LotIdentity }
  | { readonly ok: false; readonly problem: CodeProblem };

/** Checks the parts of a Digital Link path (already percent-decoded) and returns the lot identity. */
export function identityFromParts(gtin: string, lot: string, serial?: string): ParsedCode {
  const gtinIssue = gtinProblem(gtin);
  if (gtinIssue) return refuse(gtinIssue.code, `GTIN "${gtin}": ${gtinIssue.message}`);
  const lotIssue = lotNumberProblem(lot);
  if (lotIssue) return refuse(lotIssue.code, `batch/lot "${lot}": ${lotIssue.message}`);
  if (serial !== undefined && !isAi82Value(serial)) {
    return refuse(
      'MALFORMED_SERIAL',
      `serial "${serial}": a serial (AI 21) is 1-20 characters of GS1 character set 82`,
    );
  }
  const gtin14 = normalizeGtin(gtin);
  return {
    ok: true,
    identity: { gtin: gtin14, lot, ...(serial === undefined ? {} : { serial }), lotId: `${gtin14}:${lot}` },
  };
}

/**
 * Checks the parts of a Digital Link path as they stand in a URL (percent-encoded): a malformed escape is a refused
 * code, like any other malformed input.
 */
export function identityFromPath(gtin: string, lot: string, serial?: string): ParsedCode {
  const gtinText = decoded(gtin);
  const lotText = decoded(lot);
  const serialText = serial === undefined ? undefined : decoded(serial);
  if (gtinText === null || lotText === null || serialText === null) {
    return refuse('MALFORMED_TRACE_CODE', 'the Digital Link has a malformed percent-encoding');
  }
  return identityFromParts(gtinText, lotText, serialText);
}

/** Reads a trace code that stands percent-encoded in one segment of a URL path. */
export function parseTraceCodeSegment(segment: string): ParsedCode {
  const code = decoded(segment);
  if (code === null) return refuse('MALFORMED_TRACE_CODE', 'the trace code has a malformed percent-encoding');
  return parseTraceCode(code);
}

/** Reads any accepted form of trace code. */
export function parseTraceCode(input: string): ParsedCode {
  const code = input.trim();
  if (code === '') return refuse('MALFORMED_TRACE_CODE', 'the trace code is empty');
  if (code.length > 512)
    return refuse('MALFORMED_TRACE_CODE', 'the trace code is longer than 512 characters');
  if (code.startsWith('(')) return fromElementString(code);
  if (/^https?:\/\//i.test(code) || code.startsWith('/')) return fromDigitalLink(code);
  const colon = code.indexOf(':');
  if (colon > 0 && /^\d+$/.test(code.slice(0, colon)))
    return identityFromParts(code.slice(0, colon), code.slice(colon + 1));
  return refuse(
    'MALFORMED_TRACE_CODE',
    'not a trace code: expected a GS1 element string such as (01)06901234567892(10)A1, a GS1 Digital Link ' +
      'such as https://id.gs1.org/01/06901234567892/10/A1, or a lot ID such as 06901234567892:A1',
  );
}

function fromElementString(code: string): ParsedCode {
  const fields = parseElementString(code);
  if (!fields) {
    return refuse(
      'MALFORMED_TRACE_CODE',
      'not a GS1 element string: write each AI in brackets, e.g. (01)...(10)...',
    );
  }
  const gtin = fields['01'];
  const lot = fields['10'];
  if (gtin === undefined) return refuse('MALFORMED_TRACE_CODE', 'the element string has no GTIN (AI 01)');
  if (lot === undefined) return refuse('MALFORMED_TRACE_CODE', 'the element string has no batch/lot (AI 10)');
  return identityFromParts(gtin, lot, fields['21']);
}

function fromDigitalLink(code: string): ParsedCode {
  let path = code;
  if (/^https?:\/\//i.test(code)) {
    try {
      path = new URL(code).pathname;
    } catch {
      return refuse('MALFORMED_TRACE_CODE', 'not a valid URI');
    }
  }
  path = path.split(/[?#]/)[0] ?? '';
  const segments = path.split('/').filter((segment) => segment !== '');
  const start = segments.indexOf('01');
  if (start < 0) return refuse('MALFORMED_TRACE_CODE', 'the Digital Link has no /01/{GTIN}');
  const rest = segments.slice(start);
  if (rest[2] !== '10' || rest[3] === undefined) {
    return refuse('MALFORMED_TRACE_CODE', 'the Digital Link has no batch/lot: expected /01/{GTIN}/10/{lot}');
  }
  if (rest.length !== 4 && !(rest.length === 6 && rest[4] === '21')) {
    return refuse('MALFORMED_TRACE_CODE', 'after /10/{lot} only /21/{serial} may follow');
  }
  return identityFromPath(rest[1] ?? '', rest[3], rest[5]);
}

/** `text` percent-decoded, or null if an escape in it is malformed. */
function decoded(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function refuse(code: CodeProblem['code'], reason: string): ParsedCode {
  return { ok: false, problem: { code, reason } };
}
