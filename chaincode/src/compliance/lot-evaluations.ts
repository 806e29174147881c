/**
 * A lot's evaluation records, oldest first, from the two places they are kept (shared/event-records.ts):
 * complianceEvaluation [lotId, recordTime, eventId] entries (events on several lots, device reading batches,
 * ledgers written before single-lot events kept their own) and the records of the lot's single-lot events under
 * eventByLot [lotId, recordTime, eventId]. Both are in the same key order, so a page is a merge of the two.
 */
import type { Context } from 'fabric-contract-api';
import type { EvaluationRecord } from '../shared/compliance';
import { ChaincodeError } from '../shared/errors';
import { holdsEventRecord, evaluationRecordOf } from '../shared/event-records';
import type { StoredLotEvent } from '../shared/event-records';
import type { Page } from '../shared/records';
import { KEYS } from '../lib/keys';
import { pagePartialKey } from '../lib/pagination';
import type { KeyEntry } from '../lib/pagination';
import { fromBytes } from '../lib/serializer';

/** Where an entry sits in a lot's key order: [recordTime, eventId]. */
type Position = [string, string];

interface Found {
  at: Position;
  record: EvaluationRecord;
}

/**
 * One page of a lot's evaluation records (read-only transactions only). The bookmark is the position of the
 * page's last record: each source resumes after it.
 */
export async function pageLotEvaluations(
  ctx: Context,
  lotId: string,
  pageSize: number,
  bookmark: string,
): Promise<Page<EvaluationRecord>> {
  const after = bookmark === '' ? undefined : decodeBookmark(bookmark);
  const sources = [
    await readAfter(ctx, KEYS.complianceEvaluation, lotId, after, pageSize, (entry) =>
      fromBytes<EvaluationRecord>(entry.value),
    ),
    await readAfter(ctx, KEYS.eventByLot, lotId, after, pageSize, keptEvaluation),
  ];
  // A source with more to read (it found `pageSize` records) is complete only up to its last record: nothing past
  // the lowest such position may be returned yet.
  const [limit] = sources
    .filter((source) => source.more)
    .map((source) => (source.found.at(-1) as Found).at)
    .sort(compare);
  const merged = sources
    .flatMap((source) => source.found)
    .filter((found) => !limit || compare(found.at, limit) <= 0)
    .sort((a, b) => compare(a.at, b.at));
  const page = merged.slice(0, pageSize);
  const more = merged.length > pageSize || sources.some((source) => source.more);
  const last = page.at(-1);
  return {
    records: page.map((found) => found.record),
    bookmark: more && last ? encodeBookmark(last.at) : '',
    fetchedCount: page.length,
  };
}

/**
 * Up to `wanted` records of one source after a position, reading pages of its entries (`pick` gives the record an
 * entry holds, or undefined for an entry that holds none); `more` when entries were left unread.
 */
async function readAfter(
  ctx: Context,
  objectType: string,
  lotId: string,
  after: Position | undefined,
  wanted: number,
  pick: (entry: KeyEntry) => EvaluationRecord | undefined,
): Promise<{ found: Found[]; more: boolean }> {
  // On LevelDB a bookmark is the key to resume at: the smallest key after the position's.
  let bookmark = after ? `${ctx.stub.createCompositeKey(objectType, [lotId, ...after])}\u0000` : '';
  const found: Found[] = [];
  do {
    const page = await pagePartialKey(ctx, objectType, [lotId], wanted, bookmark);
    for (const entry of page.entries) {
      const record = pick(entry);
      if (record) found.push({ at: [entry.attributes[1] ?? '', entry.attributes[2] ?? ''], record });
    }
    bookmark = page.bookmark;
  } while (found.length < wanted && bookmark !== '');
  return { found, more: bookmark !== '' };
}

/** The evaluation kept in a single-lot event's record, if any (marker entries hold none). */
function keptEvaluation(entry: KeyEntry): EvaluationRecord | undefined {
  if (!holdsEventRecord(entry.value)) return undefined;
  const { compliance, ...event } = fromBytes<StoredLotEvent>(entry.value);
  return compliance ? evaluationRecordOf(event, compliance) : undefined;
}

function compare(a: Position, b: Position): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return 0;
}

function encodeBookmark(at: Position): string {
  return Buffer.from(JSON.stringify(at)).toString('base64url');
}

/** The position a bookmark names; INVALID_ARGUMENT if it is not one this query gave. */
function decodeBookmark(bookmark: string): Position {
  let at: unknown;
  try {
    at = JSON.parse(Buffer.from(bookmark, 'base64url').toString('utf8'));
  } catch {
    at = undefined;
  }
  if (!Array.isArray(at) || at.length !== 2 || !at.every((part) => typeof part === 'string' && part !== '')) {
    throw new ChaincodeError('INVALID_ARGUMENT', 'bookmark was not given by this query', { bookmark });
  }
  return at as Position;
}
