/**
 * Compliance decisions and views (capability 9): documents held for lots, a regulator's release or escalation of a
 * lot's violations, the compliance view of a lot and the regulator's list of open violations. Evaluation itself
 * runs inside the lots, transfer and transformation transactions (see evaluation.ts) and in SubmitReadings.
 */
import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { RECALL_CLASS_OF_SEVERITY, RECALL_SEVERITIES, VIOLATION_FILTERS } from '../shared/compliance';
import type { LotCompliance, RecallSeverity, ViolationFilter } from '../shared/compliance';
import { ChaincodeError } from '../shared/errors';
import type { ViolationDecisionPayload } from '../shared/events';
import type { LotRecord } from '../shared/lots';
import { RECALL_DEFAULT_BATCH } from '../shared/recalls';
import { emitEvent } from '../lib/events';
import { bindOperator } from '../lib/operator';
import { parsePageSize } from '../lib/pagination';
import { toJson } from '../lib/serializer';
import { txInfo } from '../lib/transaction';
import type { TxInfo } from '../lib/transaction';
import { parseJsonArgument, requireText } from '../lib/validation';
import { assertApprovedMember, assertRegulator } from '../members/member-authorization';
import { newEvent, quantityOf, saveEvent } from '../lots/event-store';
import { getLot, requireLotId, saveLot } from '../lots/lot-store';
import { startRecall } from '../recalls/recall-engine';
import { ComplianceDocumentDto } from './document.dto';
import { lotDocumentExists, saveLotDocument } from './lot-documents';
import { pageLotEvaluations } from './lot-evaluations';
import { escalateLotViolations, releaseLotViolations } from './violation-decisions';
import { getViolation, pageHeldViolations, violationsOfLot } from './violation-store';
import { LedgerContract } from '../lib/ledger-contract';

/** Most evaluations and violations ReadLotCompliance returns (page the rest with QueryLotEvaluations). */
export const LOT_COMPLIANCE_LIMIT = 100;

/** Contract 'compliance': documents, holds, violations and the compliance view. */
@Info({ title: 'ComplianceContract', description: 'Compliance documents, holds and violations' })
export class ComplianceContract extends LedgerContract {
  constructor() {
    super('compliance');
  }

  /**
   * Records a certificate or report for a lot (approved members): {docType, id, issuedAt, validUntil?, outcome?}.
   * The caller's organisation is the issuer, so rules can accept only documents from inspectors or regulators.
   */
  @Transaction()
  @Returns('string')
  async RecordDocument(ctx: Context, lotId: string, documentJson: string, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    const member = await assertApprovedMember(ctx);
    const dto = parseJsonArgument(ComplianceDocumentDto, documentJson, 'document');
    const lot = await getLot(ctx, lotId);
    if (await lotDocumentExists(ctx, lot.lotId, dto.docType, dto.id)) {
      throw new ChaincodeError('DOCUMENT_EXISTS', `lot ${lot.lotId} already holds ${dto.docType} ${dto.id}`, {
        lotId: lot.lotId,
        docType: dto.docType,
        id: dto.id,
      });
    }
    const document = {
      docType: dto.docType,
      id: dto.id,
      issuedAt: dto.issuedAt,
      validUntil: dto.validUntil,
      outcome: dto.outcome,
      issuerMsp: member.mspId,
    };
    const record = await saveLotDocument(ctx, lot.lotId, document, txInfo(ctx));
    emitEvent(ctx, 'DocumentRecorded', { lotId: lot.lotId, document });
    return toJson(record);
  }

  /**
   * Releases every violation holding a lot, with a reason (approved regulators only); the lot becomes active again
   * if compliance held it (for violations or a non-conformant inspection) and no violation is left. A hold placed
   * by hand with HoldLot stays: ReleaseLot lifts it. Returns {lot, violations}.
   */
  @Transaction()
  @Returns('string')
  async ReleaseHold(ctx: Context, lotId: string, reason: string, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    await assertRegulator(ctx);
    const why = requireText(reason, 'reason', 500);
    const previous = await getLot(ctx, lotId);
    const tx = txInfo(ctx);
    const { violations, lot } = await releaseLotViolations(ctx, previous, why, tx);
    if (violations.length === 0 && lot === previous) throw noOpenViolations(previous.lotId);
    if (lot !== previous) {
      await saveLot(ctx, lot, previous);
      await saveEvent(ctx, releaseEvent(tx, lot, why));
    }
    emitEvent(ctx, 'HoldReleased', { lotId: lot.lotId, violations, lotStatus: lot.status });
    return toJson({ lot, violations });
  }

  /**
   * Escalates a lot's open violations to a recall (approved regulators only), in the same transaction: a recall of
   * the lot and everything made from it starts, on the regulator's authority, with the escalation's reason and the
   * class of its level (level_1 → I, level_2 → II, level_3 → III), and its first batch marks the lot recalled
   * (ContinueRecall marks the rest, like any recall). The violations are marked escalated, naming the recall. A lot
   * already recalled joins no second recall: its violations name the recall that holds it. Returns
   * {lotId, violations, lotStatus, recall?, lots?}.
   */
  @Transaction()
  @Returns('string')
  async EscalateToRecall(
    ctx: Context,
    lotId: string,
    reason: string,
    severity: string,
    operator: string,
  ): Promise<string> {
    bindOperator(ctx, operator);
    await assertRegulator(ctx);
    const why = requireText(reason, 'reason', 500);
    if (!(RECALL_SEVERITIES as readonly string[]).includes(severity)) {
      throw new ChaincodeError(
        'INVALID_ARGUMENT',
        `severity must be one of ${RECALL_SEVERITIES.join(', ')}`,
        {
          severity,
        },
      );
    }
    const level = severity as RecallSeverity;
    const lot = await getLot(ctx, lotId);
    const tx = txInfo(ctx);
    const joined = lot.status === 'recalled' ? lot.recall?.recallId : undefined;
    const violations = await escalateLotViolations(ctx, lot, why, level, joined ?? tx.txId, tx);
    if (violations.length === 0) throw noOpenViolations(lot.lotId);
    let result: ViolationDecisionPayload = { lotId: lot.lotId, violations, lotStatus: lot.status };
    if (joined === undefined) {
      // Violations are not lots: the recall reads and marks the lot as committed, so nothing is overwritten.
      const order = {
        reason: why,
        severity: RECALL_CLASS_OF_SEVERITY[level],
        authority: 'regulator' as const,
        batchSize: RECALL_DEFAULT_BATCH,
      };
      const { recall, lots } = await startRecall(ctx, lot, order, tx);
      result = { ...result, lotStatus: 'recalled', recall, lots };
    }
    emitEvent(ctx, 'ViolationsEscalated', result);
    return toJson(result);
  }

  /** The compliance view of a lot: every rule evaluated (oldest first) and its violations (bounded lists). */
  @Transaction(false)
  @Returns('string')
  async ReadLotCompliance(ctx: Context, lotId: string): Promise<string> {
    const id = requireLotId(lotId);
    const page = await pageLotEvaluations(ctx, id, LOT_COMPLIANCE_LIMIT, '');
    const { violations, more: moreViolations } = await violationsOfLot(ctx, id, LOT_COMPLIANCE_LIMIT);
    const view: LotCompliance = {
      lotId: id,
      evaluations: page.records,
      violations,
      moreEvaluations: page.bookmark !== '',
      moreViolations,
    };
    return toJson(view);
  }

  /** One page of a lot's evaluation records, oldest first. */
  @Transaction(false)
  @Returns('string')
  async QueryLotEvaluations(
    ctx: Context,
    lotId: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    return toJson(
      await pageLotEvaluations(ctx, requireLotId(lotId), parsePageSize(pageSize), bookmark ?? ''),
    );
  }

  /**
   * One page of violations still holding lots, oldest first (approved regulators only): by '' (all), 'member'
   * (MSP ID), 'region' (GB/T 2260 code) or 'rule' ('ruleSetId' or 'ruleSetId/ruleId').
   */
  @Transaction(false)
  @Returns('string')
  async QueryOpenViolations(
    ctx: Context,
    by: string,
    value: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    await assertRegulator(ctx);
    if (!(VIOLATION_FILTERS as readonly string[]).includes(by)) {
      throw new ChaincodeError('INVALID_ARGUMENT', `by must be '' or one of member, region, rule`, { by });
    }
    const filter = by as ViolationFilter;
    const key = filter === '' ? '' : requireText(value, 'value', 200);
    return toJson(await pageHeldViolations(ctx, filter, key, parsePageSize(pageSize), bookmark ?? ''));
  }

  /** One violation. */
  @Transaction(false)
  @Returns('string')
  async ReadViolation(ctx: Context, id: string): Promise<string> {
    return toJson(await getViolation(ctx, requireText(id, 'id', 200)));
  }
}

/** The life-cycle event recording a lot's release, as the lots contract records a regulator's release. */
function releaseEvent(tx: TxInfo, lot: LotRecord, note: string) {
  return newEvent(tx, {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'inspecting',
    disposition: 'conformant',
    stage: 'inspection',
    quantityList: [quantityOf(lot, lot.remaining)],
    note,
  });
}

/** NO_OPEN_VIOLATIONS for a lot. */
function noOpenViolations(lotId: string): ChaincodeError {
  return new ChaincodeError('NO_OPEN_VIOLATIONS', `lot ${lotId} has no open violations`, { lotId });
}
