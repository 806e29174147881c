/**
 * Errors and the one place that turns any error into an HTTP answer: an RFC 7807 problem document
 * {type, title, status, code, detail, details?}. Chaincode refusals are recognised by their stable code (the JSON
 * the chaincode throws), never by their English text; Fabric failures by their error class and gRPC status or
 * transaction validation code.
 */
import { STATUS_CODES } from 'http';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommitError, GatewayError, StatusCode } from '@hyperledger/fabric-gateway';
import type { ErrorDetail } from '@hyperledger/fabric-gateway';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ERROR_CODES, parseChaincodeError } from '@agritrace/chaincode/dist/shared/errors';
import type { ChaincodeErrorBody, ErrorCategory } from '@agritrace/chaincode/dist/shared/errors';
import type { Logger } from './logger';
import './request-context';

/** HTTP status answered for each chaincode error category. */
export const CATEGORY_STATUS: Readonly<Record<ErrorCategory, number>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
};

/** Media type of problem documents. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An error answered with a given status and stable code (bad input, missing credential, ...). */
export class ApiError extends Error {
  /** HTTP status. */
  readonly status: number;
  /** Stable, machine-readable code. */
  readonly code: string;
  /** Structured context for the caller. */
  readonly details?: unknown;
  /** Extra response headers (WWW-Authenticate, Retry-After, ...). */
  readonly headers?: Readonly<Record<string, string>>;

  constructor(
    properties: Readonly<{
      status: number;
      code: string;
      message: string;
      details?: unknown;
      headers?: Readonly<Record<string, string>>;
      cause?: unknown;
    }>,
  ) {
    super(properties.message, { cause: properties.cause });
    this.name = ApiError.name;
    this.status = properties.status;
    this.code = properties.code;
    this.details = properties.details;
    this.headers = properties.headers;
  }
}

/** The chaincode answered with something that is not the JSON it promises. */
export class LedgerResponseError extends Error {
  /** The transaction whose answer could not be read. */
  readonly transaction: string;

  constructor(properties: Readonly<{ transaction: string; message: string; cause?: unknown }>) {
    super(properties.message, { cause: properties.cause });
    this.name = LedgerResponseError.name;
    this.transaction = properties.transaction;
  }
}

/** An RFC 7807 problem document as answered by the gateway. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  details?: unknown;
  instance?: string;
  requestId?: string;
}

/** How an error is answered: status, code, explanation, context and extra headers. */
export interface ProblemSpec {
  status: number;
  code: string;
  detail: string;
  details?: unknown;
  headers?: Readonly<Record<string, string>>;
}

/** The problem type URI of a code. */
export function problemType(code: string): string {
  return `urn:agritrace:problem:${code}`;
}

/** The problem document for a spec. */
export function toProblem(
  spec: ProblemSpec,
  extra: Readonly<{ instance?: string; requestId?: string }> = {},
): Problem {
  return {
    type: problemType(spec.code),
    title: STATUS_CODES[spec.status] ?? 'Error',
    status: spec.status,
    code: spec.code,
    detail: spec.detail,
    ...(spec.details === undefined ? {} : { details: spec.details }),
    ...extra,
  };
}

/**
 * The chaincode's coded error carried by a Fabric error, if any: the first JSON object with a known code in the
 * peers' error details (`chaincode response 500, {"code":...}`) or, failing that, in the error message.
 */
export function chaincodeErrorOf(err: GatewayError): ChaincodeErrorBody | undefined {
  for (const detail of err.details) {
    const parsed = parseChaincodeError(detail.message);
    if (parsed) return parsed;
  }
  return parseChaincodeError(err.message);
}

/** Maps any error to the way it is answered. */
export function problemSpecFor(err: unknown): ProblemSpec {
  if (err instanceof ApiError) {
    return {
      status: err.status,
      code: err.code,
      detail: err.message,
      details: err.details,
      headers: err.headers,
    };
  }
  if (err instanceof GatewayError) return gatewayProblem(err);
  if (err instanceof CommitError) return commitProblem(err);
  if (err instanceof LedgerResponseError) {
    return { status: 502, code: 'BAD_CHAINCODE_RESPONSE', detail: err.message };
  }
  const bodyError = bodyParserProblem(err);
  if (bodyError) return bodyError;
  return { status: 500, code: 'INTERNAL', detail: 'the gateway failed unexpectedly; see its log' };
}

/** A chaincode refusal by category, or a Fabric infrastructure failure by error class and gRPC status. */
function gatewayProblem(err: GatewayError): ProblemSpec {
  const coded = chaincodeErrorOf(err);
  if (coded) {
    const category: ErrorCategory = ERROR_CODES[coded.code];
    return {
      status: CATEGORY_STATUS[category],
      code: coded.code,
      detail: coded.message,
      ...(coded.details === undefined ? {} : { details: coded.details }),
    };
  }
  const transactionId = (err as GatewayError & { transactionId?: string }).transactionId;
  const details = {
    ...(transactionId ? { transactionId } : {}),
    grpcStatus: GrpcStatus[err.code] ?? err.code,
    peers: err.details.map(peerDetail),
  };
  const stage = STAGES[err.name] ?? 'evaluation';
  const infrastructure = grpcProblem(err.code, stage, err.message);
  if (infrastructure) return { ...infrastructure, details };
  if (err.name === 'CommitStatusError') {
    return {
      status: 502,
      code: 'COMMIT_STATUS_UNKNOWN',
      detail: `transaction ${transactionId ?? ''} was submitted but its commit status could not be read; look it up by ID`,
      details,
    };
  }
  if (err.name === 'SubmitError') {
    return {
      status: 502,
      code: 'SUBMIT_FAILED',
      detail: 'the ordering service refused the transaction',
      details,
    };
  }
  return {
    status: 502,
    code: 'CHAINCODE_ERROR',
    detail: `the ${stage} failed without a coded chaincode error (${err.message})`,
    details,
  };
}

/** Which step of a transaction each fabric-gateway error class stands for. */
const STAGES: Readonly<Record<string, string>> = {
  GatewayError: 'evaluation',
  EndorseError: 'endorsement',
  SubmitError: 'submission to ordering',
  CommitStatusError: 'commit status query',
};

/** Infrastructure failures that mean the same whatever the stage. */
function grpcProblem(code: number, stage: string, message: string): ProblemSpec | undefined {
  switch (code) {
    case GrpcStatus.UNAVAILABLE:
      return stage === 'submission to ordering'
        ? {
            status: 503,
            code: 'ORDERING_UNAVAILABLE',
            detail: 'the ordering service is unavailable',
            headers: RETRY,
          }
        : {
            status: 503,
            code: 'PEER_UNAVAILABLE',
            detail: `a peer is unavailable (${stage})`,
            headers: RETRY,
          };
    case GrpcStatus.DEADLINE_EXCEEDED:
      return stage === 'commit status query'
        ? {
            status: 504,
            code: 'COMMIT_STATUS_TIMEOUT',
            detail:
              'the transaction was submitted but did not commit in time; it may still commit: look it up by ID',
          }
        : { status: 504, code: 'TIMEOUT', detail: `the ${stage} timed out` };
    case GrpcStatus.RESOURCE_EXHAUSTED:
      // gRPC says the same status for a message over its size limit, which no retry cures.
      return /message larger than max/i.test(message)
        ? {
            status: 502,
            code: 'MESSAGE_TOO_LARGE',
            detail: `a message of the ${stage} is larger than the gRPC size limit between gateway and peer`,
          }
        : { status: 503, code: 'PEER_BUSY', detail: `the peer is overloaded (${stage})`, headers: RETRY };
    case GrpcStatus.CANCELLED:
      return { status: 503, code: 'CANCELLED', detail: `the ${stage} was cancelled`, headers: RETRY };
    case GrpcStatus.PERMISSION_DENIED:
    case GrpcStatus.UNAUTHENTICATED:
      return {
        status: 502,
        code: 'GATEWAY_IDENTITY_REJECTED',
        detail: `the peer refused this gateway's identity`,
      };
    case GrpcStatus.INVALID_ARGUMENT:
      return { status: 500, code: 'INTERNAL', detail: `the peer refused a malformed request (${stage})` };
    default:
      return undefined;
  }
}

const RETRY: Readonly<Record<string, string>> = { 'Retry-After': '1' };

/** A transaction that was ordered but failed validation. */
function commitProblem(err: CommitError): ProblemSpec {
  const validationCode = statusName(err.code);
  const details = { transactionId: err.transactionId, validationCode };
  switch (err.code) {
    case StatusCode.ENDORSEMENT_POLICY_FAILURE:
      return {
        status: 403,
        code: 'ENDORSEMENT_POLICY_FAILURE',
        detail:
          'the transaction was not endorsed by the organisations the ledger requires, so nothing changed',
        details,
      };
    case StatusCode.MVCC_READ_CONFLICT:
    case StatusCode.PHANTOM_READ_CONFLICT:
      return {
        status: 409,
        code: 'WRITE_CONFLICT',
        detail: 'concurrent writes to the same records kept conflicting; nothing changed, try again',
        details,
        headers: RETRY,
      };
    case StatusCode.DUPLICATE_TXID:
      return {
        status: 409,
        code: 'DUPLICATE_TRANSACTION',
        detail: 'the transaction was already submitted',
        details,
      };
    default:
      return {
        status: 502,
        code: 'TRANSACTION_INVALID',
        detail: `the transaction failed validation (${validationCode}); nothing changed`,
        details,
      };
  }
}

const STATUS_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(StatusCode).map(([name, value]) => [value as number, name]),
);

/** The symbolic name of a transaction validation code (MVCC_READ_CONFLICT, ...). */
export function statusName(code: number): string {
  return STATUS_NAMES.get(code) ?? `UNKNOWN_${code}`;
}

function peerDetail(detail: ErrorDetail): { mspId: string; address: string; message: string } {
  return { mspId: detail.mspId, address: detail.address, message: detail.message };
}

/** Errors raised by express.json(): malformed JSON, body too large, bad encoding. */
function bodyParserProblem(err: unknown): ProblemSpec | undefined {
  if (err === null || typeof err !== 'object') return undefined;
  const { type, status } = err as { type?: unknown; status?: unknown };
  if (typeof type !== 'string' || typeof status !== 'number' || status < 400 || status >= 500)
    return undefined;
  switch (type) {
    case 'entity.parse.failed':
      return { status: 400, code: 'MALFORMED_JSON', detail: 'the request body is not valid JSON' };
    case 'entity.too.large':
      return { status: 413, code: 'PAYLOAD_TOO_LARGE', detail: 'the request body is too large' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return {
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        detail: 'the request body encoding is not supported',
      };
    default:
      return { status, code: 'BAD_REQUEST', detail: 'the request could not be read' };
  }
}

/** Sends a problem document. */
export function sendProblem(
  res: Parameters<RequestHandler>[1],
  spec: ProblemSpec,
  extra: Readonly<{ instance?: string; requestId?: string }> = {},
): void {
  for (const [name, value] of Object.entries(spec.headers ?? {})) res.setHeader(name, value);
  res
    .status(spec.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(toProblem(spec, extra)));
}

/** The last middleware: answers every error as a problem document and logs server-side failures. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const spec = problemSpecFor(err);
    const fields = { requestId: req.requestId, method: req.method, path: req.originalUrl, code: spec.code };
    if (spec.status >= 500) {
      // The peers' own messages (per endorser) say why an endorsement failed; the error's message does not.
      const peers =
        err instanceof GatewayError ? err.details.map((d) => `${d.mspId}@${d.address}: ${d.message}`) : [];
      logger.error('request failed', {
        ...fields,
        status: spec.status,
        err,
        ...(peers.length ? { peers } : {}),
      });
    } else if (err instanceof GatewayError || err instanceof CommitError) {
      logger.info('request refused by the ledger', { ...fields, status: spec.status });
    }
    sendProblem(res, spec, { instance: req.originalUrl, requestId: req.requestId });
  };
}

/** Answers 404 ROUTE_NOT_FOUND for anything no router handled. */
export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(
    res,
    { status: 404, code: 'ROUTE_NOT_FOUND', detail: `no route for ${req.method} ${req.path}` },
    { instance: req.originalUrl, requestId: req.requestId },
  );
};
