/**
 * Lot search for call-centre staff and members: by partial trace code, GTIN or product name, producer (MSP ID or
 * part of its name), origin region (GB/T 2260 prefix), creation date range, status and category; newest first,
 * paginated. Each filter is a column with an index, except the free-text match on the lower-cased search text.
 */
import { containsPattern, prefixPattern } from '../store/sql';
import type { SqlParam, SqlRunner } from '../store/store';
import type { LotHit } from './lot-hit';

export type { LotHit } from './lot-hit';

/** The filters of a search; all optional. */
export interface LotSearch {
  readonly q?: string;
  readonly producer?: string;
  readonly region?: string;
  /** Created on or after this day (YYYY-MM-DD). */
  readonly from?: string;
  /** Created on or before this day (YYYY-MM-DD). */
  readonly to?: string;
  readonly status?: string;
  readonly category?: string;
  readonly custodian?: string;
  /** 1-based. */
  readonly page: number;
  readonly pageSize: number;
}

/** A page of hits. */
export interface LotSearchPage {
  hits: LotHit[];
  total: number;
}

interface HitRow {
  lot_id: string;
  gtin: string;
  lot: string;
  product: string;
  category: string;
  status: string;
  quantity: number;
  remaining: number;
  unit: string;
  producer: string;
  producer_name: string | null;
  custodian: string;
  custodian_name: string | null;
  origin_region: string | null;
  created_at: string;
  element_string: string | null;
  recall_id: string | null;
  tx_id: string;
  block_number: number;
}

/**
 * A lot's status as search shows it: 'recalled' once the ledger marked it, and also while it is in the reach of a
 * recall (recall_reach, derived from the ledger's genealogy) that the ledger has not finished marking.
 */
const IN_REACH = 'EXISTS (SELECT 1 FROM recall_reach r WHERE r.lot_id = l.lot_id)';
const LOT_STATUS = `CASE WHEN l.status <> 'recalled' AND ${IN_REACH} THEN 'recalled' ELSE l.status END`;

/** The recall of a lot: the ledger's mark, else the recall whose reach holds it. */
const LOT_RECALL_ID = `COALESCE(l.recall_id, (SELECT MIN(r.recall_id) FROM recall_reach r WHERE r.lot_id = l.lot_id))`;

/** Runs a search. */
export async function searchLots(reader: SqlRunner, search: LotSearch): Promise<LotSearchPage> {
  const where: string[] = [];
  const params: SqlParam[] = [];
  if (search.q) {
    // The search text holds lot ID, GTIN, batch/lot, serial, product, category and element string, lower-cased.
    where.push(`l.search_text LIKE ? ESCAPE '\\'`);
    params.push(containsPattern(search.q.toLowerCase()));
  }
  if (search.producer) {
    where.push(
      `(l.producer = ? OR l.producer IN (SELECT msp_id FROM members WHERE LOWER(name) LIKE ? ESCAPE '\\'))`,
    );
    params.push(search.producer, containsPattern(search.producer.toLowerCase()));
  }
  if (search.custodian) {
    where.push('l.custodian = ?');
    params.push(search.custodian);
  }
  if (search.region) {
    where.push(`l.origin_region LIKE ? ESCAPE '\\'`);
    params.push(prefixPattern(search.region));
  }
  if (search.from) {
    where.push('l.created_day >= ?');
    params.push(search.from);
  }
  if (search.to) {
    where.push('l.created_day <= ?');
    params.push(search.to);
  }
  if (search.status) {
    // A lot in a recall's reach counts as recalled before the ledger has marked it (see LOT_STATUS).
    if (search.status === 'recalled') {
      where.push(`(l.status = 'recalled' OR ${IN_REACH})`);
    } else {
      where.push(`l.status = ? AND NOT ${IN_REACH}`);
      params.push(search.status);
    }
  }
  if (search.category) {
    where.push(`(l.category = ? OR l.category LIKE ? ESCAPE '\\')`);
    params.push(search.category, prefixPattern(`${search.category}/`));
  }
  const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = await reader.get<{ total: number }>(`SELECT COUNT(*) AS total FROM lots l ${filter}`, params);
  const rows = await reader.all<HitRow>(
    `SELECT l.lot_id, l.gtin, l.lot, l.product, l.category, ${LOT_STATUS} AS status, l.quantity, l.remaining,
       l.unit, l.producer, p.name AS producer_name, l.custodian, c.name AS custodian_name, l.origin_region,
       l.created_at, l.element_string, ${LOT_RECALL_ID} AS recall_id, l.tx_id, l.block_number
     FROM lots l
     LEFT JOIN members p ON p.msp_id = l.producer
     LEFT JOIN members c ON c.msp_id = l.custodian
     ${filter}
     ORDER BY l.created_at DESC, l.lot_id
     LIMIT ? OFFSET ?`,
    [...params, search.pageSize, (search.page - 1) * search.pageSize],
  );
  return {
    total: Number(total?.total ?? 0),
    hits: rows.map((row) => ({
      lotId: row.lot_id,
      gtin: row.gtin,
      lot: row.lot,
      product: row.product,
      category: row.category,
      status: row.status,
      quantity: Number(row.quantity),
      remaining: Number(row.remaining),
      unit: row.unit,
      producer: { mspId: row.producer, name: row.producer_name },
      custodian: { mspId: row.custodian, name: row.custodian_name },
      originRegion: row.origin_region,
      createdAt: row.created_at,
      elementString: row.element_string,
      recallId: row.recall_id,
      lastChange: { txId: row.tx_id, blockNumber: Number(row.block_number) },
    })),
  };
}
