/**
 * Coded chaincode errors. Shared with the gateway, which maps each code's category to an HTTP status, so the
 * codes are a stable API: add codes, never rename them. No Fabric imports here (the gateway imports this file).
 */

/** How the gateway should classify an error: 400, 401, 403, 404 or 409. */
export type ErrorCategory = 'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict';

/** Every error code the chaincode throws, with its category. */
export const ERROR_CODES = {
  // invalid input (400)
  INVALID_ARGUMENT: 'invalid',
  INVALID_JSON: 'invalid',
  MALFORMED_GTIN: 'invalid',
  BAD_CHECK_DIGIT: 'invalid',
  MALFORMED_LOT_NUMBER: 'invalid',
  MALFORMED_SERIAL: 'invalid',
  MALFORMED_DATE: 'invalid',
  MALFORMED_GLN: 'invalid',
  INVALID_BUSINESS_LICENCE: 'invalid',
  INVALID_FOOD_LICENCE: 'invalid',
  INVALID_REGION: 'invalid',
  INVALID_UNIT: 'invalid',
  UNIT_MISMATCH: 'invalid',
  MASS_BALANCE_VIOLATED: 'invalid',
  INVALID_EVENT: 'invalid',
  // the caller's certificate could not be read (401)
  UNREADABLE_IDENTITY: 'unauthenticated',
  // the caller may not do this (403)
  NOT_ADMIN: 'forbidden',
  NOT_APPROVED: 'forbidden',
  NOT_REGULATOR: 'forbidden',
  NOT_CUSTODIAN: 'forbidden',
  NOT_RECEIVER: 'forbidden',
  NOT_OFFERER: 'forbidden',
  NOT_RECALL_AUTHORITY: 'forbidden',
  SELF_ACTION_FORBIDDEN: 'forbidden',
  // the thing named does not exist (404)
  MEMBER_NOT_FOUND: 'not_found',
  LOT_NOT_FOUND: 'not_found',
  TRANSFER_NOT_FOUND: 'not_found',
  RECALL_NOT_FOUND: 'not_found',
  // the ledger's current state does not allow it (409)
  ALLIANCE_ALREADY_BOOTSTRAPPED: 'conflict',
  MEMBER_EXISTS: 'conflict',
  MEMBER_REVOKED: 'conflict',
  INVALID_STATE_TRANSITION: 'conflict',
  LOT_EXISTS: 'conflict',
  LOT_ON_HOLD: 'conflict',
  LOT_RECALLED: 'conflict',
  LOT_CONSUMED: 'conflict',
  TRANSFER_PENDING: 'conflict',
  TRANSFER_NOT_PENDING: 'conflict',
  RECEIVER_NOT_APPROVED: 'conflict',
  QUANTITY_EXCEEDED: 'conflict',
  RECALL_COMPLETE: 'conflict',
  // compliance rules and IoT devices (issue 4)
  UNKNOWN_UNIT: 'invalid',
  MALFORMED_RULE: 'invalid',
  MALFORMED_PUBLIC_KEY: 'invalid',
  BAD_SIGNATURE: 'invalid',
  NOT_DEVICE_OWNER: 'forbidden',
  RULESET_NOT_FOUND: 'not_found',
  DEVICE_NOT_FOUND: 'not_found',
  VIOLATION_NOT_FOUND: 'not_found',
  RULESET_EXISTS: 'conflict',
  RULESET_VERSION_CONFLICT: 'conflict',
  EFFECTIVE_DATE_REGRESSION: 'conflict',
  RULESET_LIMIT_REACHED: 'conflict',
  DEVICE_EXISTS: 'conflict',
  DEVICE_RETIRED: 'conflict',
  REPLAYED_BATCH: 'conflict',
  OUT_OF_ORDER_BATCH: 'conflict',
  NO_OPEN_VIOLATIONS: 'conflict',
  DOCUMENT_EXISTS: 'conflict',
  // a rule forbids the act itself (a sale after the lot's expiry): refused, nothing recorded
  LOT_EXPIRED: 'conflict',
} as const satisfies Record<string, ErrorCategory>;

/** One of the stable error codes. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** The JSON body carried in a chaincode error's message. */
export interface ChaincodeErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** An error whose message is the JSON of {code, message, details}, so it survives the peer's error text intact. */
export class ChaincodeError extends Error {
  /** The stable error code. */
  readonly code: ErrorCode;
  /** The human-readable explanation (English; never matched on). */
  readonly reason: string;
  /** Structured context for the caller (offending field, current state, ...). */
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(JSON.stringify({ code, message, details }));
    this.name = 'ChaincodeError';
    this.code = code;
    this.reason = message;
    this.details = details;
  }
}

/** True if the string is one of the known error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}

/**
 * Finds the first JSON object with a known `code` in an error text (the peer wraps chaincode messages in its own
 * text, e.g. "chaincode response 500, {...}"), or undefined if there is none.
 */
export function parseChaincodeError(text: string): ChaincodeErrorBody | undefined {
  for (let start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
    const end = matchingBrace(text, start);
    if (end < 0) continue;
    try {
      const parsed: unknown = JSON.parse(text.slice(start, end + 1));
      if (parsed !== null && typeof parsed === 'object' && isErrorCode((parsed as { code?: unknown }).code)) {
        const body = parsed as ChaincodeErrorBody;
        return { code: body.code, message: String(body.message), details: body.details };
      }
    } catch {
      // not JSON after all: keep looking further along the text
    }
  }
  return undefined;
}

/** Index of the brace closing the one at `start`, skipping braces inside JSON strings; -1 if unbalanced. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i;
  }
  return -1;
}
