/** A ledger with a bootstrapped alliance whose members are all approved, and helpers to make lots. */
import { ChaincodeStub } from 'fabric-shim';
import { KEYS } from '../../src/lib/keys';
import { gs1CheckDigit } from '../../src/shared/gs1';
import type { Evaluation, Violation } from '../../src/shared/compliance';
import type { LotEventRecord } from '../../src/shared/epcis';
import { holdsEventRecord, splitStoredEvent } from '../../src/shared/event-records';
import type { StoredLotEvent } from '../../src/shared/event-records';
import type { CreateLotInput, EventRecorded, LotRecord } from '../../src/shared/lots';
import type { MemberRole } from '../../src/shared/members';
import { FakeLedger, identity } from './fake-ledger';
import type { Identity, OrgName, SubmitOptions } from './fake-ledger';
import { particularsJson } from './particulars';

/** The client identity of each test organisation. */
export const who = {
  regulator: identity('regulator'),
  regulator2: identity('regulator2'),
  inspector: identity('inspector'),
  producer: identity('producer'),
  producer2: identity('producer2'),
  processor: identity('processor'),
  logistics: identity('logistics'),
  retailer: identity('retailer'),
  outsider: identity('outsider'),
} satisfies Record<OrgName, Identity>;

/** Role of each approved test organisation (the outsider never registers; regulator2 stays pending). */
const ROLES: [OrgName, MemberRole][] = [
  ['inspector', 'inspector'],
  ['producer', 'producer'],
  ['producer2', 'producer'],
  ['processor', 'processor'],
  ['logistics', 'logistics'],
  ['retailer', 'retailer'],
];

/** A ledger where RegulatorMSP bootstrapped the alliance and approved every other test member. */
export async function allianceLedger(): Promise<FakeLedger> {
  const ledger = new FakeLedger();
  await ledger.submit(identity('regulator', 'admin'), 'members:BootstrapAlliance', [
    particularsJson('regulator', 1),
  ]);
  for (const [i, [org, role]] of ROLES.entries()) {
    await ledger.submit(who[org], 'members:RegisterMember', [particularsJson(role, 100 + i)]);
    await ledger.submit(who.regulator, 'members:ApproveMember', [
      identity(org).mspId,
      'qualifications reviewed',
    ]);
  }
  await ledger.submit(who.regulator2, 'members:RegisterMember', [particularsJson('regulator', 2)]);
  return ledger;
}

/** A valid GTIN-13 from a 12-digit company prefix and item reference (China prefix 690). */
export function gtin13(n: number): string {
  const data = `690${String(n).padStart(9, '0')}`;
  return data + gs1CheckDigit(data);
}

/** The lot ID of a GTIN-13 and batch. */
export function lotIdOf(gtin: string, lot: string): string {
  return `${gtin.padStart(14, '0')}:${lot}`;
}

/** Valid CreateLot input: 1000 kg of rice from Jinan, harvested 2026-02-20. */
export function lotInput(lot: string, overrides: Partial<CreateLotInput> = {}): CreateLotInput {
  return {
    gtin: gtin13(1),
    lot,
    product: 'Japonica rice',
    category: 'grain',
    quantity: 1000,
    unit: 'kg',
    origin: { region: '370102', gln: '6901234000009', latitude: 36.65, longitude: 117.12 },
    harvestDate: '2026-02-20',
    productionDate: '2026-02-21',
    expiryDate: '2027-02-20',
    ...overrides,
  };
}

/** Creates a lot as `caller` and returns it. */
export async function createLot(
  ledger: FakeLedger,
  caller: Identity,
  lot: string,
  overrides: Partial<CreateLotInput> = {},
): Promise<LotRecord> {
  const result = await ledger.submitJson<{ lot: LotRecord; event: LotEventRecord }>(
    caller,
    'lots:CreateLot',
    [JSON.stringify(lotInput(lot, overrides))],
  );
  return result.lot;
}

/** Reads a lot. */
export async function readLot(ledger: FakeLedger, lotId: string): Promise<LotRecord> {
  return ledger.evaluateJson<LotRecord>(who.regulator, 'lots:ReadLot', [lotId]);
}

/** Offers a lot and has the receiver accept it; returns the transfer ID. */
export async function handOver(
  ledger: FakeLedger,
  from: Identity,
  to: Identity,
  lotId: string,
): Promise<string> {
  const offer = await ledger.submitJson<{ transfer: { transferId: string } }>(
    from,
    'transfers:OfferTransfer',
    [JSON.stringify({ lotId, to: to.mspId })],
  );
  await ledger.submit(to, 'transfers:AcceptTransfer', [offer.transfer.transferId]);
  return offer.transfer.transferId;
}

/** RecordEvent's answer with the records it names, read as a client reads them: from the transaction's writes. */
export interface RecordedEvent {
  answer: EventRecorded;
  /** The lot as the transaction left it (from its writes, or the unchanged record). */
  lot: LotRecord;
  event: LotEventRecord;
  evaluations: Evaluation[];
  violations: Violation[];
}

/** Records an event (an object or its JSON) and reads what it wrote, as the gateway does. */
export async function recordEvent(
  ledger: FakeLedger,
  caller: Identity,
  event: object | string,
  options?: SubmitOptions,
): Promise<RecordedEvent> {
  const json = typeof event === 'string' ? event : JSON.stringify(event);
  const answer = await ledger.submitJson<EventRecorded>(caller, 'lots:RecordEvent', [json], options);
  const key = (objectType: string, ...attributes: string[]) =>
    ChaincodeStub.prototype.createCompositeKey.call(undefined, objectType, attributes);
  // An event on one lot is one key, its lot's index entry [lotId, recordTime, eventId], holding its evaluation.
  const prefix = key(KEYS.eventByLot, answer.lot.lotId);
  const entry = [...ledger.lastWrites].find(
    ([written, value]) =>
      written.startsWith(prefix) && written.endsWith(`\u0000${answer.eventId}\u0000`) && value !== undefined,
  );
  if (!entry?.[1] || !holdsEventRecord(entry[1])) {
    throw new Error(`RecordEvent kept no event record ${answer.eventId} under its lot`);
  }
  const { event: written, evaluation } = splitStoredEvent(
    JSON.parse(Buffer.from(entry[1]).toString('utf8')) as StoredLotEvent,
  );
  const violations = answer.violationIds.map((id) => {
    const violation = ledger.written<Violation>(key(KEYS.violation, id));
    if (!violation) throw new Error(`RecordEvent wrote no violation record ${id}`);
    return violation;
  });
  const lot =
    ledger.written<LotRecord>(key(KEYS.lot, answer.lot.lotId)) ??
    ledger.read<LotRecord>(key(KEYS.lot, answer.lot.lotId));
  if (!lot) throw new Error(`no lot ${answer.lot.lotId}`);
  return { answer, lot, event: written, evaluations: evaluation?.evaluations ?? [], violations };
}
