import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommitError, EndorseError, GatewayError, StatusCode } from '@hyperledger/fabric-gateway';
import { CommitStatusError } from '@hyperledger/fabric-gateway/dist/commitstatuserror';
import { SubmitError } from '@hyperledger/fabric-gateway/dist/submiterror';
import { ApiError, LedgerResponseError, problemSpecFor, toProblem } from '../../src/errors';
import { endorseRefusal, evaluateRefusal, newTxId, serviceError } from './support/fake-fabric';

const txId = 'c'.repeat(64);

function infrastructureError<T>(
  Type: new (p: {
    code: number;
    details: [];
    cause: ReturnType<typeof serviceError>;
    transactionId: string;
    message: string;
  }) => T,
  code: GrpcStatus,
): T {
  return new Type({
    code,
    details: [],
    cause: serviceError(code, 'failure'),
    transactionId: txId,
    message: `${code} ${GrpcStatus[code]}: failure`,
  });
}

describe('problemSpecFor: chaincode refusals, by the category of their code', () => {
  it.each([
    ['INVALID_REGION', 400],
    ['UNREADABLE_IDENTITY', 401],
    ['NOT_REGULATOR', 403],
    ['MEMBER_NOT_FOUND', 404],
    ['MEMBER_EXISTS', 409],
  ])('answers an endorsement refused with %s as %i with that code', (code, status) => {
    const spec = problemSpecFor(endorseRefusal({ code, message: 'refused', details: { mspId: 'CoopMSP' } }));
    expect(spec).toEqual({ status, code, detail: 'refused', details: { mspId: 'CoopMSP' } });
  });

  it('reads the code of an evaluation refusal (gRPC UNKNOWN) the same way', () => {
    const spec = problemSpecFor(evaluateRefusal({ code: 'MEMBER_NOT_FOUND', message: 'no member XMSP' }));
    expect(spec).toMatchObject({ status: 404, code: 'MEMBER_NOT_FOUND', detail: 'no member XMSP' });
  });

  it('finds the coded JSON even when the message nests braces and quotes', () => {
    const body = {
      code: 'INVALID_ARGUMENT',
      message: 'bad {field} "x"',
      details: { fields: [{ field: 'a' }] },
    };
    expect(problemSpecFor(endorseRefusal(body))).toMatchObject({
      status: 400,
      code: 'INVALID_ARGUMENT',
      details: body.details,
    });
  });

  it('does not trust a code the chaincode never defined', () => {
    const spec = problemSpecFor(endorseRefusal({ code: 'TOTALLY_MADE_UP', message: 'x' }));
    expect(spec).toMatchObject({ status: 502, code: 'CHAINCODE_ERROR' });
  });

  it('answers an uncoded chaincode failure as 502 with the peers named', () => {
    const err = new EndorseError({
      code: GrpcStatus.ABORTED,
      details: [{ address: 'peer0:7121', mspId: 'CoopMSP', message: 'chaincode response 500, Error: boom' }],
      cause: serviceError(GrpcStatus.ABORTED, 'failed to endorse'),
      transactionId: txId,
      message: '10 ABORTED: failed to endorse',
    });
    expect(problemSpecFor(err)).toEqual({
      status: 502,
      code: 'CHAINCODE_ERROR',
      detail: expect.stringContaining('endorsement failed without a coded chaincode error'),
      details: {
        transactionId: txId,
        grpcStatus: 'ABORTED',
        peers: [{ address: 'peer0:7121', mspId: 'CoopMSP', message: 'chaincode response 500, Error: boom' }],
      },
    });
  });
});

describe('problemSpecFor: Fabric infrastructure failures', () => {
  it.each([
    ['an unreachable peer on endorsement', EndorseError, GrpcStatus.UNAVAILABLE, 503, 'PEER_UNAVAILABLE'],
    ['an endorsement timeout', EndorseError, GrpcStatus.DEADLINE_EXCEEDED, 504, 'TIMEOUT'],
    ['an unreachable ordering service', SubmitError, GrpcStatus.UNAVAILABLE, 503, 'ORDERING_UNAVAILABLE'],
    ['a refused submission', SubmitError, GrpcStatus.FAILED_PRECONDITION, 502, 'SUBMIT_FAILED'],
    [
      'a commit status timeout',
      CommitStatusError,
      GrpcStatus.DEADLINE_EXCEEDED,
      504,
      'COMMIT_STATUS_TIMEOUT',
    ],
    ['a failed commit status query', CommitStatusError, GrpcStatus.INTERNAL, 502, 'COMMIT_STATUS_UNKNOWN'],
    ['a busy peer', EndorseError, GrpcStatus.RESOURCE_EXHAUSTED, 503, 'PEER_BUSY'],
    [
      'a rejected gateway identity',
      EndorseError,
      GrpcStatus.PERMISSION_DENIED,
      502,
      'GATEWAY_IDENTITY_REJECTED',
    ],
  ] as const)('answers %s', (_name, Type, grpcCode, status, code) => {
    const spec = problemSpecFor(infrastructureError(Type, grpcCode));
    expect(spec).toMatchObject({
      status,
      code,
      details: { transactionId: txId, grpcStatus: GrpcStatus[grpcCode] },
    });
  });

  it('answers an answer over the gRPC size limit as 502 MESSAGE_TOO_LARGE, not as a busy peer to retry', () => {
    const message = '8 RESOURCE_EXHAUSTED: Received message larger than max (117440512 vs. 104857600)';
    const err = new GatewayError({
      code: GrpcStatus.RESOURCE_EXHAUSTED,
      details: [],
      cause: serviceError(GrpcStatus.RESOURCE_EXHAUSTED, message),
      message,
    });
    const spec = problemSpecFor(err);
    expect(spec).toMatchObject({ status: 502, code: 'MESSAGE_TOO_LARGE' });
    expect(spec.headers).toBeUndefined();
  });

  it('answers an unreachable peer on evaluation as 503 PEER_UNAVAILABLE with Retry-After', () => {
    const err = new GatewayError({
      code: GrpcStatus.UNAVAILABLE,
      details: [],
      cause: serviceError(GrpcStatus.UNAVAILABLE, 'No connection established'),
      message: '14 UNAVAILABLE: No connection established',
    });
    expect(problemSpecFor(err)).toMatchObject({
      status: 503,
      code: 'PEER_UNAVAILABLE',
      headers: { 'Retry-After': '1' },
    });
  });
});

describe('problemSpecFor: transactions that failed validation', () => {
  function commitError(code: number): CommitError {
    return new CommitError({
      code: code as CommitError['code'],
      transactionId: txId,
      message: 'failed to commit',
    });
  }

  it('answers an endorsement policy failure as 403', () => {
    expect(problemSpecFor(commitError(StatusCode.ENDORSEMENT_POLICY_FAILURE))).toEqual({
      status: 403,
      code: 'ENDORSEMENT_POLICY_FAILURE',
      detail: expect.stringContaining('nothing changed'),
      details: { transactionId: txId, validationCode: 'ENDORSEMENT_POLICY_FAILURE' },
    });
  });

  it('answers exhausted MVCC and phantom conflicts as 409 WRITE_CONFLICT', () => {
    for (const code of [StatusCode.MVCC_READ_CONFLICT, StatusCode.PHANTOM_READ_CONFLICT]) {
      expect(problemSpecFor(commitError(code))).toMatchObject({
        status: 409,
        code: 'WRITE_CONFLICT',
        headers: { 'Retry-After': '1' },
      });
    }
  });

  it('answers other validation failures as 502 with the symbolic code', () => {
    expect(problemSpecFor(commitError(StatusCode.BAD_RWSET))).toMatchObject({
      status: 502,
      code: 'TRANSACTION_INVALID',
      details: { validationCode: 'BAD_RWSET' },
    });
  });
});

describe('problemSpecFor: everything else', () => {
  it('keeps the status and code of an ApiError', () => {
    const err = new ApiError({ status: 422, code: 'SOMETHING', message: 'because', details: [1] });
    expect(problemSpecFor(err)).toEqual({ status: 422, code: 'SOMETHING', detail: 'because', details: [1] });
  });

  it('answers a chaincode answer that is not JSON as 502', () => {
    const err = new LedgerResponseError({ transaction: 'members:ReadMember', message: 'not JSON' });
    expect(problemSpecFor(err)).toMatchObject({ status: 502, code: 'BAD_CHAINCODE_RESPONSE' });
  });

  it('answers an unknown error as 500 INTERNAL without leaking its message', () => {
    expect(problemSpecFor(new Error(`secret ${newTxId()}`))).toEqual({
      status: 500,
      code: 'INTERNAL',
      detail: 'the gateway failed unexpectedly; see its log',
    });
  });
});

describe('toProblem', () => {
  it('builds an RFC 7807 document', () => {
    expect(toProblem({ status: 403, code: 'NOT_REGULATOR', detail: 'no' }, { requestId: 'r1' })).toEqual({
      type: 'urn:agritrace:problem:NOT_REGULATOR',
      title: 'Forbidden',
      status: 403,
      code: 'NOT_REGULATOR',
      detail: 'no',
      requestId: 'r1',
    });
  });
});
