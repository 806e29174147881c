/** Lots and their life-cycle events (capabilities 3 and 4): create, record events, hold and release, read. */
import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { DEPLETING_STEPS, INSPECTION_STEPS, MOVE_OR_SELL_STEPS } from '../shared/epcis';
import type { LotEventRecord, Place } from '../shared/epcis';
import { ChaincodeError } from '../shared/errors';
import { lotIdOf, normalizeGtin, traceCode } from '../shared/gs1';
import { lotState } from '../shared/lots';
import type { EventRecorded, LotRecord } from '../shared/lots';
import type { Page } from '../shared/records';
import { convertQuantity, roundQuantity } from '../shared/units';
import type { Measure } from '../shared/units';
import { emitEvent } from '../lib/events';
import { lotEventPayload } from '../shared/events';
import { resolveEventTime } from '../lib/event-time';
import { callerMspId } from '../lib/identity';
import { KEYS } from '../lib/keys';
import { bindOperator } from '../lib/operator';
import { pagePartialKey, parsePageSize } from '../lib/pagination';
import { toJson } from '../lib/serializer';
import { prefetchStates, readState } from '../lib/state';
import { newMeta, touched, txInfo } from '../lib/transaction';
import type { TxInfo } from '../lib/transaction';
import { parseJsonArgument, requireMspId, requireText } from '../lib/validation';
import { enforceCompliance } from '../compliance/evaluation';
import { ruleSetCatalogKey } from '../compliance/rule-set-store';
import { withInspectionHold } from '../compliance/lot-hold';
import { releaseLotViolations } from '../compliance/violation-decisions';
import { assertApprovedMember, assertRegulator } from '../members/member-authorization';
import { memberKey } from '../members/member-store';
import { newEvent, pageLotEvents, quantityOf, saveEvent } from './event-store';
import { assertCustodian, assertNoPendingTransfer, assertUsable } from './lot-guards';
import { CreateLotDto, RecordEventDto } from './lot-dto';
import { findLot, getLot, lotKey, requireLotId, saveLot } from './lot-store';
import { LedgerContract } from '../lib/ledger-contract';

/** Contract 'lots': lots with GS1 codes and their EPCIS life-cycle events. */
@Info({ title: 'LotContract', description: 'Lots and life-cycle events' })
export class LotContract extends LedgerContract {
  constructor() {
    super('lots');
  }

  /** Creates a lot (commissioning): the caller's organisation becomes its producer and first custodian. */
  @Transaction()
  @Returns('string')
  async CreateLot(ctx: Context, lotJson: string, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    await assertApprovedMember(ctx);
    const input = parseJsonArgument(CreateLotDto, lotJson, 'lot');
    const tx = txInfo(ctx);
    const origin = plainPlace(input.origin);
    if (!origin.gln && !origin.region) {
      throw new ChaincodeError('INVALID_ARGUMENT', 'origin needs a GLN or a region code', {
        field: 'origin',
      });
    }
    if (input.expiryDate && input.productionDate && input.expiryDate < input.productionDate) {
      throw new ChaincodeError('MALFORMED_DATE', 'expiryDate is before productionDate', {
        productionDate: input.productionDate,
        expiryDate: input.expiryDate,
      });
    }
    const gtin = normalizeGtin(input.gtin);
    const lotId = lotIdOf(gtin, input.lot);
    if (await findLot(ctx, lotId))
      throw new ChaincodeError('LOT_EXISTS', `lot ${lotId} already exists`, { lotId });
    const time = resolveEventTime(input.eventTime, tx.timestamp);
    const lot: LotRecord = {
      ...newMeta(tx),
      docType: 'lot',
      lotId,
      gtin,
      lot: input.lot,
      serial: input.serial,
      product: input.product,
      category: input.category,
      quantity: input.quantity,
      remaining: input.quantity,
      unit: input.unit,
      netContent: input.netContent
        ? { quantity: input.netContent.quantity, unit: input.netContent.unit }
        : undefined,
      origin,
      productionDate: input.productionDate,
      harvestDate: input.harvestDate,
      expiryDate: input.expiryDate,
      storageCategory: input.storageCategory,
      status: 'active',
      producer: tx.actor.mspId,
      custodian: tx.actor.mspId,
      derivation: { kind: 'created', inputs: [] },
      traceCode: traceCode({
        gtin,
        lot: input.lot,
        serial: input.serial,
        productionDate: input.productionDate,
        expiryDate: input.expiryDate,
      }),
    };
    const event = newEvent(tx, {
      eventType: 'ObjectEvent',
      action: 'ADD',
      bizStep: 'commissioning',
      disposition: 'active',
      stage: input.stage ?? 'harvest',
      ...time,
      quantityList: [quantityOf(lot, lot.quantity)],
      bizLocation: origin,
      ilmd: {
        productionDate: input.productionDate,
        harvestDate: input.harvestDate,
        expiryDate: input.expiryDate,
        origin,
      },
      note: input.note,
    });
    await saveLot(ctx, lot);
    await saveEvent(ctx, event);
    emitEvent(ctx, 'LotCreated', lotEventPayload(lot, event));
    return toJson({ lot, event });
  }

  /**
   * Records a life-cycle event on a lot. The custodian records any event; an approved inspector or regulator may
   * record inspections on any lot. A sale (or destruction) consumes its quantity. The event is checked against the
   * rule sets in force on its date: a failed rule is recorded as a violation and puts the lot on hold, as does an
   * inspection recorded non_conformant (one compliance hold, lifted by ReleaseHold or ReleaseLot); an event a rule
   * forbids outright (a sale after expiry) is refused. Returns EventRecorded: the event's ID, the lot's state and
   * the violations' IDs; the records are in the write set.
   */
  @Transaction()
  @Returns('string')
  async RecordEvent(ctx: Context, eventJson: string, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    const input = parseJsonArgument(RecordEventDto, eventJson, 'event');
    // Everything this transaction reads unless a rule needs documents or another member: one request to the peer.
    await prefetchStates(ctx, [
      memberKey(ctx, callerMspId(ctx)),
      lotKey(ctx, requireLotId(input.lotId)),
      ruleSetCatalogKey(ctx),
    ]);
    const member = await assertApprovedMember(ctx);
    const previous = await getLot(ctx, input.lotId);
    const inspection = INSPECTION_STEPS.includes(input.bizStep);
    const inspector = member.role === 'inspector' || member.role === 'regulator';
    if (!(inspection && inspector)) assertCustodian(previous, member.mspId);
    const eventType = input.eventType ?? 'ObjectEvent';
    checkEventShape(input, eventType);
    if (MOVE_OR_SELL_STEPS.includes(input.bizStep)) assertUsable(previous);

    const tx = txInfo(ctx);
    const measure = measureOf(previous, input);
    const depleted = DEPLETING_STEPS.includes(input.bizStep) ? deplete(previous, input, tx) : previous;
    const event = newEvent(tx, {
      eventType,
      action: input.action ?? 'OBSERVE',
      bizStep: input.bizStep,
      disposition: input.disposition,
      stage: input.stage,
      ...resolveEventTime(input.eventTime, tx.timestamp),
      // AggregationEvents list the lot as their child, in quantityList like the other event types.
      quantityList: [quantityOf(depleted, measure.quantity, measure.unit)],
      parentID: input.parentID,
      readPoint: input.readPoint ? plainPlace(input.readPoint) : undefined,
      bizLocation: input.bizLocation ? plainPlace(input.bizLocation) : undefined,
      bizTransactionList: input.bizTransactionList?.map(({ type, bizTransaction }) => ({
        type,
        bizTransaction,
      })),
      sensorElementList: input.sensorElementList ? toPlain(input.sensorElementList) : undefined,
      certificationInfo: input.certificationInfo,
      note: input.note,
    });
    // Compliance writes the lot it holds; from here on only its copy (or a later one) may be written.
    const { violations, lot: checked, compliance } = await enforceCompliance(ctx, depleted, event);
    const lot =
      inspection && input.disposition === 'non_conformant'
        ? withInspectionHold(checked, event.eventId, inspectionHoldReason(input.note, tx), tx)
        : checked;
    if (lot !== previous) await saveLot(ctx, lot, previous);
    await saveEvent(ctx, event, compliance);
    const held = lot.status === 'on_hold' && previous.status !== 'on_hold';
    emitEvent(ctx, held ? 'LotHeld' : 'LotEventRecorded', lotEventPayload(lot, event, violations));
    const answer: EventRecorded = {
      eventId: event.eventId,
      lot: lotState(lot),
      violationIds: violations.map((violation) => violation.id),
    };
    return toJson(answer);
  }

  /** Puts an active lot on hold (approved regulators and inspectors): it cannot move, be transformed or be sold. */
  @Transaction()
  @Returns('string')
  async HoldLot(ctx: Context, lotId: string, reason: string, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    const member = await assertApprovedMember(ctx);
    if (member.role !== 'regulator' && member.role !== 'inspector') {
      throw new ChaincodeError('NOT_REGULATOR', 'only regulators and inspectors put lots on hold', {
        mspId: member.mspId,
      });
    }
    const why = requireText(reason, 'reason', 500);
    const previous = await getLot(ctx, lotId);
    assertUsable(previous);
    const tx = txInfo(ctx);
    const lot: LotRecord = {
      ...touched(previous, tx),
      status: 'on_hold',
      hold: { reason: why, by: tx.actor, at: tx.timestamp, txId: tx.txId },
    };
    const event = statusEvent(tx, lot, 'holding', 'non_sellable_other', 'hold', why);
    await saveLot(ctx, lot, previous);
    await saveEvent(ctx, event);
    emitEvent(ctx, 'LotHeld', lotEventPayload(lot, event));
    return toJson({ lot, event });
  }

  /**
   * Releases a lot from hold (approved regulators only), whoever held it: a hold placed by hand and a compliance
   * hold alike, releasing every violation that held the lot, so that the lot becomes active again with nothing
   * left open. Returns {lot, event, violations, more}; with more than MAX_VIOLATIONS_PER_DECISION violations the
   * lot stays held (more: true, event HoldReleased) until a further call releases the rest.
   */
  @Transaction()
  @Returns('string')
  async ReleaseLot(ctx: Context, lotId: string, reason: string, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    await assertRegulator(ctx);
    const why = requireText(reason, 'reason', 500);
    const previous = await getLot(ctx, lotId);
    if (previous.status !== 'on_hold') {
      throw new ChaincodeError(
        'INVALID_STATE_TRANSITION',
        `lot ${lotId} is ${previous.status}, not on hold`,
        {
          lotId,
          from: previous.status,
          to: 'active',
        },
      );
    }
    const tx = txInfo(ctx);
    const { violations, more } = await releaseLotViolations(ctx, previous, why, tx);
    if (more) {
      emitEvent(ctx, 'HoldReleased', { lotId: previous.lotId, violations, lotStatus: previous.status });
      return toJson({ lot: previous, violations, more });
    }
    const lot: LotRecord = { ...touched(previous, tx), status: 'active', hold: undefined };
    const event = statusEvent(tx, lot, 'inspecting', 'conformant', 'inspection', why);
    await saveLot(ctx, lot, previous);
    await saveEvent(ctx, event);
    emitEvent(ctx, 'LotReleased', lotEventPayload(lot, event, violations));
    return toJson({ lot, event, violations, more });
  }

  /** The lot record, with its trace code. */
  @Transaction(false)
  @Returns('string')
  async ReadLot(ctx: Context, lotId: string): Promise<string> {
    return toJson(await getLot(ctx, lotId));
  }

  /** One page of the lots a member holds ('' = the caller's organisation), in lot ID order. */
  @Transaction(false)
  @Returns('string')
  async QueryLotsByCustodian(
    ctx: Context,
    mspId: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    const custodian = mspId === '' ? callerMspId(ctx) : requireMspId(mspId);
    const page = await pagePartialKey(
      ctx,
      KEYS.lotByCustodian,
      [custodian],
      parsePageSize(pageSize),
      bookmark ?? '',
    );
    const records: LotRecord[] = [];
    for (const entry of page.entries) {
      const lot = await readState<LotRecord>(ctx, lotKey(ctx, entry.attributes[1] ?? ''));
      if (lot) records.push(lot);
    }
    const result: Page<LotRecord> = { records, bookmark: page.bookmark, fetchedCount: page.fetchedCount };
    return toJson(result);
  }

  /** One page of a lot's life-cycle events, oldest first. */
  @Transaction(false)
  @Returns('string')
  async QueryLotEvents(ctx: Context, lotId: string, pageSize: string, bookmark: string): Promise<string> {
    await getLot(ctx, lotId);
    return toJson(await pageLotEvents(ctx, requireLotId(lotId), parsePageSize(pageSize), bookmark ?? ''));
  }
}

/** The quantity an event is about: the one given (checked against the lot's unit class) or all that remains. */
function measureOf(lot: LotRecord, input: RecordEventDto): Measure {
  if (input.quantity === undefined || input.unit === undefined)
    return { quantity: lot.remaining, unit: lot.unit };
  convertQuantity(input.quantity, input.unit, lot.unit);
  return { quantity: input.quantity, unit: input.unit };
}

/** The lot after a sale, dispensing or destruction took the event's quantity out of it for good; consumed at 0. */
function deplete(previous: LotRecord, input: RecordEventDto, tx: TxInfo): LotRecord {
  if (input.quantity === undefined || input.unit === undefined) {
    throw new ChaincodeError('INVALID_ARGUMENT', `${input.bizStep} needs a quantity and unit`, {
      field: 'quantity',
    });
  }
  // Sales were refused above for held or recalled lots; destroying them is what a recall wants.
  assertNoPendingTransfer(previous);
  if (previous.remaining <= 0) {
    throw new ChaincodeError('LOT_CONSUMED', `nothing remains of lot ${previous.lotId}`, {
      lotId: previous.lotId,
    });
  }
  const taken = convertQuantity(input.quantity, input.unit, previous.unit);
  if (taken > previous.remaining) {
    throw new ChaincodeError('QUANTITY_EXCEEDED', `only ${previous.remaining} ${previous.unit} remain`, {
      lotId: previous.lotId,
      remaining: previous.remaining,
      unit: previous.unit,
      requested: taken,
    });
  }
  const remaining = roundQuantity(previous.remaining - taken);
  // A recalled lot stays marked recalled even when nothing of it remains.
  const status = remaining > 0 || previous.status === 'recalled' ? previous.status : 'consumed';
  return { ...touched(previous, tx), remaining, status };
}

/** Why a non-conformant inspection holds a lot: the inspector's note, naming who found it. */
function inspectionHoldReason(note: string | undefined, tx: TxInfo): string {
  return `non-conformant inspection by ${tx.actor.mspId}${note ? `: ${note}` : ''}`;
}

/** Refuses event shapes EPCIS does not allow here. */
function checkEventShape(input: RecordEventDto, eventType: string): void {
  if (eventType === 'TransformationEvent') {
    throw new ChaincodeError(
      'INVALID_EVENT',
      'record transformations with SplitLot, MergeLots or ProcessLots',
      {
        eventType,
      },
    );
  }
  if (eventType === 'AggregationEvent' && !input.parentID) {
    throw new ChaincodeError('INVALID_EVENT', 'an AggregationEvent needs a parentID (the container)', {
      eventType,
    });
  }
  if ((input.quantity === undefined) !== (input.unit === undefined)) {
    throw new ChaincodeError('INVALID_ARGUMENT', 'give quantity and unit together', { field: 'quantity' });
  }
}

/** An ObjectEvent recording a status change decided by a regulator or inspector. */
function statusEvent(
  tx: TxInfo,
  lot: LotRecord,
  bizStep: string,
  disposition: LotEventRecord['disposition'],
  stage: LotEventRecord['stage'],
  note: string,
): LotEventRecord {
  return newEvent(tx, {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep,
    disposition,
    stage,
    quantityList: [quantityOf(lot, lot.remaining)],
    note,
  });
}

/** A place as a plain object with only its declared fields (no class instances reach the ledger). */
export function plainPlace(place: Place): Place {
  return {
    gln: place.gln,
    region: place.region,
    latitude: place.latitude,
    longitude: place.longitude,
    address: place.address,
  };
}

/** A validated DTO tree as plain JSON data. */
function toPlain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
