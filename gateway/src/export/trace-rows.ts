/**
 * The rows of a trace export: for every lot a forward or backward trace reaches, every life-cycle event on it,
 * with the US FSMA 204 key data elements of that step (traceability lot code, product, quantity and unit,
 * location, date, critical tracking event, reference document, responsible member), read from the query store.
 */
import { TRACE_MAX_LOTS } from '@agritrace/chaincode/dist/shared/trace';
import { allIn, walkGenealogy } from '../store/genealogy';
import type { TraceDirection } from '../store/genealogy';
import type { SqlRunner } from '../store/store';

/** One row of the export. Column order and titles are in {@link TRACE_COLUMNS}. */
export interface TraceRow {
  depth: number;
  viaLotId: string;
  traceabilityLotCode: string;
  lotId: string;
  gtin: string;
  batchLot: string;
  product: string;
  quantity: number | null;
  unit: string;
  cte: string;
  eventType: string;
  bizStep: string;
  disposition: string;
  role: string;
  date: string;
  eventTime: string;
  locationRegion: string;
  locationGln: string;
  responsibleMsp: string;
  responsibleName: string;
  producerMsp: string;
  custodianMsp: string;
  lotStatus: string;
  referenceDocumentType: string;
  referenceDocumentNumber: string;
  blockNumber: number;
}

/** Column keys and titles of the spreadsheet, in order. */
export const TRACE_COLUMNS: ReadonlyArray<{ key: keyof TraceRow; title: string; width: number }> = [
  { key: 'depth', title: 'Trace depth', width: 8 },
  { key: 'viaLotId', title: 'Reached via lot', width: 26 },
  { key: 'traceabilityLotCode', title: 'Traceability lot code (TLC)', width: 36 },
  { key: 'lotId', title: 'Lot ID', width: 26 },
  { key: 'gtin', title: 'GTIN', width: 16 },
  { key: 'batchLot', title: 'Batch/lot', width: 14 },
  { key: 'product', title: 'Product description', width: 28 },
  { key: 'quantity', title: 'Quantity', width: 10 },
  { key: 'unit', title: 'Unit of measure', width: 10 },
  { key: 'cte', title: 'Critical tracking event', width: 18 },
  { key: 'eventType', title: 'EPCIS event type', width: 20 },
  { key: 'bizStep', title: 'Business step', width: 16 },
  { key: 'disposition', title: 'Disposition', width: 16 },
  { key: 'role', title: 'Lot role in event', width: 10 },
  { key: 'date', title: 'Date', width: 12 },
  { key: 'eventTime', title: 'Event time', width: 26 },
  { key: 'locationRegion', title: 'Location (region code)', width: 12 },
  { key: 'locationGln', title: 'Location (GLN)', width: 16 },
  { key: 'responsibleMsp', title: 'Responsible member (MSP ID)', width: 18 },
  { key: 'responsibleName', title: 'Responsible member', width: 32 },
  { key: 'producerMsp', title: 'Producer (MSP ID)', width: 16 },
  { key: 'custodianMsp', title: 'Current custodian (MSP ID)', width: 16 },
  { key: 'lotStatus', title: 'Lot status', width: 10 },
  { key: 'referenceDocumentType', title: 'Reference document type', width: 22 },
  { key: 'referenceDocumentNumber', title: 'Reference document number', width: 66 },
  { key: 'blockNumber', title: 'Block number', width: 10 },
];

/** FSMA 204 critical tracking events by business step and life-cycle stage (GS1 US CTE recommendations). */
export function criticalTrackingEvent(bizStep: string, stage: string, eventType: string): string {
  if (eventType === 'TransformationEvent') return 'Transformation';
  if (stage === 'harvest' || (bizStep === 'commissioning' && stage !== 'processing')) return 'Harvesting';
  if (bizStep === 'packing' || stage === 'packaging') return 'Initial packing';
  if (bizStep === 'shipping' || bizStep === 'departing' || bizStep === 'consigning') return 'Shipping';
  if (bizStep === 'receiving' || bizStep === 'arriving' || bizStep === 'accepting') return 'Receiving';
  return '';
}

/** The export: lots reached (with their depth), rows, and whether the trace was cut at the lot limit. */
export interface TraceExport {
  readonly lotId: string;
  readonly direction: TraceDirection;
  readonly lots: number;
  readonly truncated: boolean;
  readonly rows: TraceRow[];
}

interface LotRow {
  lot_id: string;
  gtin: string;
  lot: string;
  product: string;
  unit: string;
  status: string;
  producer: string;
  custodian: string;
  element_string: string | null;
}

interface EventRow {
  lot_id: string;
  role: string;
  quantity: number | null;
  unit: string | null;
  event_id: string;
  event_type: string;
  biz_step: string;
  disposition: string | null;
  stage: string;
  event_time: string;
  event_day: string;
  region: string | null;
  gln: string | null;
  responsible_msp: string;
  tx_id: string;
  block_number: number;
}

/** Builds the export of a lot's trace, or undefined if the store has no such lot. */
export async function traceExport(
  reader: SqlRunner,
  lotId: string,
  direction: TraceDirection,
): Promise<TraceExport | undefined> {
  const exists = await reader.get<{ lot_id: string }>('SELECT lot_id FROM lots WHERE lot_id = ?', [lotId]);
  if (!exists) return undefined;
  const walk = await walkGenealogy(reader, lotId, direction, TRACE_MAX_LOTS);
  const ids = walk.lots.map((reached) => reached.lotId);
  const lots = new Map(
    (
      await allIn<LotRow>(
        reader,
        (list) => `SELECT lot_id, gtin, lot, product, unit, status, producer, custodian, element_string
          FROM lots WHERE lot_id IN (${list})`,
        ids,
      )
    ).map((row) => [row.lot_id, row]),
  );
  const events = await allIn<EventRow>(
    reader,
    (
      list,
    ) => `SELECT l.lot_id, l.role, l.quantity, l.unit, e.event_id, e.event_type, e.biz_step, e.disposition,
        e.stage, e.event_time, e.event_day, e.region, e.gln, e.responsible_msp, e.tx_id, e.block_number
      FROM lot_event_lots l JOIN lot_events e ON e.event_id = l.event_id
      WHERE l.lot_id IN (${list})`,
    ids,
  );
  const names = new Map(
    (await reader.all<{ msp_id: string; name: string }>('SELECT msp_id, name FROM members')).map((row) => [
      row.msp_id,
      row.name,
    ]),
  );
  const eventsByLot = new Map<string, EventRow[]>();
  for (const event of events) {
    const list = eventsByLot.get(event.lot_id) ?? [];
    list.push(event);
    eventsByLot.set(event.lot_id, list);
  }
  const rows: TraceRow[] = [];
  for (const reached of walk.lots) {
    const lot = lots.get(reached.lotId);
    if (!lot) continue;
    const lotEvents = (eventsByLot.get(reached.lotId) ?? []).sort(
      (a, b) => compare(a.event_time, b.event_time) || Number(a.block_number) - Number(b.block_number),
    );
    for (const event of lotEvents) {
      rows.push({
        depth: reached.depth,
        viaLotId: reached.via ?? '',
        traceabilityLotCode: lot.element_string ?? lot.lot_id,
        lotId: lot.lot_id,
        gtin: lot.gtin,
        batchLot: lot.lot,
        product: lot.product,
        quantity: event.quantity === null ? null : Number(event.quantity),
        unit: event.unit ?? lot.unit,
        cte: criticalTrackingEvent(event.biz_step, event.stage, event.event_type),
        eventType: event.event_type,
        bizStep: event.biz_step,
        disposition: event.disposition ?? '',
        role: event.role,
        date: event.event_day,
        eventTime: event.event_time,
        locationRegion: event.region ?? '',
        locationGln: event.gln ?? '',
        responsibleMsp: event.responsible_msp,
        responsibleName: names.get(event.responsible_msp) ?? '',
        producerMsp: lot.producer,
        custodianMsp: lot.custodian,
        lotStatus: lot.status,
        referenceDocumentType: 'Ledger transaction ID',
        referenceDocumentNumber: event.tx_id,
        blockNumber: Number(event.block_number),
      });
    }
  }
  return { lotId, direction, lots: walk.lots.length, truncated: walk.truncated, rows };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
