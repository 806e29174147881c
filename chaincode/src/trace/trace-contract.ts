/** Forward and reverse trace (capability 7): every lot up- or downstream of a lot, multi-hop, in one call per page. */
import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { TRACE_DEFAULT_PAGE_SIZE, TRACE_MAX_PAGE_SIZE } from '../shared/trace';
import type { TraceDirection } from '../shared/trace';
import { parsePageSize } from '../lib/pagination';
import { toJson } from '../lib/serializer';
import { parseMaxLots, tracePage } from './trace-engine';
import { LedgerContract } from '../lib/ledger-contract';

/** Contract 'trace': read-only forward and backward traces over the lot genealogy. */
@Info({ title: 'TraceContract', description: 'Forward and backward trace' })
export class TraceContract extends LedgerContract {
  constructor() {
    super('trace');
  }

  /** Every lot made from this lot, hop by hop, with custodians, producers, links and events. */
  @Transaction(false)
  @Returns('string')
  async TraceForward(
    ctx: Context,
    lotId: string,
    maxLots: string,
    pageSize: string,
    cursor: string,
  ): Promise<string> {
    return trace(ctx, 'forward', lotId, maxLots, pageSize, cursor);
  }

  /** Every lot this lot was made from, back to the farms, with custodians, producers, links and events. */
  @Transaction(false)
  @Returns('string')
  async TraceBackward(
    ctx: Context,
    lotId: string,
    maxLots: string,
    pageSize: string,
    cursor: string,
  ): Promise<string> {
    return trace(ctx, 'backward', lotId, maxLots, pageSize, cursor);
  }
}

/** Parses the arguments and returns one trace page as JSON. */
async function trace(
  ctx: Context,
  direction: TraceDirection,
  lotId: string,
  maxLots: string,
  pageSize: string,
  cursor: string,
): Promise<string> {
  const size = parsePageSize(pageSize, TRACE_MAX_PAGE_SIZE, TRACE_DEFAULT_PAGE_SIZE);
  return toJson(await tracePage(ctx, lotId, direction, parseMaxLots(maxLots), size, cursor ?? ''));
}
