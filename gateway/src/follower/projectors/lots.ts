/** Lot records (key lot [lotId]) into table lots, with their search text and creation buckets. */
import type { LotRecord } from '@agritrace/chaincode/dist/shared/lots';
import { timeBuckets } from '../time-buckets';
import { asObject, json, num, TableWriter, text } from '../projection';
import type { RecordProjector } from '../projection';

const lots = new TableWriter(
  'lots',
  [
    'lot_id', 'gtin', 'lot', 'serial', 'product', 'category', 'quantity', 'remaining', 'unit', 'status', 'producer',
    'custodian', 'origin_region', 'origin_gln', 'origin_latitude', 'origin_longitude', 'production_date',
    'harvest_date', 'expiry_date', 'derivation_kind', 'recall_id', 'element_string', 'search_text', 'created_at',
    'created_day', 'created_week', 'created_month', 'created_tx_id', 'record',
  ], // prettier-ignore
  ['lot_id'],
);

/** The lower-case text a partial-code or product search matches against. */
export function lotSearchText(lot: Partial<LotRecord>): string {
  return [lot.lotId, lot.gtin, lot.lot, lot.serial, lot.product, lot.category, lot.traceCode?.elementString]
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join(' ')
    .toLowerCase();
}

/** Projects lot records. */
export const lotProjector: RecordProjector = {
  objectType: 'lot',
  async project(tx, record, attributes, by) {
    const lot = asObject(record) as Partial<LotRecord>;
    const createdAt = text(lot.createdAt) ?? by.timestamp;
    const buckets = timeBuckets(createdAt);
    await lots.upsert(
      tx,
      {
        lot_id: text(lot.lotId) ?? attributes[0],
        gtin: text(lot.gtin) ?? '',
        lot: text(lot.lot) ?? '',
        serial: text(lot.serial),
        product: text(lot.product) ?? '',
        category: text(lot.category) ?? '',
        quantity: num(lot.quantity) ?? 0,
        remaining: num(lot.remaining) ?? 0,
        unit: text(lot.unit) ?? '',
        status: text(lot.status) ?? '',
        producer: text(lot.producer) ?? '',
        custodian: text(lot.custodian) ?? '',
        origin_region: text(lot.origin?.region),
        origin_gln: text(lot.origin?.gln),
        origin_latitude: num(lot.origin?.latitude),
        origin_longitude: num(lot.origin?.longitude),
        production_date: text(lot.productionDate),
        harvest_date: text(lot.harvestDate),
        expiry_date: text(lot.expiryDate),
        derivation_kind: text(lot.derivation?.kind) ?? 'created',
        recall_id: text(lot.recall?.recallId),
        element_string: text(lot.traceCode?.elementString),
        search_text: lotSearchText(lot),
        created_at: createdAt,
        created_day: buckets.day,
        created_week: buckets.week,
        created_month: buckets.month,
        created_tx_id: text(lot.createdTxId) ?? by.txId,
        record: json(record),
      },
      by,
    );
  },
  async remove(tx, attributes) {
    await lots.delete(tx, [attributes[0] ?? '']);
  },
};
