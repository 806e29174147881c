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
import type {
  InspectionResult,
  JourneyStep,
  PublicColdChain,
  PublicInspection,
  PublicLot,
  PublicParty,
  PublicPlace,
  PublicWarning,
} from './public-types';

/** Upstream lots a public page follows at most (a processed lot rarely has more than a few dozen). */
export const PUBLIC_TRACE_MAX_LOTS = 500;

/** Readings a public page lists at most (the newest); the summary counts every one. */
export const PUBLIC_READINGS_MAX = 1000;

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
  record: string;
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
    ) => `SELECT e.event_id, e.record, e.biz_step, e.stage, e.disposition, e.event_time, e.responsible_msp, e.region,
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
      await reader.all<{ msp_id: string; name: string; status: string; block_number: number }>(
        'SELECT msp_id, name, status, block_number FROM members',
      )
    ).map((row) => [row.msp_id, row]),
  );
  const created = await reader.get<{ block_number: number }>(
    'SELECT block_number FROM ledger_transactions WHERE tx_id = ?',
    [lot.created_tx_id],
  );

  const party = (mspId: string): PublicParty => ({ mspId, name: members.get(mspId)?.name ?? mspId });
  // Applicants are not yet members: only admitted ones are named to the public.
  const admitted = [...members.values()]
    .filter((row) => row.status !== 'pending')
    .sort((a, b) => (a.msp_id < b.msp_id ? -1 : a.msp_id > b.msp_id ? 1 : 0));
  const usedMembers = new Set<string>([lot.producer]);

  // A step that names no place happened, as far as anyone recorded, where the product comes from.
  const originRegion =
    upstream.lots
      .map((reached) => lotsById.get(reached.lotId))
      .find((row) => row?.derivation_kind === 'created' && row.origin_region)?.origin_region ?? null;
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
      place: placeOfStep(event, eventLot, originRegion),
      responsible: party(event.responsible_msp),
      lot: { lotId: event.lot_id, product: eventLot?.product ?? '' },
      verification: { txId: event.tx_id, blockNumber: Number(event.block_number) },
    });
  }

  const inspectionSteps = journey.filter((step) => INSPECTION_STEPS.includes(step.bizStep));
  const measurements = await readMeasurements(
    reader,
    lotIds,
    inspectionSteps.map((step) => step.verification.txId),
  );
  const recordsById = new Map(events.map((event) => [event.event_id, event.record]));
  const inspections: PublicInspection[] = [
    ...inspectionSteps.map((step) => {
      const results = inspectionResults(
        recordsById.get(step.verification.txId),
        measurements.resultsOf(step.lot.lotId, step.verification.txId),
      );
      return {
        date: step.date,
        kind: 'inspection' as const,
        type: step.bizStep,
        result: step.disposition,
        by: step.responsible,
        lotId: step.lot.lotId,
        verification: step.verification,
        ...(results.length > 0 ? { results } : {}),
      };
    }),
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
    measurements.lastBlock,
    recall?.block_number ?? 0,
    ...[...usedMembers].map((mspId) => members.get(mspId)?.block_number ?? 0),
    ...admitted.map((row) => row.block_number),
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
    // A lot in a recall's reach reads as recalled, as in search, before the ledger has marked it.
    status: warning?.type === 'recall' ? 'recalled' : lot.status,
    producer: party(lot.producer),
    origin,
    journey,
    inspections,
    coldChain: measurements.coldChain,
    compliance: { status: complianceStatus, openViolations },
    alliance: admitted.map((row) => ({ mspId: row.msp_id, name: row.name })),
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

/**
 * Where a step happened: its own place; when it named none, the region its lot comes from (the farm, or where a
 * processed lot was made), else the origin farm's region, marked as such so the page can say so.
 */
function placeOfStep(
  event: EventRow,
  eventLot: LotRow | undefined,
  originRegion: string | null,
): PublicPlace {
  if (event.region !== null) return { region: event.region, gln: event.gln };
  const region = eventLot?.origin_region ?? originRegion;
  return region === null ? { region: null, gln: event.gln } : { region, gln: event.gln, originRegion: true };
}

interface ResultRow {
  lot_id: string;
  event_id: string;
  position: number;
  rule_set_id: string;
  rule_set_version: number;
  rule_id: string;
  kind: string;
  outcome: string;
  measured: string | null;
  limit_value: string | null;
  unit: string | null;
  block_number: number;
}

/** A rule of a rule-set version, as far as the public page reads it. */
interface RuleFacts {
  substance?: string;
  min?: number;
  max?: number;
  toleratedExcursionMinutes?: number;
}

/** A residue or temperature rule's result, with the rule's own facts (substance, range). */
interface CheckedResult {
  row: ResultRow;
  rule: RuleFacts;
}

/** The rule results of the trace's inspections and its cold chain, read together. */
interface Measurements {
  resultsOf(lotId: string, eventId: string): CheckedResult[];
  coldChain: PublicColdChain | null;
  lastBlock: number;
}

/** Reads the residue results of the inspection events and the readings and temperature checks of the lots. */
async function readMeasurements(
  reader: SqlRunner,
  lotIds: readonly string[],
  inspectionEventIds: readonly string[],
): Promise<Measurements> {
  const inspected = await allIn<ResultRow>(
    reader,
    (
      list,
    ) => `SELECT lot_id, event_id, position, rule_set_id, rule_set_version, rule_id, kind, outcome, measured,
        limit_value, unit, block_number
      FROM evaluation_results WHERE event_id IN (${list}) AND kind IN ('mrl', 'banned') ORDER BY position`,
    [...new Set(inspectionEventIds)],
  );
  const temperature = await allIn<ResultRow>(
    reader,
    (
      list,
    ) => `SELECT lot_id, event_id, position, rule_set_id, rule_set_version, rule_id, kind, outcome, measured,
        limit_value, unit, block_number
      FROM evaluation_results WHERE lot_id IN (${list}) AND kind = 'temperature'
      ORDER BY event_time, position`,
    lotIds,
  );
  const rules = await readRules(reader, [...inspected, ...temperature]);
  const checked = (row: ResultRow): CheckedResult => ({
    row,
    rule: rules.get(`${row.rule_set_id}/${row.rule_set_version}/${row.rule_id}`) ?? {},
  });
  const byEvent = new Map<string, CheckedResult[]>();
  for (const row of inspected) {
    const key = `${row.lot_id}\u0000${row.event_id}`;
    byEvent.set(key, [...(byEvent.get(key) ?? []), checked(row)]);
  }
  const cold = await readColdChain(reader, lotIds, temperature.map(checked));
  return {
    resultsOf: (lotId, eventId) => byEvent.get(`${lotId}\u0000${eventId}`) ?? [],
    coldChain: cold.view,
    lastBlock: Math.max(
      0,
      cold.lastBlock,
      ...[...inspected, ...temperature].map((row) => Number(row.block_number)),
    ),
  };
}

/** The facts of every rule named by `rows`, by 'ruleSetId/version/ruleId'. */
async function readRules(reader: SqlRunner, rows: readonly ResultRow[]): Promise<Map<string, RuleFacts>> {
  const versions = new Map<string, { id: string; version: number }>();
  for (const row of rows) {
    versions.set(`${row.rule_set_id}/${row.rule_set_version}`, {
      id: row.rule_set_id,
      version: Number(row.rule_set_version),
    });
  }
  const facts = new Map<string, RuleFacts>();
  for (const { id, version } of versions.values()) {
    const ruleSet = await reader.get<{ record: string }>(
      'SELECT record FROM rule_sets WHERE rule_set_id = ? AND version = ?',
      [id, version],
    );
    let rules: unknown;
    try {
      rules = ruleSet ? (JSON.parse(ruleSet.record) as { rules?: unknown }).rules : undefined;
    } catch {
      rules = undefined;
    }
    for (const rule of Array.isArray(rules) ? (rules as Record<string, unknown>[]) : []) {
      if (typeof rule?.id !== 'string') continue;
      facts.set(`${id}/${version}/${rule.id}`, {
        ...(typeof rule.substance === 'string' ? { substance: rule.substance } : {}),
        ...(typeof rule.min === 'number' ? { min: rule.min } : {}),
        ...(typeof rule.max === 'number' ? { max: rule.max } : {}),
        ...(typeof rule.toleratedExcursionMinutes === 'number'
          ? { toleratedExcursionMinutes: rule.toleratedExcursionMinutes }
          : {}),
      });
    }
  }
  return facts;
}

/** A JSON-encoded measured value or limit back as a number or string. */
function jsonValue(text: string | null): number | string | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'number' || typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

/** The name of a substance as rules compare it. */
function substanceKey(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * The residue results of an inspection event: each analyte reported in its sensor reports, with the limit and
 * outcome of the rules that checked it (the value then in the rule's unit, as the rule compared it). Only the
 * substance, value and unit of a report are read; nothing else of the event record reaches the page.
 */
function inspectionResults(
  record: string | undefined,
  checked: readonly CheckedResult[],
): InspectionResult[] {
  const reported: Array<{ substance: string; value: number | string; unit: string | null }> = [];
  try {
    const event = JSON.parse(record ?? '{}') as {
      sensorElementList?: Array<{ sensorReport?: Array<Record<string, unknown>> }>;
    };
    for (const element of event.sensorElementList ?? []) {
      for (const report of element.sensorReport ?? []) {
        if (typeof report.chemicalSubstance !== 'string') continue;
        const value =
          typeof report.stringValue === 'string' && report.stringValue.toUpperCase() === 'ND'
            ? 'ND'
            : typeof report.value === 'number'
              ? report.value
              : null;
        if (value === null) continue;
        reported.push({
          substance: report.chemicalSubstance,
          value,
          unit: typeof report.uom === 'string' ? (REC20_RESIDUE_UNITS[report.uom] ?? report.uom) : null,
        });
      }
    }
  } catch {
    // an unreadable record shows no results rather than failing the page
  }
  const results: InspectionResult[] = [];
  for (const analyte of reported) {
    const checks = checked.filter(
      (check) =>
        check.row.outcome !== 'not_applicable' &&
        check.rule.substance !== undefined &&
        substanceKey(check.rule.substance) === substanceKey(analyte.substance),
    );
    if (checks.length === 0) {
      results.push({ ...analyte, limit: null, outcome: null, rule: null });
      continue;
    }
    for (const { row } of checks) {
      const measured = jsonValue(row.measured);
      results.push({
        substance: analyte.substance,
        value: measured ?? analyte.value,
        unit: measured === null ? analyte.unit : row.unit,
        limit: jsonValue(row.limit_value),
        outcome: row.outcome,
        rule: {
          ruleSetId: row.rule_set_id,
          version: Number(row.rule_set_version),
          ruleId: row.rule_id,
          kind: row.kind,
        },
      });
    }
  }
  return results;
}

/** UN/ECE Recommendation 20 codes of residue concentrations, as the units people read. */
const REC20_RESIDUE_UNITS: Readonly<Record<string, string>> = {
  NA: 'mg/kg',
  J33: 'µg/kg',
  '59': 'ppm',
  '61': 'ppb',
};

/** The cold chain of the lots: the newest readings, a summary of all, and the range of the rule that checked them. */
async function readColdChain(
  reader: SqlRunner,
  lotIds: readonly string[],
  checks: readonly CheckedResult[],
): Promise<{ view: PublicColdChain | null; lastBlock: number }> {
  const summaries = await allIn<{
    count: number;
    min_celsius: number | null;
    max_celsius: number | null;
    first_time: string | null;
    last_time: string | null;
    last_block: number | null;
  }>(
    reader,
    (list) => `SELECT COUNT(*) AS count, MIN(celsius) AS min_celsius, MAX(celsius) AS max_celsius,
        MIN(reading_time) AS first_time, MAX(reading_time) AS last_time, MAX(block_number) AS last_block
      FROM device_readings WHERE lot_id IN (${list})`,
    lotIds,
  );
  const present = summaries.filter((row) => Number(row.count) > 0);
  if (present.length === 0) return { view: null, lastBlock: 0 };
  const rows = await allIn<{ reading_time: string; celsius: number }>(
    reader,
    (list) => `SELECT reading_time, celsius FROM device_readings WHERE lot_id IN (${list})
      ORDER BY reading_time DESC, device_id, sequence, position LIMIT ${PUBLIC_READINGS_MAX}`,
    lotIds,
  );
  // Devices may report with any UTC offset: order by instant, not by text.
  const readings = rows
    .sort((a, b) => Date.parse(a.reading_time) - Date.parse(b.reading_time))
    .slice(-PUBLIC_READINGS_MAX)
    .map((row) => ({ time: row.reading_time, celsius: Number(row.celsius) }));
  // The newest check names the range in force; the outcome is the worst of every check.
  const latest = checks[checks.length - 1];
  const range = latest
    ? {
        ...(latest.rule.min !== undefined ? { min: latest.rule.min } : {}),
        ...(latest.rule.max !== undefined ? { max: latest.rule.max } : {}),
        ...(latest.rule.toleratedExcursionMinutes !== undefined
          ? { toleratedExcursionMinutes: latest.rule.toleratedExcursionMinutes }
          : {}),
        rule: {
          ruleSetId: latest.row.rule_set_id,
          version: Number(latest.row.rule_set_version),
          ruleId: latest.row.rule_id,
        },
      }
    : null;
  const outside = (celsius: number): boolean =>
    range !== null &&
    ((range.min !== undefined && celsius < range.min) || (range.max !== undefined && celsius > range.max));
  let outOfRange = 0;
  let excursions = 0;
  let inRun = false;
  for (const reading of readings) {
    const out = outside(reading.celsius);
    if (out) outOfRange += 1;
    if (out && !inRun) excursions += 1;
    inRun = out;
  }
  const evaluated = checks.filter((check) => check.row.outcome !== 'not_applicable');
  const outcome =
    evaluated.length === 0 ? null : evaluated.some((check) => check.row.outcome === 'fail') ? 'fail' : 'pass';
  const numbers = (pick: (row: (typeof present)[number]) => number | null) =>
    present
      .map(pick)
      .filter((value): value is number => value !== null)
      .map(Number);
  const times = (pick: (row: (typeof present)[number]) => string | null) =>
    present
      .map(pick)
      .filter((value): value is string => value !== null)
      .sort();
  return {
    view: {
      readings,
      summary: {
        count: present.reduce((sum, row) => sum + Number(row.count), 0),
        minCelsius: Math.min(...numbers((row) => row.min_celsius)),
        maxCelsius: Math.max(...numbers((row) => row.max_celsius)),
        firstTime: times((row) => row.first_time)[0] ?? '',
        lastTime: times((row) => row.last_time).slice(-1)[0] ?? '',
      },
      range,
      outOfRange,
      excursions,
      outcome,
    },
    lastBlock: Math.max(0, ...numbers((row) => row.last_block)),
  };
}
