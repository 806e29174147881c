/**
 * Life-cycle event records into lot_events, and the lots each is about into lot_event_lots (role object, input or
 * output). An event is kept under event [eventId], or, when it involves one lot, whole under its lot's index entry
 * eventByLot [lotId, recordTime, eventId] with the rules evaluated on it (chaincode/src/shared/event-records.ts);
 * both give the same rows.
 */
import type { LotEventRecord, QuantityElement } from '@agritrace/chaincode/dist/shared/epcis';
import { holdsEventRecord, splitStoredEvent } from '@agritrace/chaincode/dist/shared/event-records';
import type { StoredLotEvent } from '@agritrace/chaincode/dist/shared/event-records';
import { encodeKey } from '../../store/ledger-kv';
import type { SqlRunner } from '../../store/store';
import { compositeKey } from '../composite-key';
import { timeBuckets } from '../time-buckets';
import { asObject, json, num, TableWriter, text } from '../projection';
import type { RecordProjector } from '../projection';
import { evaluationProjector } from './compliance';

const events = new TableWriter(
  'lot_events',
  [
    'event_id', 'event_type', 'action', 'biz_step', 'disposition', 'stage', 'event_time', 'event_day', 'event_week',
    'event_month', 'record_time', 'responsible_msp', 'region', 'gln', 'record',
  ], // prettier-ignore
  ['event_id'],
);

const eventLots = new TableWriter(
  'lot_event_lots',
  ['event_id', 'lot_id', 'role', 'quantity', 'unit'],
  ['event_id', 'lot_id', 'role'],
);

/** Projects lot event records. */
export const lotEventProjector: RecordProjector = {
  objectType: 'event',
  async project(tx, record, attributes, by) {
    const event = asObject(record) as Partial<LotEventRecord>;
    const eventId = text(event.eventId) ?? attributes[0] ?? '';
    const eventTime = text(event.eventTime) ?? by.timestamp;
    const buckets = timeBuckets(eventTime);
    const place = event.bizLocation ?? event.readPoint;
    await events.upsert(
      tx,
      {
        event_id: eventId,
        event_type: text(event.eventType) ?? 'ObjectEvent',
        action: text(event.action),
        biz_step: text(event.bizStep) ?? '',
        disposition: text(event.disposition),
        stage: text(event.stage) ?? 'other',
        event_time: eventTime,
        event_day: buckets.day,
        event_week: buckets.week,
        event_month: buckets.month,
        record_time: text(event.recordTime) ?? by.timestamp,
        responsible_msp: text(event.responsible?.mspId) ?? '',
        region: text(place?.region),
        gln: text(place?.gln),
        record: json(record),
      },
      by,
    );
    const roles: [string, QuantityElement[] | undefined][] = [
      ['object', event.quantityList],
      ['input', event.inputQuantityList],
      ['output', event.outputQuantityList],
    ];
    for (const [role, list] of roles) {
      for (const element of list ?? []) {
        const lotId = text(element?.lotId);
        if (!lotId) continue;
        await eventLots.upsert(
          tx,
          {
            event_id: eventId,
            lot_id: lotId,
            role,
            quantity: num(element.quantity),
            unit: text(element.unit),
          },
          by,
        );
      }
    }
  },
  async remove(tx, attributes) {
    const eventId = attributes[0] ?? '';
    await tx.run('DELETE FROM lot_event_lots WHERE event_id = ?', [eventId]);
    await events.delete(tx, [eventId]);
  },
};

/**
 * Projects single-lot events kept under their lot: the event as event [eventId] would give it and, when rules were
 * evaluated on it, the evaluation as complianceEvaluation [lotId, recordTime, eventId] would. Marker entries, which
 * point to an event [eventId] record, are mirrored only.
 */
export const lotEventUnderLotProjector: RecordProjector = {
  objectType: 'eventByLot',
  holds: holdsEventRecord,
  async project(tx, record, attributes, by) {
    const { event, evaluation } = splitStoredEvent(asObject(record) as unknown as StoredLotEvent);
    await lotEventProjector.project(tx, event, [attributes[2] ?? ''], by);
    if (evaluation) await evaluationProjector.project(tx, evaluation, attributes, by);
  },
  async remove(tx, attributes, by) {
    // A deleted marker is not a deleted event: rows that the older layout's records still hold stay.
    const eventId = attributes[2] ?? '';
    if (!(await mirrored(tx, 'event', [eventId]))) await lotEventProjector.remove(tx, [eventId], by);
    if (!(await mirrored(tx, 'complianceEvaluation', attributes))) {
      await evaluationProjector.remove(tx, attributes, by);
    }
  },
};

/** True when the world-state mirror holds a live key, as of the writes applied so far. */
async function mirrored(tx: SqlRunner, objectType: string, attributes: readonly string[]): Promise<boolean> {
  const row = await tx.get<{ deleted: number }>('SELECT deleted FROM ledger_kv WHERE key = ?', [
    encodeKey(compositeKey(objectType, attributes)),
  ]);
  return row !== undefined && Number(row.deleted) === 0;
}
