/**
 * Regulators' figures from the query store, as JSON series for charts: lots and events per period (day, ISO week
 * or month) and dimension; open violations and lots on hold; recalls with their scope; and each member's
 * compliance rate. Periods are precomputed columns, so the same GROUP BY runs on both engines.
 */
import type { SqlParam, SqlRunner } from '../store/store';

/** Period of a series. */
export type Period = 'day' | 'week' | 'month';
/** Every period. */
export const PERIODS: readonly Period[] = ['day', 'week', 'month'];

/** A time window on days (YYYY-MM-DD), both ends included. */
export interface Window {
  readonly from?: string;
  readonly to?: string;
}

/** Dimensions lots can be counted by. */
export const LOT_DIMENSIONS = ['none', 'region', 'category', 'producer', 'status'] as const;
/** One lot dimension. */
export type LotDimension = (typeof LOT_DIMENSIONS)[number];

/** Dimensions events can be counted by. */
export const EVENT_DIMENSIONS = ['none', 'bizStep', 'stage', 'region', 'responsible'] as const;
/** One event dimension. */
export type EventDimension = (typeof EVENT_DIMENSIONS)[number];

/** One point of a series: the period, the dimension's value ('' for none) and the counts. */
export interface SeriesPoint {
  period: string;
  key: string;
  count: number;
  /** Sum of quantities per unit (lots only). */
  quantity?: number;
  unit?: string;
}

const LOT_KEY: Readonly<Record<LotDimension, string>> = {
  none: "''",
  region: "COALESCE(origin_region, '')",
  category: 'category',
  producer: 'producer',
  status: 'status',
};

const EVENT_KEY: Readonly<Record<EventDimension, string>> = {
  none: "''",
  bizStep: 'biz_step',
  stage: 'stage',
  region: "COALESCE(region, '')",
  responsible: 'responsible_msp',
};

/** Lots created per period and dimension, with total quantity per unit. */
export async function lotsPerPeriod(
  reader: SqlRunner,
  period: Period,
  by: LotDimension,
  window: Window,
): Promise<SeriesPoint[]> {
  const { where, params } = windowFilter(`created_day`, window);
  const key = LOT_KEY[by];
  const rows = await reader.all<{
    period: string;
    dim: string;
    unit: string;
    count: number;
    quantity: number;
  }>(
    `SELECT created_${period} AS period, ${key} AS dim, unit, COUNT(*) AS count, SUM(quantity) AS quantity
     FROM lots ${where} GROUP BY ${groupBy(`created_${period}`, by === 'none' ? undefined : key)}, unit
     ORDER BY 1, 2, 3`,
    params,
  );
  return rows.map((row) => ({
    period: row.period,
    key: row.dim,
    count: Number(row.count),
    quantity: Number(row.quantity),
    unit: row.unit,
  }));
}

/** Life-cycle events per period and dimension. */
export async function eventsPerPeriod(
  reader: SqlRunner,
  period: Period,
  by: EventDimension,
  window: Window,
): Promise<SeriesPoint[]> {
  const { where, params } = windowFilter('event_day', window);
  const key = EVENT_KEY[by];
  const rows = await reader.all<{ period: string; dim: string; count: number }>(
    `SELECT event_${period} AS period, ${key} AS dim, COUNT(*) AS count
     FROM lot_events ${where} GROUP BY ${groupBy(`event_${period}`, by === 'none' ? undefined : key)}
     ORDER BY 1, 2`,
    params,
  );
  return rows.map((row) => ({ period: row.period, key: row.dim, count: Number(row.count) }));
}

/** Open violations (by kind, region and responsible member) and the lots on hold now. */
export async function openIssues(reader: SqlRunner): Promise<{
  violations: { kind: string; region: string; responsible: string; status: string; count: number }[];
  openViolationCount: number;
  holds: { lotId: string; product: string; custodian: string; region: string | null; since: string }[];
}> {
  const violations = await reader.all<{
    kind: string;
    region: string;
    responsible: string;
    status: string;
    count: number;
  }>(
    `SELECT kind, COALESCE(region, '') AS region, responsible_msp AS responsible, status, COUNT(*) AS count
     FROM violations WHERE status <> 'released'
     GROUP BY kind, COALESCE(region, ''), responsible_msp, status ORDER BY 5 DESC, 1, 2, 3`,
  );
  const holds = await reader.all<{
    lot_id: string;
    product: string;
    custodian: string;
    origin_region: string | null;
    updated: string;
  }>(
    `SELECT l.lot_id, l.product, l.custodian, l.origin_region, t.timestamp AS updated
     FROM lots l LEFT JOIN ledger_transactions t ON t.tx_id = l.tx_id
     WHERE l.status = 'on_hold' ORDER BY l.lot_id`,
  );
  return {
    violations: violations.map((row) => ({ ...row, count: Number(row.count) })),
    openViolationCount: violations.reduce((sum, row) => sum + Number(row.count), 0),
    holds: holds.map((row) => ({
      lotId: row.lot_id,
      product: row.product,
      custodian: row.custodian,
      region: row.origin_region,
      since: row.updated,
    })),
  };
}

/** Recalls, newest first, with their scope as recorded on the ledger and the affected lots found so far. */
export async function recallsWithScope(reader: SqlRunner, window: Window): Promise<unknown[]> {
  const { where, params } = windowFilter('created_day', window);
  const recalls = await reader.all<{
    recall_id: string;
    lot_id: string;
    reason: string;
    severity: string;
    authority: string;
    initiated_by: string;
    status: string;
    discovered: number;
    marked: number;
    created_at: string;
    record: string;
    tx_id: string;
    block_number: number;
  }>(
    `SELECT recall_id, lot_id, reason, severity, authority, initiated_by, status, discovered, marked, created_at,
       record, tx_id, block_number
     FROM recalls ${where} ORDER BY created_at DESC`,
    params,
  );
  const result: unknown[] = [];
  for (const recall of recalls) {
    const affected = await reader.all<{
      lot_id: string;
      depth: number;
      custodian: string;
      region: string | null;
      marked: number;
    }>(
      'SELECT lot_id, depth, custodian, region, marked FROM recall_scope WHERE recall_id = ? ORDER BY depth, lot_id',
      [recall.recall_id],
    );
    const scope = (JSON.parse(recall.record) as { scope?: unknown }).scope ?? null;
    result.push({
      recallId: recall.recall_id,
      lotId: recall.lot_id,
      reason: recall.reason,
      severity: recall.severity,
      authority: recall.authority,
      initiatedBy: recall.initiated_by,
      status: recall.status,
      discovered: Number(recall.discovered),
      marked: Number(recall.marked),
      createdAt: recall.created_at,
      scope,
      affectedLots: affected.map((row) => ({
        lotId: row.lot_id,
        depth: Number(row.depth),
        custodian: row.custodian,
        region: row.region,
        marked: Number(row.marked) === 1,
      })),
      verification: { txId: recall.tx_id, blockNumber: Number(recall.block_number) },
    });
  }
  return result;
}

/** One member's record of compliance. */
export interface MemberCompliance {
  mspId: string;
  name: string;
  role: string;
  region: string | null;
  /** Lots whose events this member recorded. */
  lotsHandled: number;
  /** Of those, lots with a violation this member is responsible for. */
  lotsWithViolations: number;
  violations: number;
  openViolations: number;
  /** Rule evaluations of events this member recorded, and how many failed. */
  evaluations: number;
  failedEvaluations: number;
  /** Share of handled lots without a violation of theirs (1 when they handled none). */
  complianceRate: number;
}

/** Compliance rate of every member. */
export async function complianceByMember(reader: SqlRunner): Promise<MemberCompliance[]> {
  const members = await reader.all<{ msp_id: string; name: string; role: string; region: string | null }>(
    'SELECT msp_id, name, role, region FROM members ORDER BY msp_id',
  );
  const handled = await countBy(
    reader,
    `SELECT e.responsible_msp AS msp, COUNT(DISTINCT l.lot_id) AS n
     FROM lot_events e JOIN lot_event_lots l ON l.event_id = e.event_id GROUP BY e.responsible_msp`,
  );
  const withViolations = await countBy(
    reader,
    'SELECT responsible_msp AS msp, COUNT(DISTINCT lot_id) AS n FROM violations GROUP BY responsible_msp',
  );
  const violations = await countBy(
    reader,
    'SELECT responsible_msp AS msp, COUNT(*) AS n FROM violations GROUP BY responsible_msp',
  );
  const open = await countBy(
    reader,
    `SELECT responsible_msp AS msp, COUNT(*) AS n FROM violations WHERE status <> 'released' GROUP BY responsible_msp`,
  );
  const evaluated = await countBy(
    reader,
    'SELECT actor_msp AS msp, SUM(evaluated) AS n FROM evaluations GROUP BY actor_msp',
  );
  const failed = await countBy(
    reader,
    'SELECT actor_msp AS msp, SUM(failed) AS n FROM evaluations GROUP BY actor_msp',
  );
  return members.map((member) => {
    const lotsHandled = handled.get(member.msp_id) ?? 0;
    const lotsWithViolations = withViolations.get(member.msp_id) ?? 0;
    const involved = Math.max(lotsHandled, lotsWithViolations);
    return {
      mspId: member.msp_id,
      name: member.name,
      role: member.role,
      region: member.region,
      lotsHandled,
      lotsWithViolations,
      violations: violations.get(member.msp_id) ?? 0,
      openViolations: open.get(member.msp_id) ?? 0,
      evaluations: evaluated.get(member.msp_id) ?? 0,
      failedEvaluations: failed.get(member.msp_id) ?? 0,
      complianceRate:
        involved === 0 ? 1 : Math.round(((involved - lotsWithViolations) / involved) * 10_000) / 10_000,
    };
  });
}

/** GROUP BY columns: PostgreSQL refuses a constant (the 'none' dimension), so it is left out. */
function groupBy(period: string, key: string | undefined): string {
  return key === undefined ? period : `${period}, ${key}`;
}

async function countBy(reader: SqlRunner, sql: string): Promise<Map<string, number>> {
  const rows = await reader.all<{ msp: string; n: number | null }>(sql);
  return new Map(rows.map((row) => [row.msp, Number(row.n ?? 0)]));
}

function windowFilter(column: string, window: Window): { where: string; params: SqlParam[] } {
  const clauses: string[] = [];
  const params: SqlParam[] = [];
  if (window.from) {
    clauses.push(`${column} >= ?`);
    params.push(window.from);
  }
  if (window.to) {
    clauses.push(`${column} <= ?`);
    params.push(window.to);
  }
  return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}
