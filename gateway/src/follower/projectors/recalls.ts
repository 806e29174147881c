/** Recall records (key recall [recallId]) and their scope entries (key recallScope [recallId, lotId]). */
import type { RecallRecord, RecallScopeEntry } from '@agritrace/chaincode/dist/shared/recalls';
import { recordRecallReach } from '../../store/genealogy';
import { timeBuckets } from '../time-buckets';
import { asObject, json, num, TableWriter, text } from '../projection';
import type { RecordProjector } from '../projection';

const recalls = new TableWriter(
  'recalls',
  [
    'recall_id', 'lot_id', 'reason', 'severity', 'authority', 'initiated_by', 'status', 'discovered', 'marked',
    'created_at', 'created_day', 'created_week', 'created_month', 'record',
  ], // prettier-ignore
  ['recall_id'],
);

const scope = new TableWriter(
  'recall_scope',
  [
    'recall_id',
    'lot_id',
    'depth',
    'via',
    'product',
    'remaining',
    'unit',
    'producer',
    'custodian',
    'region',
    'marked',
  ],
  ['recall_id', 'lot_id'],
);

/**
 * Projects recall records. The first time a recall is stored, its reach (the recalled lot and every lot downstream
 * of it in the store's genealogy) is recorded in recall_reach in the same transaction, so that the public lookup
 * and lot search warn on all of them at once, while the ledger still marks them batch by batch.
 */
export const recallProjector: RecordProjector = {
  objectType: 'recall',
  async project(tx, record, attributes, by) {
    const recall = asObject(record) as Partial<RecallRecord>;
    const createdAt = text(recall.createdAt) ?? by.timestamp;
    const buckets = timeBuckets(createdAt);
    await recalls.upsert(
      tx,
      {
        recall_id: text(recall.recallId) ?? attributes[0],
        lot_id: text(recall.lotId) ?? '',
        reason: text(recall.reason) ?? '',
        severity: text(recall.severity) ?? '',
        authority: text(recall.authority) ?? '',
        initiated_by: text(recall.initiatedBy?.mspId) ?? '',
        status: text(recall.status) ?? '',
        discovered: num(recall.discovered) ?? 0,
        marked: num(recall.marked) ?? 0,
        created_at: createdAt,
        created_day: buckets.day,
        created_week: buckets.week,
        created_month: buckets.month,
        record: json(record),
      },
      by,
    );
    const recallId = text(recall.recallId) ?? attributes[0];
    const lotId = text(recall.lotId);
    if (recallId && lotId) await recordRecallReach(tx, recallId, lotId, by);
  },
  async remove(tx, attributes) {
    await recalls.delete(tx, [attributes[0] ?? '']);
    await tx.run('DELETE FROM recall_reach WHERE recall_id = ?', [attributes[0] ?? '']);
  },
};

/** Projects recall scope entries: each affected lot with the party responsible for it. */
export const recallScopeProjector: RecordProjector = {
  objectType: 'recallScope',
  async project(tx, record, attributes, by) {
    const entry = asObject(record) as Partial<RecallScopeEntry>;
    await scope.upsert(
      tx,
      {
        recall_id: text(entry.recallId) ?? attributes[0],
        lot_id: text(entry.lotId) ?? attributes[1],
        depth: num(entry.depth) ?? 0,
        via: text(entry.via) ?? '',
        product: text(entry.product) ?? '',
        remaining: num(entry.remaining) ?? 0,
        unit: text(entry.unit) ?? '',
        producer: text(entry.producer) ?? '',
        custodian: text(entry.custodian) ?? '',
        region: text(entry.region),
        marked: entry.marked === true ? 1 : 0,
      },
      by,
    );
  },
  async remove(tx, attributes) {
    await scope.delete(tx, [attributes[0] ?? '', attributes[1] ?? '']);
  },
};
