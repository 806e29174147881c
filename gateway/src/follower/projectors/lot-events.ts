/**
 * Life-cycle event records (key event [eventId]) into lot_events, and the lots each is about into lot_event_lots
 * (role object, input or output).
 */
import type { LotEventRecord, QuantityElement } from '@agritrace/chaincode/dist/shared/epcis';
import { timeBuckets } from '../time-buckets';
import { asObject, json, num, TableWriter, text } from '../projection';
import type { RecordProjector } from '../projection';

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
