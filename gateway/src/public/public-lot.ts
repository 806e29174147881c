/**
 * What a consumer sees about a lot, read from the query store: a recall or hold warning first, then the product,
 * its origin (the farms upstream), its journey (every event on it and on the lots it was made from, each with its
 * business step, place, date and responsible member), inspections and compliance status, and the data to verify
 * it on the ledger. Built from an allow-list of public fields: business transactions (orders, contracts), notes,
 * quantities and prices never appear.
 */
import { INSPECTION_STEPS } from '@agritrace/chaincode/dist/shared/epcis';
import { digitalLinkPath, elementString } from '@agritrace/chaincode/dist/shared/gs1';
import { allIn, walkGenealogy } from '../store/genealogy';
import type { SqlRunner } from '../store/store';

/** Upstream lots a public page follows at most (a processed lot rarely has more than a few dozen). */
export const PUBLIC_TRACE_MAX_LOTS = 500;

/** A member as the public sees it. */
export interface PublicParty {
  mspId: string;
  name: string;
}

/** A place as the public sees it. */
export interface PublicPlace {
  region: string | null;
  gln: string | null;
  latitude?: number;
  longitude?: number;
}

/** Where a record is on the ledger. */
export interface Verification {
  txId: string;
  blockNumber: number;
}

/** The warning shown before anything else. */
export type PublicWarning =
  | {
      type: 'recall';
      message: string;
      severity: string;
      reason: string;
      recallId: string;
      /** The lot the recall started from (this one, or one upstream). */
      recalledLotId: string;
      /**
       * True once the ledger has marked this lot recalled (authoritative); false while the warning comes from the
       * recall's reach, which the store derives from the ledger's genealogy before every lot is marked.
       */
      markedOnLedger: boolean;
      since: string;
      verification: Verification;
    }
  | { type: 'hold'; message: string; reason: string; since: string | null };

/** One step of the journey. */
export interface JourneyStep {
  date: string;
  bizStep: string;
  stage: string;
  disposition: string | null;
  place: PublicPlace;
  responsible: PublicParty;
  lot: { lotId: string; product: string };
  verification: Verification;
}

/** An inspection or certificate. */
export interface PublicInspection {
  date: string;
  kind: 'inspection' | 'document';
  /** bizStep of an inspection event, document type of a certificate. */
  type: string;
  result: string | null;
  by: PublicParty | null;
  lotId: string;
  validUntil?: string | null;
  verification: Verification;
}

/** The consumer view of a lot. */
export interface PublicLot {
  warning: PublicWarning | null;
  traceCode: { gtin: string; lot: string; serial: string | null; elementString: string; digitalLink: string };
  product: {
    name: string;
    category: string;
    productionDate: string | null;
    harvestDate: string | null;
    expiryDate: string | null;
  };
  status: string;
  producer: PublicParty;
  origin: Array<{
    lotId: string;
    product: string;
    producer: PublicParty;
    place: PublicPlace;
    harvestDate: string | null;
  }>;
  journey: JourneyStep[];
  inspections: PublicInspection[];
  compliance: {
    status: 'compliant' | 'violations_open' | 'on_hold' | 'recalled';
    openViolations: Array<{
      kind: string;
      ruleId: string;
      lotId: string;
      detectedAt: string;
      status: string;
    }>;
  };
  verification: {
    created: Verification;
    lastChange: Verification;
    /** Where anyone can ask the ledger about a transaction. */
    transactionUrl: string;
  };
}

/** The view and the newest block it was built from (the basis of its ETag). */
export interface PublicLotAnswer {
  view: PublicLot;
  lastBlock: number;
}

interface LotRow {
  lot_id: string;
  gtin: string;
  lot: string;
  serial: string | null;
  product: string;
  category: string;
  status: string;
  producer: string;
  origin_region: string | null;
  origin_gln: string | null;
  origin_latitude: number | null;
  origin_longitude: number | null;
  production_date: string | null;
  harvest_date: string | null;
  expiry_date: string | null;
  derivation_kind: string;
  recall_id: string | null;
  created_at: string;
  created_tx_id: string;
  record: string;
  tx_id: string;
  block_number: number;
}

interface EventRow {
  event_id: string;
  biz_step: string;
  stage: string;
  disposition: string | null;
  event_time: string;
  responsible_msp: string;
  region: string | null;
  gln: string | null;
  lot_id: string;
  tx_id: string;
  block_number: number;
}

const LOT_COLUMNS = `lot_id, gtin, lot, serial, product, category, status, producer, origin_region, origin_gln,
  origin_latitude, origin_longitude, production_date, harvest_date, expiry_date, derivation_kind, recall_id,
  created_at, created_tx_id, record, tx_id, block_number`;

/** The public view of a lot, or undefined if the store has no such lot. */
export async function readPublicLot(
  reader: SqlRunner,
  lotId: string,
  resolverBase: string,
): Promise<PublicLotAnswer | undefined> {
  const lot = await reader.get<LotRow>(`SELECT ${LOT_COLUMNS} FROM lots WHERE lot_id = ?`, [lotId]);
  if (!lot) return undefined;
  const upstream = await walkGenealogy(reader, lotId, 'backward', PUBLIC_TRACE_MAX_LOTS);
  const lotIds = upstream.lots.map((reached) => reached.lotId);
  const lots = await allIn<LotRow>(
    reader,
    (list) => `SELECT ${LOT_COLUMNS} FROM lots WHERE lot_id IN (${list})`,
    lotIds,
  );
  const lotsById = new Map(lots.map((row) => [row.lot_id, row]));
  const events = await allIn<EventRow>(
    reader,
    (
      list,
    ) => `SELECT e.event_id, e.biz_step, e.stage, e.disposition, e.event_time, e.responsible_msp, e.region,
        e.gln, l.lot_id, e.tx_id, e.block_number
      FROM lot_event_lots l JOIN lot_events e ON e.event_id = l.event_id
      WHERE l.lot_id IN (${list}) ORDER BY e.event_time, e.block_number, e.tx_index`,
    lotIds,
  );
  const documents = await allIn<{
    lot_id: string;
    doc_type: string;
    issued_at: string;
    issuer_msp: string | null;
    outcome: string | null;
    valid_until: string | null;
    tx_id: string;
    block_number: number;
  }>(
    reader,
    (list) => `SELECT lot_id, doc_type, issued_at, issuer_msp, outcome, valid_until, tx_id, block_number
      FROM lot_documents WHERE lot_id IN (${list}) ORDER BY issued_at`,
    lotIds,
  );
  const violations = await allIn<{
    kind: string;
    rule_id: string;
    lot_id: string;
    detected_at: string;
    status: string;
    block_number: number;
  }>(
    reader,
    (list) => `SELECT kind, rule_id, lot_id, detected_at, status, block_number FROM violations
      WHERE lot_id IN (${list}) AND status <> 'released' ORDER BY detected_at`,
    lotIds,
  );
  // The ledger's mark on the lot (recall_id) is authoritative; until the ledger has marked it, the recall whose
  // reach (derived by the follower from the ledger's genealogy) holds this lot or one it was made from warns.
  const recallId = lot.recall_id ?? (await recallReaching(reader, lotId, lotIds));
  const recall = recallId
    ? await reader.get<{
        recall_id: string;
        lot_id: string;
        reason: string;
        severity: string;
        created_at: string;
        tx_id: string;
        block_number: number;
      }>(
        'SELECT recall_id, lot_id, reason, severity, created_at, tx_id, block_number FROM recalls WHERE recall_id = ?',
        [recallId],
      )
    : undefined;
  const members = new Map(
    (
      await reader.all<{ msp_id: string; name: string; block_number: number }>(
        'SELECT msp_id, name, block_number FROM members',
      )
    ).map((row) => [row.msp_id, row]),
  );
  const created = await reader.get<{ block_number: number }>(
    'SELECT block_number FROM ledger_transactions WHERE tx_id = ?',
    [lot.created_tx_id],
  );

  const party = (mspId: string): PublicParty => ({ mspId, name: members.get(mspId)?.name ?? mspId });
  const usedMembers = new Set<string>([lot.producer]);

  // One step per event, even when an event touches several lots of the trace (a merge): the first lot it names.
  const journey: JourneyStep[] = [];
  const seenEvents = new Set<string>();
  for (const event of events) {
    if (seenEvents.has(event.event_id)) continue;
    seenEvents.add(event.event_id);
    usedMembers.add(event.responsible_msp);
    const eventLot = lotsById.get(event.lot_id);
    journey.push({
      date: event.event_time,
      bizStep: event.biz_step,
      stage: event.stage,
      disposition: event.disposition,
      place: { region: event.region ?? eventLot?.origin_region ?? null, gln: event.gln },
      responsible: party(event.responsible_msp),
      lot: { lotId: event.lot_id, product: eventLot?.product ?? '' },
      verification: { txId: event.tx_id, blockNumber: Number(event.block_number) },
    });
  }

  const inspections: PublicInspection[] = [
    ...journey
      .filter((step) => INSPECTION_STEPS.includes(step.bizStep))
      .map((step) => ({
        date: step.date,
        kind: 'inspection' as const,
        type: step.bizStep,
        result: step.disposition,
        by: step.responsible,
        lotId: step.lot.lotId,
        verification: step.verification,
      })),
    ...documents.map((document) => {
      if (document.issuer_msp) usedMembers.add(document.issuer_msp);
      return {
        date: document.issued_at,
        kind: 'document' as const,
        type: document.doc_type,
        result: document.outcome,
        by: document.issuer_msp ? party(document.issuer_msp) : null,
        lotId: document.lot_id,
        validUntil: document.valid_until,
        verification: { txId: document.tx_id, blockNumber: Number(document.block_number) },
      };
    }),
  ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  const farms = upstream.lots
    .map((reached) => lotsById.get(reached.lotId))
    .filter((row): row is LotRow => row !== undefined && row.derivation_kind === 'created');
  for (const farm of farms) usedMembers.add(farm.producer);
  const origin = farms.map((farm) => ({
    lotId: farm.lot_id,
    product: farm.product,
    producer: party(farm.producer),
    place: placeOf(farm),
    harvestDate: farm.harvest_date ?? farm.production_date,
  }));

  const hold = holdOf(lot);
  const warning: PublicWarning | null = recall
    ? {
        type: 'recall',
        message: 'This product has been recalled. Do not eat it; return it to the place of purchase.',
        severity: recall.severity,
        reason: recall.reason,
        recallId: recall.recall_id,
        recalledLotId: recall.lot_id,
        markedOnLedger: lot.recall_id !== null,
        since: recall.created_at,
        verification: { txId: recall.tx_id, blockNumber: Number(recall.block_number) },
      }
    : lot.status === 'on_hold'
      ? {
          type: 'hold',
          message:
            'This product is on hold pending a regulator’s decision; do not eat it until it is released.',
          reason: hold.reason,
          since: hold.since,
        }
      : null;

  const openViolations = violations.map((violation) => ({
    kind: violation.kind,
    ruleId: violation.rule_id,
    lotId: violation.lot_id,
    detectedAt: violation.detected_at,
    status: violation.status,
  }));
  const complianceStatus = recall
    ? 'recalled'
    : lot.status === 'on_hold'
      ? 'on_hold'
      : openViolations.length > 0
        ? 'violations_open'
        : 'compliant';

  const blocks = [
    lot.block_number,
    ...lots.map((row) => row.block_number),
    ...events.map((row) => row.block_number),
    ...documents.map((row) => row.block_number),
    ...violations.map((row) => row.block_number),
    ...upstream.links.map((row) => row.block_number),
    recall?.block_number ?? 0,
    ...[...usedMembers].map((mspId) => members.get(mspId)?.block_number ?? 0),
  ].map(Number);

  const parts = { gtin: lot.gtin, lot: lot.lot };
  const view: PublicLot = {
    warning,
    traceCode: {
      gtin: lot.gtin,
      lot: lot.lot,
      serial: lot.serial,
      elementString: elementString(parts),
      digitalLink: resolverBase + digitalLinkPath(parts),
    },
    product: {
      name: lot.product,
      category: lot.category,
      productionDate: lot.production_date,
      harvestDate: lot.harvest_date,
      expiryDate: lot.expiry_date,
    },
    status: lot.status,
    producer: party(lot.producer),
    origin,
    journey,
    inspections,
    compliance: { status: complianceStatus, openViolations },
    verification: {
      created: { txId: lot.created_tx_id, blockNumber: Number(created?.block_number ?? lot.block_number) },
      lastChange: { txId: lot.tx_id, blockNumber: Number(lot.block_number) },
      transactionUrl: '/api/v1/transactions/{txId}',
    },
  };
  return { view, lastBlock: Math.max(...blocks) };
}

/**
 * The recall whose reach (recall_reach) holds the lot or one of the lots it was made from (`lotIds`, the lot first),
 * if any: a lot the ledger has not marked yet but will.
 */
async function recallReaching(
  reader: SqlRunner,
  lotId: string,
  lotIds: readonly string[],
): Promise<string | undefined> {
  const rows = await allIn<{ recall_id: string; lot_id: string }>(
    reader,
    (list) => `SELECT recall_id, lot_id FROM recall_reach WHERE lot_id IN (${list}) ORDER BY recall_id`,
    lotIds,
  );
  return (rows.find((row) => row.lot_id === lotId) ?? rows[0])?.recall_id;
}

function placeOf(row: LotRow): PublicPlace {
  return {
    region: row.origin_region,
    gln: row.origin_gln,
    ...(row.origin_latitude === null ? {} : { latitude: Number(row.origin_latitude) }),
    ...(row.origin_longitude === null ? {} : { longitude: Number(row.origin_longitude) }),
  };
}

/** The hold's reason and time from the lot record (only these two fields are read). */
function holdOf(row: LotRow): { reason: string; since: string | null } {
  try {
    const hold = (JSON.parse(row.record) as { hold?: { reason?: unknown; at?: unknown } }).hold;
    return {
      reason: typeof hold?.reason === 'string' ? hold.reason : 'under review',
      since: typeof hold?.at === 'string' ? hold.at : null,
    };
  } catch {
    return { reason: 'under review', since: null };
  }
}
