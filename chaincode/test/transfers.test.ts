/** Two-phase custody transfer: offer, accept, reject, cancel, and key-level endorsement following the custodian. */
import './support/quiet-logging';
import { KeyEndorsementPolicy } from 'fabric-shim';
import type { Evaluation, LotCompliance, Violation } from '../src/shared/compliance';
import type { LotEventRecord } from '../src/shared/epcis';
import type { LotRecord } from '../src/shared/lots';
import type { Page } from '../src/shared/records';
import type { TransferRecord } from '../src/shared/transfers';
import { allianceLedger, createLot, gtin13, handOver, lotIdOf, readLot, who } from './support/alliance';
import { FakeLedger, TransactionFailure, expectRefusal } from './support/fake-ledger';
import type { Identity } from './support/fake-ledger';

type TransferResult = { transfer: TransferRecord; lot: LotRecord; event: LotEventRecord };
type TransferOutcome = TransferResult & { evaluations: Evaluation[]; violations: Violation[] };

const RICE = lotIdOf(gtin13(1), 'R-001');

/** Offers RICE (or another lot) from `from` to `to`. */
function offer(
  ledger: FakeLedger,
  from: Identity,
  to: string,
  lotId = RICE,
  extra: object = {},
): Promise<TransferResult> {
  return ledger.submitJson<TransferResult>(from, 'transfers:OfferTransfer', [
    JSON.stringify({ lotId, to, ...extra }),
  ]);
}

/** Expects a refusal that changed nothing. */
async function refusedUnchanged(ledger: FakeLedger, attempt: Promise<unknown>, code: string): Promise<void> {
  const size = ledger.state.size;
  const events = ledger.events.length;
  await expectRefusal(attempt, code);
  expect(ledger.state.size).toBe(size);
  expect(ledger.events.length).toBe(events);
}

/** Open transfers of a member in one direction. */
async function pending(ledger: FakeLedger, caller: Identity, direction: string): Promise<string[]> {
  const page = await ledger.evaluateJson<Page<TransferRecord>>(caller, 'transfers:QueryPendingTransfers', [
    direction,
    '',
    '',
  ]);
  return page.records.map((transfer) => `${transfer.from}->${transfer.to}:${transfer.lotId}`);
}

let ledger: FakeLedger;
beforeEach(async () => {
  ledger = await allianceLedger();
  await createLot(ledger, who.producer, 'R-001');
});

describe('OfferTransfer', () => {
  it('offers the lot to an approved member and blocks it from other offers meanwhile', async () => {
    const { transfer, lot, event } = await offer(ledger, who.producer, 'ProcessorMSP', RICE, {
      bizTransactionList: [{ type: 'po', bizTransaction: 'PO-2026-17' }],
      note: '2 pallets',
    });
    expect(transfer).toMatchObject({
      docType: 'transfer',
      transferId: transfer.createdTxId,
      lotId: RICE,
      from: 'ProducerMSP',
      to: 'ProcessorMSP',
      status: 'offered',
      offeredBy: { mspId: 'ProducerMSP', id: 'User1@producer.agritrace.test' },
      bizTransactionList: [{ type: 'po', bizTransaction: 'PO-2026-17' }],
    });
    expect(lot).toMatchObject({ custodian: 'ProducerMSP', pendingTransferId: transfer.transferId });
    expect(event).toMatchObject({
      eventType: 'TransactionEvent',
      action: 'ADD',
      bizStep: 'consigning',
      disposition: 'in_progress',
      stage: 'custody',
      bizTransactionList: [
        { type: 'urn:agritrace:transfer', bizTransaction: transfer.transferId },
        { type: 'po', bizTransaction: 'PO-2026-17' },
      ],
      sourceList: [{ type: 'owning_party', party: 'ProducerMSP' }],
      destinationList: [{ type: 'owning_party', party: 'ProcessorMSP' }],
    });
    expect(ledger.lastEvent()).toEqual(
      expect.objectContaining({
        name: 'TransferOffered',
        payload: {
          transferId: transfer.transferId,
          lotId: RICE,
          eventId: event.eventId,
          from: 'ProducerMSP',
          to: 'ProcessorMSP',
          transferStatus: 'offered',
          lotStatus: lot.status,
        },
      }),
    );
    expect(await pending(ledger, who.processor, 'incoming')).toEqual([`ProducerMSP->ProcessorMSP:${RICE}`]);
    expect(await pending(ledger, who.producer, 'outgoing')).toEqual([`ProducerMSP->ProcessorMSP:${RICE}`]);
    expect(await pending(ledger, who.producer, 'incoming')).toEqual([]);
    await refusedUnchanged(ledger, offer(ledger, who.producer, 'RetailerMSP'), 'TRANSFER_PENDING');
  });

  it.each([
    ['a member that does not hold the lot', who.producer2, 'ProcessorMSP', 'NOT_CUSTODIAN'],
    ['an organisation that is not a member', who.outsider, 'ProcessorMSP', 'NOT_APPROVED'],
    ['an offer to itself', who.producer, 'ProducerMSP', 'INVALID_ARGUMENT'],
    ['an offer to an unknown organisation', who.producer, 'NobodyMSP', 'MEMBER_NOT_FOUND'],
    ['an offer to a member not yet approved', who.producer, 'Regulator2MSP', 'RECEIVER_NOT_APPROVED'],
    ['a malformed receiver', who.producer, 'not an msp', 'INVALID_ARGUMENT'],
  ])('refuses %s', async (_label, caller, to, code) => {
    await refusedUnchanged(ledger, offer(ledger, caller, to), code);
  });

  it('refuses lots that are on hold, consumed or unknown', async () => {
    await refusedUnchanged(
      ledger,
      offer(ledger, who.producer, 'ProcessorMSP', lotIdOf(gtin13(1), 'NOPE')),
      'LOT_NOT_FOUND',
    );
    await ledger.submit(who.inspector, 'lots:HoldLot', [RICE, 'sampling']);
    await refusedUnchanged(ledger, offer(ledger, who.producer, 'ProcessorMSP'), 'LOT_ON_HOLD');
    await ledger.submit(who.regulator, 'lots:ReleaseLot', [RICE, 'ok']);
    await ledger.submit(who.producer, 'lots:RecordEvent', [
      JSON.stringify({ lotId: RICE, bizStep: 'retail_selling', quantity: 1000, unit: 'kg' }),
    ]);
    await refusedUnchanged(ledger, offer(ledger, who.producer, 'ProcessorMSP'), 'LOT_CONSUMED');
  });

  it('refuses malformed offers', async () => {
    await refusedUnchanged(
      ledger,
      ledger.submit(who.producer, 'transfers:OfferTransfer', ['nope']),
      'INVALID_JSON',
    );
    await refusedUnchanged(
      ledger,
      ledger.submit(who.producer, 'transfers:OfferTransfer', [JSON.stringify({ lotId: RICE })]),
      'INVALID_ARGUMENT',
    );
  });
});

describe('AcceptTransfer', () => {
  it('moves custody, the custodian index and the key-level endorsement to the receiver', async () => {
    const offered = await offer(ledger, who.producer, 'ProcessorMSP');
    const { transfer, lot, event } = await ledger.submitJson<TransferResult>(
      who.processor,
      'transfers:AcceptTransfer',
      [offered.transfer.transferId],
    );
    expect(transfer).toMatchObject({
      status: 'accepted',
      decidedBy: { mspId: 'ProcessorMSP' },
      decisionTxId: transfer.lastTxId,
    });
    expect(lot.custodian).toBe('ProcessorMSP');
    expect(lot.pendingTransferId).toBeUndefined();
    expect(lot.producer).toBe('ProducerMSP');
    expect(event).toMatchObject({
      eventType: 'TransactionEvent',
      bizStep: 'accepting',
      disposition: 'active',
      sourceList: [{ type: 'possessing_party', party: 'ProducerMSP' }],
      destinationList: [{ type: 'possessing_party', party: 'ProcessorMSP' }],
    });
    expect(ledger.lastEvent()?.name).toBe('TransferAccepted');
    const policy = ledger.state.validationParameter(`\u0000lot\u0000${RICE}\u0000`) as Uint8Array;
    expect(new KeyEndorsementPolicy(policy).listOrgs()).toEqual(['ProcessorMSP']);
    const held = await ledger.evaluateJson<Page<LotRecord>>(who.processor, 'lots:QueryLotsByCustodian', [
      '',
      '',
      '',
    ]);
    expect(held.records.map((l) => l.lotId)).toEqual([RICE]);
    const before = await ledger.evaluateJson<Page<LotRecord>>(who.producer, 'lots:QueryLotsByCustodian', [
      '',
      '',
      '',
    ]);
    expect(before.records).toEqual([]);
    expect(await pending(ledger, who.processor, 'incoming')).toEqual([]);
    // The old custodian may no longer act on the lot.
    await expectRefusal(
      ledger.submit(who.producer, 'lots:RecordEvent', [JSON.stringify({ lotId: RICE, bizStep: 'storing' })]),
      'NOT_CUSTODIAN',
    );
  });

  it("makes a change to the lot endorsed only by the previous custodian's peer invalid", async () => {
    await handOver(ledger, who.producer, who.processor, RICE);
    const sale = JSON.stringify({ lotId: RICE, bizStep: 'retail_selling', quantity: 10, unit: 'kg' });
    const failure = await ledger
      .submit(who.processor, 'lots:RecordEvent', [sale], { endorsers: ['ProducerMSP', 'RegulatorMSP'] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TransactionFailure);
    expect((failure as TransactionFailure).validationCode).toBe('ENDORSEMENT_POLICY_FAILURE');
    expect((await readLot(ledger, RICE)).remaining).toBe(1000);
    await ledger.submit(who.processor, 'lots:RecordEvent', [sale], {
      endorsers: ['ProcessorMSP', 'RegulatorMSP'],
    });
    expect((await readLot(ledger, RICE)).remaining).toBe(990);
  });

  it('refuses anyone but the receiver, decided transfers and unknown transfers', async () => {
    const { transfer } = await offer(ledger, who.producer, 'ProcessorMSP');
    await refusedUnchanged(
      ledger,
      ledger.submit(who.retailer, 'transfers:AcceptTransfer', [transfer.transferId]),
      'NOT_RECEIVER',
    );
    await refusedUnchanged(
      ledger,
      ledger.submit(who.producer, 'transfers:AcceptTransfer', [transfer.transferId]),
      'NOT_RECEIVER',
    );
    await ledger.submit(who.processor, 'transfers:AcceptTransfer', [transfer.transferId]);
    await refusedUnchanged(
      ledger,
      ledger.submit(who.processor, 'transfers:AcceptTransfer', [transfer.transferId]),
      'TRANSFER_NOT_PENDING',
    );
    await refusedUnchanged(
      ledger,
      ledger.submit(who.processor, 'transfers:AcceptTransfer', ['f'.repeat(64)]),
      'TRANSFER_NOT_FOUND',
    );
    await refusedUnchanged(
      ledger,
      ledger.submit(who.processor, 'transfers:AcceptTransfer', ['bad id!']),
      'INVALID_ARGUMENT',
    );
  });

  it('refuses to sell or destroy a lot while it is on offer', async () => {
    await offer(ledger, who.producer, 'ProcessorMSP');
    const sale = JSON.stringify({ lotId: RICE, bizStep: 'retail_selling', quantity: 1, unit: 'kg' });
    await refusedUnchanged(
      ledger,
      ledger.submit(who.producer, 'lots:RecordEvent', [sale]),
      'TRANSFER_PENDING',
    );
  });

  it('refuses a lot put on hold while the offer was open', async () => {
    const { transfer } = await offer(ledger, who.producer, 'ProcessorMSP');
    await ledger.submit(who.regulator, 'lots:HoldLot', [RICE, 'suspicion']);
    await refusedUnchanged(
      ledger,
      ledger.submit(who.processor, 'transfers:AcceptTransfer', [transfer.transferId]),
      'LOT_ON_HOLD',
    );
  });
});

describe('compliance of custody changes', () => {
  const PORK = lotIdOf(gtin13(2), 'P-001');

  beforeEach(async () => {
    await ledger.submit(who.regulator, 'rules:SeedDefaultRuleSet');
    await createLot(ledger, who.producer, 'P-001', {
      gtin: gtin13(2),
      product: 'Chilled pork',
      category: 'meat/pork',
      storageCategory: 'chilled',
    });
  });

  it('checks an offer as shipping: meat offered without a quarantine certificate is held and cannot be accepted', async () => {
    const offered = await ledger.submitJson<TransferOutcome>(who.producer, 'transfers:OfferTransfer', [
      JSON.stringify({ lotId: PORK, to: 'ProcessorMSP' }),
    ]);
    expect(offered.violations.map((v) => [v.ruleId, v.eventId, v.responsibleMsp])).toEqual([
      ['quarantine-meat-shipping', offered.event.eventId, 'ProducerMSP'],
    ]);
    // The offer is recorded, and the lot held while on offer.
    expect(offered.transfer.status).toBe('offered');
    expect(offered.lot).toMatchObject({ status: 'on_hold', pendingTransferId: offered.transfer.transferId });
    expect(await readLot(ledger, PORK)).toEqual(offered.lot);
    expect(ledger.lastEvent()).toMatchObject({
      name: 'TransferOffered',
      payload: {
        transferId: offered.transfer.transferId,
        lotStatus: 'on_hold',
        violationIds: offered.violations.map((v) => v.id),
      },
    });
    await refusedUnchanged(
      ledger,
      ledger.submit(who.processor, 'transfers:AcceptTransfer', [offered.transfer.transferId]),
      'LOT_ON_HOLD',
    );
    // The offerer can still withdraw; the lot stays held until a regulator decides.
    const cancelled = await ledger.submitJson<TransferOutcome>(who.producer, 'transfers:CancelTransfer', [
      offered.transfer.transferId,
      'certificate missing',
    ]);
    expect(cancelled.lot.status).toBe('on_hold');
    expect(cancelled.lot.pendingTransferId).toBeUndefined();
  });

  it('checks an acceptance as receiving, and passes a certified shipment', async () => {
    await ledger.submit(who.inspector, 'compliance:RecordDocument', [
      PORK,
      JSON.stringify({ docType: 'animal_quarantine_certificate', id: 'AQC-9', issuedAt: '2026-02-28' }),
    ]);
    const offered = await ledger.submitJson<TransferOutcome>(who.producer, 'transfers:OfferTransfer', [
      JSON.stringify({ lotId: PORK, to: 'ProcessorMSP' }),
    ]);
    expect(offered.evaluations).toContainEqual(
      expect.objectContaining({ ruleId: 'quarantine-meat-shipping', outcome: 'pass' }),
    );
    const accepted = await ledger.submitJson<TransferOutcome>(who.processor, 'transfers:AcceptTransfer', [
      offered.transfer.transferId,
    ]);
    expect(accepted.violations).toEqual([]);
    expect(accepted.lot).toMatchObject({ status: 'active', custodian: 'ProcessorMSP' });
    const view = await ledger.evaluateJson<LotCompliance>(who.processor, 'compliance:ReadLotCompliance', [
      PORK,
    ]);
    expect(view.evaluations.map((e) => [e.bizStep, e.eventId])).toEqual([
      ['shipping', offered.event.eventId],
      ['receiving', accepted.event.eventId],
    ]);
    // The stored custody events keep their own CBV steps.
    expect([offered.event.bizStep, accepted.event.bizStep]).toEqual(['consigning', 'accepting']);
  });
});

describe('RejectTransfer and CancelTransfer', () => {
  it('lets the receiver reject: the lot stays and is free to offer again', async () => {
    const { transfer } = await offer(ledger, who.producer, 'ProcessorMSP');
    const rejected = await ledger.submitJson<TransferResult>(who.processor, 'transfers:RejectTransfer', [
      transfer.transferId,
      'wrong variety',
    ]);
    expect(rejected.transfer).toMatchObject({
      status: 'rejected',
      reason: 'wrong variety',
      decidedBy: { mspId: 'ProcessorMSP' },
    });
    expect(rejected.lot).toMatchObject({ custodian: 'ProducerMSP' });
    expect(rejected.lot.pendingTransferId).toBeUndefined();
    expect(rejected.event).toMatchObject({
      eventType: 'TransactionEvent',
      action: 'DELETE',
      bizStep: 'accepting',
      note: 'wrong variety',
    });
    expect(ledger.lastEvent()?.name).toBe('TransferRejected');
    expect(await pending(ledger, who.processor, 'incoming')).toEqual([]);
    await offer(ledger, who.producer, 'RetailerMSP');
  });

  it('lets the offerer cancel', async () => {
    const { transfer } = await offer(ledger, who.producer, 'ProcessorMSP');
    const cancelled = await ledger.submitJson<TransferResult>(who.producer, 'transfers:CancelTransfer', [
      transfer.transferId,
      'sold elsewhere',
    ]);
    expect(cancelled.transfer.status).toBe('cancelled');
    expect(cancelled.event).toMatchObject({ action: 'DELETE', bizStep: 'consigning' });
    expect(ledger.lastEvent()?.name).toBe('TransferCancelled');
    await refusedUnchanged(
      ledger,
      ledger.submit(who.processor, 'transfers:AcceptTransfer', [transfer.transferId]),
      'TRANSFER_NOT_PENDING',
    );
    const read = await ledger.evaluateJson<TransferRecord>(who.retailer, 'transfers:ReadTransfer', [
      transfer.transferId,
    ]);
    expect(read).toEqual(cancelled.transfer);
  });

  it('refuses the wrong party, closed transfers and empty reasons', async () => {
    const { transfer } = await offer(ledger, who.producer, 'ProcessorMSP');
    await refusedUnchanged(
      ledger,
      ledger.submit(who.producer, 'transfers:RejectTransfer', [transfer.transferId, 'x']),
      'NOT_RECEIVER',
    );
    await refusedUnchanged(
      ledger,
      ledger.submit(who.processor, 'transfers:CancelTransfer', [transfer.transferId, 'x']),
      'NOT_OFFERER',
    );
    await refusedUnchanged(
      ledger,
      ledger.submit(who.processor, 'transfers:RejectTransfer', [transfer.transferId, ' ']),
      'INVALID_ARGUMENT',
    );
    await ledger.submit(who.producer, 'transfers:CancelTransfer', [transfer.transferId, 'x']);
    await refusedUnchanged(
      ledger,
      ledger.submit(who.producer, 'transfers:CancelTransfer', [transfer.transferId, 'x']),
      'TRANSFER_NOT_PENDING',
    );
    await refusedUnchanged(
      ledger,
      ledger.submit(who.processor, 'transfers:RejectTransfer', [transfer.transferId, 'x']),
      'TRANSFER_NOT_PENDING',
    );
  });
});

describe('transfer queries', () => {
  it('refuses an unknown direction or transfer', async () => {
    await expectRefusal(
      ledger.evaluate(who.producer, 'transfers:QueryPendingTransfers', ['sideways', '', '']),
      'INVALID_ARGUMENT',
    );
    await expectRefusal(
      ledger.evaluate(who.producer, 'transfers:ReadTransfer', ['0'.repeat(64)]),
      'TRANSFER_NOT_FOUND',
    );
  });
});
