import { CommitError, StatusCode } from '@hyperledger/fabric-gateway';
import { LedgerResponseError } from '../../src/errors';
import { LedgerClient } from '../../src/fabric/contract';
import { attempt, FakeFabric, json } from './support/fake-fabric';

function client(fabric: FakeFabric, sleeps: number[] = []): LedgerClient {
  return new LedgerClient({
    port: fabric,
    channel: 'traceability',
    chaincode: 'agritrace',
    retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 },
    sleep: async (ms) => void sleeps.push(ms),
  });
}

describe('LedgerClient.submit', () => {
  it('returns the decoded answer with the transaction ID, block number and timestamp', async () => {
    const fabric = new FakeFabric();
    const outcome = attempt({ mspId: 'CoopMSP' }, StatusCode.VALID, 17n);
    fabric.onSubmit = () => outcome;
    const committed = await client(fabric).submit('members', 'RegisterMember', ['{"name":"x"}']);
    expect(committed).toMatchObject({
      result: { mspId: 'CoopMSP' },
      txId: outcome.transactionId,
      blockNumber: 17n,
      timestamp: outcome.timestamp,
      attempts: 1,
    });
    expect(fabric.submissions).toEqual([
      {
        chaincode: 'agritrace',
        contract: 'members',
        transaction: 'RegisterMember',
        args: ['{"name":"x"}', ''],
      },
    ]);
  });

  it('passes the endorsing organisations through', async () => {
    const fabric = new FakeFabric();
    fabric.onSubmit = () => attempt(null);
    await client(fabric).submit('members', 'ApproveMember', ['CoopMSP', 'ok'], {
      endorsingOrganizations: ['MofcomMSP'],
    });
    expect(fabric.submissions[0]?.endorsingOrganizations).toEqual(['MofcomMSP']);
  });

  it('retries MVCC and phantom read conflicts with a new proposal each time, with bounded jittered backoff', async () => {
    const fabric = new FakeFabric();
    const outcomes = [
      attempt(null, StatusCode.MVCC_READ_CONFLICT),
      attempt(null, StatusCode.PHANTOM_READ_CONFLICT),
      attempt({ ok: true }),
    ];
    fabric.onSubmit = () => outcomes[fabric.submissions.length - 1]!;
    const sleeps: number[] = [];
    const committed = await client(fabric, sleeps).submit('members', 'ApproveMember', ['CoopMSP', 'ok']);
    expect(committed.attempts).toBe(3);
    expect(committed.txId).toBe(outcomes[2]?.transactionId);
    expect(fabric.submissions).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeLessThanOrEqual(100);
    expect(sleeps[1]).toBeLessThanOrEqual(200);
  });

  it('gives up after the last attempt with the conflict as a CommitError', async () => {
    const fabric = new FakeFabric();
    fabric.onSubmit = () => attempt(null, StatusCode.MVCC_READ_CONFLICT);
    const error = await client(fabric)
      .submit('members', 'ApproveMember', ['CoopMSP', 'ok'])
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(CommitError);
    expect(error).toMatchObject({ code: StatusCode.MVCC_READ_CONFLICT });
    expect(fabric.submissions).toHaveLength(5);
  });

  it('never retries an endorsement policy failure', async () => {
    const fabric = new FakeFabric();
    const outcome = attempt(null, StatusCode.ENDORSEMENT_POLICY_FAILURE);
    fabric.onSubmit = () => outcome;
    await expect(client(fabric).submit('members', 'RegisterMember', ['{}'])).rejects.toMatchObject({
      name: 'CommitError',
      code: StatusCode.ENDORSEMENT_POLICY_FAILURE,
      transactionId: outcome.transactionId,
    });
    expect(fabric.submissions).toHaveLength(1);
  });

  it('does not retry errors thrown before commit', async () => {
    const fabric = new FakeFabric();
    fabric.onSubmit = () => {
      throw new Error('endorsement refused');
    };
    await expect(client(fabric).submit('members', 'RegisterMember', ['{}'])).rejects.toThrow(
      'endorsement refused',
    );
    expect(fabric.submissions).toHaveLength(1);
  });
});

describe('LedgerClient.evaluate', () => {
  it('decodes JSON answers and maps an empty answer to null', async () => {
    const fabric = new FakeFabric();
    fabric.onEvaluate = (request) =>
      request.transaction === 'ReadMember' ? json({ mspId: 'CoopMSP' }) : new Uint8Array();
    await expect(client(fabric).evaluate('members', 'ReadMember', ['CoopMSP'])).resolves.toEqual({
      mspId: 'CoopMSP',
    });
    await expect(client(fabric).evaluate('members', 'Nothing', [])).resolves.toBeNull();
  });

  it('refuses an answer that is not JSON', async () => {
    const fabric = new FakeFabric();
    fabric.onEvaluate = () => new TextEncoder().encode('<html>');
    await expect(client(fabric).evaluate('members', 'ReadMember', ['CoopMSP'])).rejects.toBeInstanceOf(
      LedgerResponseError,
    );
  });
});
