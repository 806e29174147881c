/**
 * A synthetic ledger history, as decoded blocks whose writes are records shaped exactly like the chaincode's
 * (typed with its shared types): the story of the traceability issue (members join, two farm lots are harvested
 * and inspected, handed to the processor, merged and processed into packaged lots, shipped, sold, and one farm lot
 * is recalled) and, for load, any number of further lots. Events are kept as the chaincode keeps them now, a
 * single-lot event whole under its lot (chaincode/src/shared/event-records.ts), except the farm lots' harvest,
 * recorded before that layout (or every event, for a ledger written before it). Used by the store tests (on both
 * engines) and by the lookup benchmark; the live network's integration tests use the real chaincode instead.
 */
import { createHash } from 'crypto';
import type { LotEventRecord, QuantityElement } from '@agritrace/chaincode/dist/shared/epcis';
import { evaluationRecordOf, keptUnderLot } from '@agritrace/chaincode/dist/shared/event-records';
import type { EventCompliance, StoredLotEvent } from '@agritrace/chaincode/dist/shared/event-records';
import {
  lotEventPayload,
  transferEventPayload,
  transformationEventPayload,
} from '@agritrace/chaincode/dist/shared/events';
import { lotEpcClass, traceCode } from '@agritrace/chaincode/dist/shared/gs1';
import type { LotRecord } from '@agritrace/chaincode/dist/shared/lots';
import type { MemberRecord, MemberRole } from '@agritrace/chaincode/dist/shared/members';
import type { RecallRecord, RecallScopeEntry } from '@agritrace/chaincode/dist/shared/recalls';
import type { Actor, RecordMeta } from '@agritrace/chaincode/dist/shared/records';
import type { GenealogyLink } from '@agritrace/chaincode/dist/shared/trace';
import type { TransferRecord } from '@agritrace/chaincode/dist/shared/transfers';
import type { LotDocumentRecord, Violation } from '@agritrace/chaincode/dist/shared/compliance';
import type { DecodedBlock, DecodedTransaction, KvWrite } from '../follower/block-decode';
import { compositeKey } from '../follower/composite-key';

/** The members of the sample alliance: MSP ID, name, role, region. */
export const SAMPLE_MEMBERS: ReadonlyArray<{
  mspId: string;
  name: string;
  role: MemberRole;
  region: string;
}> = [
  { mspId: 'MofcomMSP', name: 'Ministry of Commerce', role: 'regulator', region: '100000' },
  { mspId: 'InspectionMSP', name: 'Provincial Inspection Centre', role: 'inspector', region: '330100' },
  { mspId: 'CoopMSP', name: 'Green Valley Farm Cooperative', role: 'producer', region: '330183' },
  {
    mspId: 'ProcessorMSP',
    name: 'Jade River Food Processing Co., Ltd.',
    role: 'processor',
    region: '330102',
  },
  {
    mspId: 'LogisticsMSP',
    name: 'ColdLink Cold-Chain Logistics Co., Ltd.',
    role: 'logistics',
    region: '330106',
  },
  { mspId: 'RetailerMSP', name: 'FreshMart E-commerce Co., Ltd.', role: 'retailer', region: '310115' },
];

/** GTINs of the sample products (valid check digits). */
export const SAMPLE_GTINS = { greens: '06901234567892', salad: '06901234567809' } as const;

const INDEX_VALUE = Uint8Array.from([0]);

/** What the rules of the sample's rule set (not itself part of the story) made of an inspection and of a sale. */
const CHECKS = {
  inspection: {
    ruleSets: [{ id: 'cn-baseline', version: 1 }],
    evaluations: [
      { ruleSetId: 'cn-baseline', ruleSetVersion: 1, ruleId: 'qualified-actor', kind: 'qualification', outcome: 'pass', message: 'an approved inspector' },
      { ruleSetId: 'cn-baseline', ruleSetVersion: 1, ruleId: 'mrl-phorate-vegetables', kind: 'mrl', outcome: 'pass', measured: 'ND', limit: 0.01, unit: 'mg/kg', message: 'not detected' },
    ],
  },
  sale: {
    ruleSets: [{ id: 'cn-baseline', version: 1 }],
    evaluations: [
      { ruleSetId: 'cn-baseline', ruleSetVersion: 1, ruleId: 'inspection-before-retail', kind: 'required_document', outcome: 'pass', message: 'inspection_pass held' },
      { ruleSetId: 'cn-baseline', ruleSetVersion: 1, ruleId: 'shelf-life-retail', kind: 'shelf_life', outcome: 'pass', message: 'within shelf life' },
      { ruleSetId: 'cn-baseline', ruleSetVersion: 1, ruleId: 'mrl-phorate-vegetables', kind: 'mrl', outcome: 'not_applicable', message: 'no residue results' },
    ],
  },
} satisfies Record<string, EventCompliance>; // prettier-ignore

/** A transaction being written: its writes and event, as the chaincode would produce them. */
class TxWriter {
  readonly writes: KvWrite[] = [];
  event?: { name: string; payload: Uint8Array };

  constructor(
    readonly txId: string,
    readonly timestamp: Date,
    readonly actor: Actor,
    readonly functionName: string,
  ) {}

  put(objectType: string, attributes: string[], value: unknown): void {
    this.writes.push({ key: compositeKey(objectType, attributes), value: jsonBytes(value) });
  }

  index(objectType: string, attributes: string[]): void {
    this.writes.push({ key: compositeKey(objectType, attributes), value: INDEX_VALUE });
  }

  remove(objectType: string, attributes: string[]): void {
    this.writes.push({ key: compositeKey(objectType, attributes), value: null });
  }

  emit(name: string, payload: unknown): void {
    this.event = { name, payload: jsonBytes(payload) };
  }

  meta(): RecordMeta {
    const at = this.timestamp.toISOString();
    return {
      createdTxId: this.txId,
      createdAt: at,
      createdBy: this.actor,
      lastTxId: this.txId,
      updatedAt: at,
      actor: this.actor,
    };
  }

  touched(previous: RecordMeta): RecordMeta {
    return { ...previous, lastTxId: this.txId, updatedAt: this.timestamp.toISOString(), actor: this.actor };
  }
}

/** Builds a history block by block. */
export class SampleLedger {
  readonly blocks: DecodedBlock[] = [];
  readonly lots = new Map<string, LotRecord>();
  /**
   * Whether an event of one lot is kept whole under its lot's index entry, as the chaincode keeps it now; false
   * writes events as ledgers from before that layout hold them.
   */
  eventsUnderLot = true;
  #pending: DecodedTransaction[] = [];
  #counter = 0;
  #clock: number;

  constructor(
    startBlock = 0,
    startTime = Date.parse('2026-05-01T00:00:00Z'),
    readonly namespace = 'agritrace',
  ) {
    this.#nextBlock = startBlock;
    this.#clock = startTime;
  }

  #nextBlock: number;

  /** Runs one transaction as `mspId` and queues it for the next block. */
  tx(mspId: string, functionName: string, write: (tx: TxWriter) => void): string {
    this.#counter += 1;
    this.#clock += 60_000;
    const txId = createHash('sha256').update(`${this.namespace}:${this.#counter}`).digest('hex');
    const tx = new TxWriter(txId, new Date(this.#clock), { mspId, id: `User1@${mspId}` }, functionName);
    write(tx);
    this.#pending.push({
      txId,
      index: this.#pending.length,
      validationCode: 0,
      valid: true,
      ours: true,
      timestamp: tx.timestamp,
      creatorMspId: mspId,
      functionName,
      writes: tx.writes,
      ...(tx.event ? { event: tx.event } : {}),
    });
    return txId;
  }

  /** Queues an invalid transaction (it must change nothing). */
  invalidTx(mspId: string, write: (tx: TxWriter) => void): void {
    this.#counter += 1;
    const txId = createHash('sha256').update(`${this.namespace}:${this.#counter}`).digest('hex');
    const tx = new TxWriter(txId, new Date(this.#clock), { mspId, id: `User1@${mspId}` }, 'lots:CreateLot');
    write(tx);
    this.#pending.push({
      txId,
      index: this.#pending.length,
      validationCode: 11,
      valid: false,
      ours: true,
      timestamp: tx.timestamp,
      creatorMspId: mspId,
      writes: [],
    });
  }

  /** Cuts a block of the queued transactions (an empty block when none are queued). */
  cut(): DecodedBlock {
    const block: DecodedBlock = { number: this.#nextBlock++, transactions: this.#pending };
    this.#pending = [];
    this.blocks.push(block);
    return block;
  }

  /** Registers and approves every sample member (two blocks). */
  members(): void {
    const records = new Map<string, MemberRecord>();
    for (const member of SAMPLE_MEMBERS) {
      this.tx(member.mspId, 'members:RegisterMember', (tx) => {
        const record: MemberRecord = {
          ...tx.meta(),
          docType: 'member',
          mspId: member.mspId,
          name: member.name,
          role: member.role,
          businessLicence: '91330183MA27XY8K1F',
          region: member.region,
          status: member.role === 'regulator' ? 'approved' : 'pending',
          history: [],
        };
        records.set(member.mspId, record);
        tx.put('member', [member.mspId], record);
        tx.index('memberByStatus', [record.status, member.role, member.mspId]);
        tx.emit('MemberRegistered', { member: record });
      });
    }
    this.cut();
    for (const member of SAMPLE_MEMBERS.filter((m) => m.role !== 'regulator')) {
      this.tx('MofcomMSP', 'members:ApproveMember', (tx) => {
        const previous = records.get(member.mspId) as MemberRecord;
        const record: MemberRecord = { ...previous, ...tx.touched(previous), status: 'approved' };
        tx.remove('memberByStatus', ['pending', member.role, member.mspId]);
        tx.index('memberByStatus', ['approved', member.role, member.mspId]);
        tx.put('member', [member.mspId], record);
        tx.emit('MemberApproved', { member: record });
      });
    }
    this.cut();
  }

  /** Creates a lot (harvest) held by its producer. */
  createLot(
    producer: string,
    input: { gtin: string; lot: string; product: string; category: string; quantity: number; region: string },
  ): LotRecord {
    let created: LotRecord | undefined;
    this.tx(producer, 'lots:CreateLot', (tx) => {
      const lotId = `${input.gtin}:${input.lot}`;
      const lot: LotRecord = {
        ...tx.meta(),
        docType: 'lot',
        lotId,
        gtin: input.gtin,
        lot: input.lot,
        product: input.product,
        category: input.category,
        quantity: input.quantity,
        remaining: input.quantity,
        unit: 'kg',
        origin: { region: input.region, latitude: 30.05, longitude: 119.95 },
        harvestDate: tx.timestamp.toISOString().slice(0, 10),
        expiryDate: '2026-12-31',
        status: 'active',
        producer,
        custodian: producer,
        derivation: { kind: 'created', inputs: [] },
        traceCode: traceCode({ gtin: input.gtin, lot: input.lot, expiryDate: '2026-12-31' }),
      };
      const event = this.#event(tx, 'ObjectEvent', 'commissioning', 'active', 'harvest', [lot], {
        bizLocation: { region: input.region },
      });
      tx.put('lot', [lotId], lot);
      tx.index('lotByCustodian', [producer, lotId]);
      this.saveEvent(tx, event);
      tx.emit('LotCreated', lotEventPayload(lot, event));
      created = lot;
    });
    this.lots.set(created!.lotId, created!);
    return created!;
  }

  /** Records a life-cycle event on a lot (inspection, storing, shipping, sale...) and what rules made of it. */
  recordEvent(
    mspId: string,
    lotId: string,
    bizStep: string,
    disposition: string,
    stage: string,
    sold = 0,
    compliance?: EventCompliance,
  ): void {
    this.tx(mspId, 'lots:RecordEvent', (tx) => {
      const previous = this.#lot(lotId);
      const lot: LotRecord =
        sold > 0 ? { ...previous, ...tx.touched(previous), remaining: previous.remaining - sold } : previous;
      const event = this.#event(tx, 'ObjectEvent', bizStep, disposition, stage, [lot], {
        bizLocation: { region: SAMPLE_MEMBERS.find((m) => m.mspId === mspId)?.region ?? '330100' },
        bizTransactionList: [{ type: 'po', bizTransaction: 'urn:agritrace:po:CONFIDENTIAL-PRICE-42' }],
        note: 'unit price 12.50 CNY per kg (commercial, never public)',
      });
      if (lot !== previous) {
        tx.put('lot', [lotId], lot);
        this.lots.set(lotId, lot);
      }
      this.saveEvent(tx, event, compliance);
      tx.emit('LotEventRecorded', lotEventPayload(lot, event));
    });
  }

  /** Two-phase transfer, offer and acceptance in two transactions. */
  transfer(lotId: string, to: string): void {
    const from = this.#lot(lotId).custodian;
    let transfer: TransferRecord | undefined;
    const offerTx = this.tx(from, 'transfers:OfferTransfer', (tx) => {
      const previous = this.#lot(lotId);
      const lot: LotRecord = { ...previous, ...tx.touched(previous), pendingTransferId: tx.txId };
      transfer = {
        ...tx.meta(),
        docType: 'transfer',
        transferId: tx.txId,
        lotId,
        from,
        to,
        status: 'offered',
        offeredBy: tx.actor,
        offeredAt: tx.timestamp.toISOString(),
      };
      const event = this.#event(tx, 'TransactionEvent', 'consigning', 'in_progress', 'custody', [lot]);
      tx.put('transfer', [tx.txId], transfer);
      tx.put('lot', [lotId], lot);
      this.saveEvent(tx, event);
      tx.emit('TransferOffered', transferEventPayload(transfer, lot, event));
      this.lots.set(lotId, lot);
    });
    this.tx(to, 'transfers:AcceptTransfer', (tx) => {
      const previous = this.#lot(lotId);
      const { pendingTransferId: _pending, ...rest } = previous;
      const lot: LotRecord = { ...rest, ...tx.touched(previous), custodian: to };
      const accepted: TransferRecord = {
        ...(transfer as TransferRecord),
        ...tx.touched(transfer as TransferRecord),
        status: 'accepted',
        decidedBy: tx.actor,
        decidedAt: tx.timestamp.toISOString(),
        decisionTxId: tx.txId,
      };
      const event = this.#event(tx, 'TransactionEvent', 'accepting', 'active', 'custody', [lot]);
      tx.put('transfer', [offerTx], accepted);
      tx.put('lot', [lotId], lot);
      tx.remove('lotByCustodian', [from, lotId]);
      tx.index('lotByCustodian', [to, lotId]);
      this.saveEvent(tx, event);
      tx.emit('TransferAccepted', transferEventPayload(accepted, lot, event));
      this.lots.set(lotId, lot);
    });
  }

  /** Processes input lots (all of what remains) into new output lots held by the processor. */
  process(
    mspId: string,
    inputIds: string[],
    outputs: { gtin: string; lot: string; product: string; category: string; quantity: number }[],
  ): LotRecord[] {
    const made: LotRecord[] = [];
    this.tx(mspId, 'transformations:ProcessLots', (tx) => {
      const inputs = inputIds.map((id) => this.#lot(id));
      const consumed = inputs.map((lot) => ({
        ...lot,
        ...tx.touched(lot),
        remaining: 0,
        status: 'consumed' as const,
      }));
      for (const output of outputs) {
        const lotId = `${output.gtin}:${output.lot}`;
        const lot: LotRecord = {
          ...tx.meta(),
          docType: 'lot',
          lotId,
          gtin: output.gtin,
          lot: output.lot,
          product: output.product,
          category: output.category,
          quantity: output.quantity,
          remaining: output.quantity,
          unit: 'kg',
          origin: { region: SAMPLE_MEMBERS.find((m) => m.mspId === mspId)?.region ?? '330102' },
          productionDate: tx.timestamp.toISOString().slice(0, 10),
          expiryDate: '2026-12-31',
          status: 'active',
          producer: mspId,
          custodian: mspId,
          derivation: {
            kind: 'process',
            transformationId: tx.txId,
            inputs: inputs.map((input) => ({
              lotId: input.lotId,
              quantity: input.remaining,
              unit: input.unit,
            })),
          },
          traceCode: traceCode({ gtin: output.gtin, lot: output.lot, expiryDate: '2026-12-31' }),
        };
        made.push(lot);
      }
      const event: LotEventRecord = {
        ...this.#event(tx, 'TransformationEvent', 'commissioning', 'active', 'processing', []),
        inputQuantityList: inputs.map((lot) => quantityOf(lot, lot.remaining)),
        outputQuantityList: made.map((lot) => quantityOf(lot, lot.quantity)),
        transformationId: tx.txId,
        lotIds: [...inputIds, ...made.map((lot) => lot.lotId)].sort(),
      };
      delete event.quantityList;
      delete event.action;
      for (const lot of consumed) tx.put('lot', [lot.lotId], lot);
      for (const lot of made) tx.put('lot', [lot.lotId], lot);
      for (const input of inputs) {
        for (const output of made) {
          const link: GenealogyLink = {
            ...tx.meta(),
            input: input.lotId,
            output: output.lotId,
            kind: 'process',
            transformationId: tx.txId,
            quantity: input.remaining / made.length,
            unit: input.unit,
            at: tx.timestamp.toISOString(),
          };
          tx.put('linkForward', [input.lotId, output.lotId], link);
          tx.put('linkBackward', [output.lotId, input.lotId], link);
        }
      }
      this.saveEvent(tx, event);
      tx.emit(
        'LotsProcessed',
        transformationEventPayload({ event, inputs: consumed, outputs: made, compliance: [] }),
      );
      for (const lot of [...consumed, ...made]) this.lots.set(lot.lotId, lot);
    });
    return made;
  }

  /** Recalls a lot and every lot made from it, in one transaction (scope, marks and the recall event). */
  recall(mspId: string, lotId: string, downstream: string[], reason: string): string {
    return this.tx(mspId, 'recalls:RecallLot', (tx) => {
      const ids = [lotId, ...downstream];
      const marked = ids.map((id) => {
        const previous = this.#lot(id);
        const lot: LotRecord = {
          ...previous,
          ...tx.touched(previous),
          status: 'recalled',
          recall: { recallId: tx.txId, severity: 'I', at: tx.timestamp.toISOString(), txId: tx.txId },
        };
        this.lots.set(id, lot);
        return lot;
      });
      const recall: RecallRecord = {
        ...tx.meta(),
        docType: 'recall',
        recallId: tx.txId,
        lotId,
        reason,
        severity: 'I',
        authority: 'regulator',
        initiatedBy: tx.actor,
        status: 'complete',
        discovered: ids.length,
        marked: ids.length,
        batches: 1,
        scope: {
          lots: ids.length,
          quantities: [{ quantity: marked.reduce((sum, lot) => sum + lot.remaining, 0), unit: 'kg' }],
          custodians: [...new Set(marked.map((lot) => lot.custodian))].sort(),
          producers: [...new Set(marked.map((lot) => lot.producer))].sort(),
          regions: [...new Set(marked.map((lot) => lot.origin.region ?? ''))].sort(),
        },
      };
      marked.forEach((lot, i) => {
        tx.put('lot', [lot.lotId], lot);
        const entry: RecallScopeEntry = {
          ...tx.meta(),
          recallId: tx.txId,
          lotId: lot.lotId,
          depth: i === 0 ? 0 : 1,
          via: i === 0 ? '' : lotId,
          product: lot.product,
          quantity: lot.quantity,
          remaining: lot.remaining,
          unit: lot.unit,
          producer: lot.producer,
          custodian: lot.custodian,
          region: lot.origin.region,
          statusBefore: 'active',
          marked: true,
          markedTxId: tx.txId,
          markedAt: tx.timestamp.toISOString(),
        };
        tx.put('recallScope', [tx.txId, lot.lotId], entry);
      });
      tx.put('recall', [tx.txId], recall);
      const event = this.#event(tx, 'ObjectEvent', 'holding', 'recalled', 'recall', marked, {
        bizTransactionList: [{ type: 'urn:agritrace:recall', bizTransaction: tx.txId }],
      });
      this.saveEvent(tx, event);
      tx.emit('LotRecalled', { recall, lots: marked });
    });
  }

  /** Records a failed inspection's violation and a held document on a lot. */
  violation(lotId: string, responsibleMsp: string): void {
    this.tx('InspectionMSP', 'compliance:RecordDocument', (tx) => {
      const document: LotDocumentRecord = {
        ...tx.meta(),
        docType: 'lotDocument',
        lotId,
        document: {
          docType: 'inspection_report',
          id: `IR-${tx.txId.slice(0, 8)}`,
          issuedAt: tx.timestamp.toISOString(),
          issuerMsp: 'InspectionMSP',
          outcome: 'fail',
        },
      };
      const violation: Violation = {
        ...tx.meta(),
        docType: 'violation',
        id: `V-${tx.txId.slice(0, 12)}`,
        lotId,
        ruleSetId: 'GB2763',
        version: 1,
        ruleId: 'chlorpyrifos-leafy',
        kind: 'mrl',
        measured: 0.5,
        limit: 0.1,
        unit: 'mg/kg',
        message: 'chlorpyrifos 0.5 mg/kg exceeds 0.1 mg/kg',
        responsibleMsp,
        responsibleActor: '',
        region: '330183',
        detectedAt: tx.timestamp.toISOString(),
        status: 'open',
      };
      tx.put('lotDocument', [lotId, 'inspection_report', document.document.id], document);
      tx.put('violation', [violation.id], violation);
      tx.index('openViolation', [violation.detectedAt, violation.id]);
      tx.emit('DocumentRecorded', { lotId, document: document.document });
    });
  }

  #lot(lotId: string): LotRecord {
    const lot = this.lots.get(lotId);
    if (!lot) throw new Error(`sample ledger: no lot ${lotId}`);
    return lot;
  }

  #event(
    tx: TxWriter,
    eventType: LotEventRecord['eventType'],
    bizStep: string,
    disposition: string,
    stage: string,
    lots: LotRecord[],
    extra: Partial<LotEventRecord> = {},
  ): LotEventRecord {
    const at = tx.timestamp.toISOString();
    return {
      ...tx.meta(),
      docType: 'lotEvent',
      eventId: tx.txId,
      eventType,
      action: 'OBSERVE',
      bizStep,
      disposition: disposition as LotEventRecord['disposition'],
      stage: stage as LotEventRecord['stage'],
      eventTime: at,
      eventTimeZoneOffset: '+00:00',
      recordTime: at,
      quantityList: lots.map((lot) => quantityOf(lot, lot.remaining)),
      responsible: tx.actor,
      lotIds: lots.map((lot) => lot.lotId).sort(),
      ...extra,
    };
  }

  /**
   * Writes an event as the chaincode keeps it (chaincode/src/shared/event-records.ts): an event of one lot whole
   * under its lot's index entry, with `compliance`, the rules evaluated on it; any other (or, while
   * `eventsUnderLot` is false, every) event under event [eventId], with a marker under each of its lots and the
   * evaluation of a single-lot event under complianceEvaluation.
   */
  saveEvent(tx: TxWriter, event: LotEventRecord, compliance?: EventCompliance): void {
    const lotId = keptUnderLot(event) ? event.lotIds[0] : undefined;
    if (lotId !== undefined && this.eventsUnderLot) {
      const stored: StoredLotEvent = compliance ? { ...event, compliance } : event;
      tx.put('eventByLot', [lotId, event.recordTime, event.eventId], stored);
      return;
    }
    tx.put('event', [event.eventId], event);
    for (const each of event.lotIds) tx.index('eventByLot', [each, event.recordTime, event.eventId]);
    if (lotId !== undefined && compliance) {
      const evaluation = evaluationRecordOf(event, compliance);
      tx.put('complianceEvaluation', [lotId, event.recordTime, event.eventId], evaluation);
    }
  }
}

/** The lots of the sample story, by role. */
export interface SampleStory {
  readonly ledger: SampleLedger;
  readonly farmLots: readonly [string, string];
  readonly packagedLots: readonly [string, string];
  readonly recallId: string;
}

/**
 * The traceability story: two farm lots harvested and inspected, transferred to the processor, processed into two
 * packaged lots, shipped to the retailer and sold; then (when `withRecall`) farm lot 1 is recalled with both
 * packaged lots, and a violation is recorded on farm lot 2. The farm lots are harvested before the chaincode kept
 * single-lot events under their lot; every later event is kept as it is now, or, without `eventsUnderLot`, as
 * before.
 */
export function sampleStory(withRecall = true, eventsUnderLot = true): SampleStory {
  const ledger = new SampleLedger();
  ledger.cut(); // block 0: the channel's genesis block (no chaincode transactions)
  ledger.members();
  ledger.eventsUnderLot = false;
  const spinach = ledger.createLot('CoopMSP', {
    gtin: SAMPLE_GTINS.greens, lot: 'GV-2026-A', product: 'Spinach', category: 'vegetables/leafy', quantity: 500, region: '330183',
  }); // prettier-ignore
  const lettuce = ledger.createLot('CoopMSP', {
    gtin: SAMPLE_GTINS.greens, lot: 'GV-2026-B', product: 'Lettuce', category: 'vegetables/leafy', quantity: 300, region: '330183',
  }); // prettier-ignore
  ledger.cut();
  ledger.eventsUnderLot = eventsUnderLot;
  for (const lot of [spinach, lettuce]) {
    ledger.recordEvent('InspectionMSP', lot.lotId, 'inspecting', 'conformant', 'inspection', 0, CHECKS.inspection); // prettier-ignore
  }
  ledger.cut();
  ledger.transfer(spinach.lotId, 'ProcessorMSP');
  ledger.cut();
  ledger.transfer(lettuce.lotId, 'ProcessorMSP');
  ledger.invalidTx('CoopMSP', () => undefined);
  ledger.cut();
  const [boxA, boxB] = ledger.process('ProcessorMSP', [spinach.lotId, lettuce.lotId], [
    { gtin: SAMPLE_GTINS.salad, lot: 'SALAD-01', product: 'Washed salad mix 250 g', category: 'vegetables/prepared', quantity: 400 },
    { gtin: SAMPLE_GTINS.salad, lot: 'SALAD-02', product: 'Washed salad mix 250 g', category: 'vegetables/prepared', quantity: 350 },
  ]) as [LotRecord, LotRecord]; // prettier-ignore
  ledger.cut();
  ledger.recordEvent('ProcessorMSP', boxA.lotId, 'packing', 'active', 'packaging');
  ledger.transfer(boxA.lotId, 'RetailerMSP');
  ledger.cut();
  ledger.transfer(boxB.lotId, 'RetailerMSP');
  ledger.cut();
  ledger.recordEvent('RetailerMSP', boxA.lotId, 'retail_selling', 'retail_sold', 'consumer_sale', 10, CHECKS.sale); // prettier-ignore
  ledger.cut();
  let recallId = '';
  if (withRecall) {
    recallId = ledger.recall(
      'MofcomMSP',
      spinach.lotId,
      [boxA.lotId, boxB.lotId],
      'chlorpyrifos above the GB 2763 limit',
    );
    ledger.violation(lettuce.lotId, 'CoopMSP');
    ledger.cut();
  }
  return {
    ledger,
    farmLots: [spinach.lotId, lettuce.lotId],
    packagedLots: [boxA.lotId, boxB.lotId],
    recallId,
  };
}

/** `count` more farm lots (each harvested, inspected and stored), `perBlock` transactions a block. */
export function addLoadLots(ledger: SampleLedger, count: number, perBlock = 50): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const lot = ledger.createLot('CoopMSP', {
      gtin: SAMPLE_GTINS.greens,
      lot: `LOAD-${String(i).padStart(6, '0')}`,
      product: i % 2 === 0 ? 'Spinach' : 'Bok choy',
      category: 'vegetables/leafy',
      quantity: 100 + (i % 50),
      region: i % 3 === 0 ? '330183' : '330106',
    });
    ledger.recordEvent('InspectionMSP', lot.lotId, 'inspecting', 'conformant', 'inspection');
    ledger.recordEvent('CoopMSP', lot.lotId, 'storing', 'active', 'storage');
    ids.push(lot.lotId);
    if ((i + 1) % Math.max(1, Math.floor(perBlock / 3)) === 0) ledger.cut();
  }
  ledger.cut();
  return ids;
}

function quantityOf(lot: LotRecord, quantity: number): QuantityElement {
  return { lotId: lot.lotId, epcClass: lotEpcClass(lot.gtin, lot.lot), quantity, unit: lot.unit, uom: 'KGM' };
}

function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}
