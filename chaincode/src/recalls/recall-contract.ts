/** Recall and accountability (capability 8): recall a lot and everything made from it, in bounded batches. */
import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { ChaincodeError } from '../shared/errors';
import { RECALL_DEFAULT_BATCH, RECALL_MAX_BATCH } from '../shared/recalls';
import type { RecallRecord, RecallScopeEntry } from '../shared/recalls';
import { emitEvent } from '../lib/events';
import { KEYS } from '../lib/keys';
import { bindOperator } from '../lib/operator';
import { pageRecords, parsePageSize } from '../lib/pagination';
import { toJson } from '../lib/serializer';
import { txInfo } from '../lib/transaction';
import { parseJsonArgument, requireText } from '../lib/validation';
import { assertApprovedMember } from '../members/member-authorization';
import { getLot } from '../lots/lot-store';
import { RecallLotDto } from './recall-dto';
import { runRecallBatch, startRecall } from './recall-engine';
import { getRecall } from './recall-store';
import { LedgerContract } from '../lib/ledger-contract';

/** Contract 'recalls': recalls ordered by a regulator or a lot's producer, with their harm scope. */
@Info({ title: 'RecallContract', description: 'Recall and accountability' })
export class RecallContract extends LedgerContract {
  constructor() {
    super('recalls');
  }

  /**
   * Recalls a lot (an approved regulator, or the lot's producer) and marks the first batch of it and its
   * downstream lots; if lots remain, the recall is 'in_progress' and ContinueRecall marks the next batch. Answers
   * (and emits LotRecalled with) the recall record and the IDs of the lots marked, never their records.
   */
  @Transaction()
  @Returns('string')
  async RecallLot(ctx: Context, recallJson: string, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    const member = await assertApprovedMember(ctx);
    const input = parseJsonArgument(RecallLotDto, recallJson, 'recall');
    const lot = await getLot(ctx, input.lotId);
    const authority =
      member.role === 'regulator' ? 'regulator' : lot.producer === member.mspId ? 'producer' : undefined;
    if (!authority) {
      throw new ChaincodeError('NOT_RECALL_AUTHORITY', 'only a regulator or the lot producer may recall it', {
        lotId: lot.lotId,
        producer: lot.producer,
      });
    }
    if (lot.status === 'recalled') {
      throw new ChaincodeError('LOT_RECALLED', `lot ${lot.lotId} is already recalled`, {
        lotId: lot.lotId,
        recall: lot.recall,
      });
    }
    const reason = requireText(input.reason, 'reason', 1000);
    const batch = await startRecall(
      ctx,
      lot,
      { reason, severity: input.severity, authority, batchSize: input.batchSize ?? RECALL_DEFAULT_BATCH },
      txInfo(ctx),
    );
    emitEvent(ctx, 'LotRecalled', { recall: batch.recall, lots: batch.lots });
    return toJson(batch);
  }

  /** Marks the next batch of an unfinished recall (an approved regulator or the recall's initiator). */
  @Transaction()
  @Returns('string')
  async ContinueRecall(ctx: Context, recallId: string, batchSize: string, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    const member = await assertApprovedMember(ctx);
    const previous = await getRecall(ctx, recallId);
    if (member.role !== 'regulator' && member.mspId !== previous.initiatedBy.mspId) {
      throw new ChaincodeError(
        'NOT_RECALL_AUTHORITY',
        'only a regulator or the initiator continues a recall',
        {
          recallId,
        },
      );
    }
    const size = parsePageSize(batchSize, RECALL_MAX_BATCH, RECALL_DEFAULT_BATCH);
    if (previous.status === 'complete') {
      throw new ChaincodeError('RECALL_COMPLETE', `recall ${recallId} has marked every affected lot`, {
        recallId,
      });
    }
    const batch = await runRecallBatch(ctx, previous, size, txInfo(ctx));
    emitEvent(ctx, 'RecallContinued', { recall: batch.recall, lots: batch.lots });
    return toJson(batch);
  }

  /** The recall record with its scope so far. */
  @Transaction(false)
  @Returns('string')
  async ReadRecall(ctx: Context, recallId: string): Promise<string> {
    return toJson(await getRecall(ctx, recallId));
  }

  /**
   * One page of recalls (in recall ID order) with those still 'in_progress' that the caller's organisation
   * initiated, so that its gateway can resume marking them after a restart. `fetchedCount` counts every recall
   * read; page on with the bookmark until it is ''.
   */
  @Transaction(false)
  @Returns('string')
  async QueryOpenRecalls(ctx: Context, pageSize: string, bookmark: string): Promise<string> {
    const mspId = ctx.clientIdentity.getMSPID();
    const page = await pageRecords<RecallRecord>(
      ctx,
      KEYS.recall,
      [],
      parsePageSize(pageSize),
      bookmark ?? '',
    );
    return toJson({
      ...page,
      records: page.records.filter(
        (recall) => recall.status === 'in_progress' && recall.initiatedBy.mspId === mspId,
      ),
    });
  }

  /** One page of a recall's affected lots, in lot ID order, each with its responsible parties. */
  @Transaction(false)
  @Returns('string')
  async QueryRecallScope(
    ctx: Context,
    recallId: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    await getRecall(ctx, recallId);
    return toJson(
      await pageRecords<RecallScopeEntry>(
        ctx,
        KEYS.recallScope,
        [recallId],
        parsePageSize(pageSize),
        bookmark ?? '',
      ),
    );
  }
}
