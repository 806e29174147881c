/**
 * A stand-in for the Fabric-facing port, used only where routing, validation and auth are under test. It records
 * every proposal and answers with what the test scripts; errors are the real fabric-gateway error classes.
 */
import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { EndorseError, GatewayError, StatusCode } from '@hyperledger/fabric-gateway';
import type { ErrorDetail } from '@hyperledger/fabric-gateway';
import { LedgerClient } from '../../../src/fabric/contract';
import type {
  EvaluateCallOptions,
  FabricPort,
  ProposalRequest,
  SubmitAttempt,
} from '../../../src/fabric/contract';
import type { KvWrite } from '../../../src/fabric/ledger-decode';

type Answer<T> = (request: ProposalRequest, options?: EvaluateCallOptions) => T | Promise<T>;

/** A scripted FabricPort. */
export class FakeFabric implements FabricPort {
  readonly evaluations: ProposalRequest[] = [];
  readonly submissions: ProposalRequest[] = [];
  onEvaluate: Answer<Uint8Array> = () => {
    throw new Error('unexpected evaluate');
  };
  onSubmit: Answer<SubmitAttempt> = () => {
    throw new Error('unexpected submit');
  };

  async evaluate(request: ProposalRequest, options?: EvaluateCallOptions): Promise<Uint8Array> {
    this.evaluations.push(request);
    return this.onEvaluate(request, options);
  }

  async submitOnce(request: ProposalRequest): Promise<SubmitAttempt> {
    this.submissions.push(request);
    return this.onSubmit(request);
  }
}

/** A LedgerClient over a fake, retrying without waiting. */
export function fakeLedger(fabric: FabricPort): LedgerClient {
  return new LedgerClient({
    port: fabric,
    channel: 'traceability',
    chaincode: 'agritrace',
    sleep: async () => undefined,
  });
}

/** UTF-8 JSON bytes of a value. */
export function json(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

let txCounter = 0;

/** A fresh 64-hex transaction ID. */
export function newTxId(): string {
  txCounter += 1;
  return txCounter.toString(16).padStart(64, 'a');
}

/** A submit attempt that committed (or failed validation with `code`). */
export function attempt(
  result: unknown,
  code: number = StatusCode.VALID,
  blockNumber = 42n,
  writes: readonly KvWrite[] = [],
): SubmitAttempt {
  return {
    transactionId: newTxId(),
    result: json(result),
    timestamp: new Date('2026-05-01T08:00:00.000Z'),
    status: { code, blockNumber, successful: code === StatusCode.VALID },
    writes: () => writes,
  };
}

/** A gRPC ServiceError as @grpc/grpc-js produces it. */
export function serviceError(code: GrpcStatus, message: string): ServiceError {
  return Object.assign(new Error(`${code} ${GrpcStatus[code]}: ${message}`), {
    code,
    details: message,
    metadata: new Metadata(),
  });
}

/** The per-peer detail the peer gateway attaches when a chaincode refuses a proposal. */
export function chaincodeDetail(body: unknown, mspId = 'CoopMSP'): ErrorDetail {
  return {
    address: 'peer0.coop.alliance.local:7121',
    mspId,
    message: `chaincode response 500, ${JSON.stringify(body)}`,
  };
}

/** The EndorseError a chaincode refusal arrives as (gRPC ABORTED, details per peer). */
export function endorseRefusal(body: unknown): EndorseError {
  const message = 'failed to endorse transaction, see attached details for more info';
  return new EndorseError({
    code: GrpcStatus.ABORTED,
    details: [chaincodeDetail(body), chaincodeDetail(body, 'MofcomMSP')],
    cause: serviceError(GrpcStatus.ABORTED, message),
    transactionId: newTxId(),
    message: `10 ABORTED: ${message}`,
  });
}

/** The GatewayError an evaluation refusal arrives as (gRPC UNKNOWN, the message carries the chaincode text). */
export function evaluateRefusal(body: unknown): GatewayError {
  const message = `evaluate call to endorser returned error: chaincode response 500, ${JSON.stringify(body)}`;
  return new GatewayError({
    code: GrpcStatus.UNKNOWN,
    details: [chaincodeDetail(body)],
    cause: serviceError(GrpcStatus.UNKNOWN, message),
    message: `2 UNKNOWN: ${message}`,
  });
}
