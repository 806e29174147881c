/**
 * Violation records and their indexes. A violation that still holds its lot (open or escalated) is indexed by
 * time, lot, responsible member, region and rule, so a regulator's query is a bounded range under one partial key;
 * a release removes those entries. Every violation also stays listed under its lot for the compliance view.
 */
import { createHash } from 'crypto';
import type { Context } from 'fabric-contract-api';
import type {
  ComplianceEvent,
  ComplianceLot,
  Evaluation,
  Violation,
  ViolationFilter,
} from '../shared/compliance';
import { ChaincodeError } from '../shared/errors';
import type { Page } from '../shared/records';
import { KEYS } from '../lib/keys';
import { pagePartialKey, scanPartialKey } from '../lib/pagination';
import { deleteIndex, readState, writeIndex, writeState } from '../lib/state';
import { newMeta } from '../lib/transaction';
import type { TxInfo } from '../lib/transaction';
import { findMember } from '../members/member-store';
import { responsibleParty } from './engine';

/** Region recorded when the responsible member has none on record (it always should). */
const UNKNOWN_REGION = 'unknown';

/** World-state key of a violation. */
export function violationKey(ctx: Context, id: string): string {
  return ctx.stub.createCompositeKey(KEYS.violation, [id]);
}

/** The violation, or VIOLATION_NOT_FOUND. */
export async function getViolation(ctx: Context, id: string): Promise<Violation> {
  const violation = await readState<Violation>(ctx, violationKey(ctx, id));
  if (!violation) throw new ChaincodeError('VIOLATION_NOT_FOUND', `violation ${id} does not exist`, { id });
  return violation;
}

/**
 * A violation ID from the transaction: unique even when one transaction records violations on several lots or
 * events (a transformation), and the same on every endorsing peer.
 */
export function violationId(txId: string, lotId: string, eventId: string, index: number): string {
  const scope = createHash('sha256').update(`${lotId}\u0000${eventId}`).digest('hex').slice(0, 8);
  return `${txId}-${scope}-${String(index).padStart(3, '0')}`;
}

/** Records one violation per failed evaluation, with its indexes. */
export async function createViolations(
  ctx: Context,
  lot: ComplianceLot,
  failures: readonly Evaluation[],
  event: ComplianceEvent,
  tx: TxInfo,
): Promise<Violation[]> {
  const regions = new Map<string, string>();
  const violations: Violation[] = [];
  for (const [index, evaluation] of failures.entries()) {
    const responsible = responsibleParty(evaluation.kind, lot, event);
    let region = regions.get(responsible.mspId);
    if (region === undefined) {
      region = (await findMember(ctx, responsible.mspId))?.region ?? UNKNOWN_REGION;
      regions.set(responsible.mspId, region);
    }
    const violation: Violation = {
      ...newMeta(tx),
      docType: 'violation',
      id: violationId(tx.txId, lot.lotId, event.id, index),
      lotId: lot.lotId,
      ruleSetId: evaluation.ruleSetId,
      version: evaluation.ruleSetVersion,
      ruleId: evaluation.ruleId,
      kind: evaluation.kind,
      measured: evaluation.measured ?? null,
      limit: evaluation.limit ?? null,
      unit: evaluation.unit ?? null,
      message: evaluation.message,
      eventId: event.id,
      responsibleMsp: responsible.mspId,
      responsibleActor: responsible.actorId,
      responsibleOperator: responsible.operator,
      region,
      detectedAt: tx.timestamp,
      status: 'open',
    };
    await writeState(ctx, violationKey(ctx, violation.id), violation);
    await writeIndex(ctx, KEYS.violationByLot, [violation.lotId, violation.id]);
    for (const [objectType, attributes] of openIndexEntries(violation)) {
      await writeIndex(ctx, objectType, attributes);
    }
    violations.push(violation);
  }
  return violations;
}

/** Stores a decided violation; a released one leaves the open indexes (an escalated one still holds its lot). */
export async function saveViolation(ctx: Context, violation: Violation): Promise<void> {
  await writeState(ctx, violationKey(ctx, violation.id), violation);
  if (violation.status === 'released') {
    for (const [objectType, attributes] of openIndexEntries(violation)) {
      await deleteIndex(ctx, objectType, attributes);
    }
  }
}

/** Up to `limit` violations still holding a lot (open or escalated), oldest first, and whether there are more. */
export async function heldViolationsOfLot(
  ctx: Context,
  lotId: string,
  limit: number,
): Promise<{ violations: Violation[]; more: boolean }> {
  const { entries, more } = await scanPartialKey(ctx, KEYS.openViolationByLot, [lotId], limit);
  const violations: Violation[] = [];
  for (const entry of entries) violations.push(await getViolation(ctx, entry.attributes[2] ?? ''));
  return { violations, more };
}

/** Up to `limit` of every violation of a lot, and whether there are more. */
export async function violationsOfLot(
  ctx: Context,
  lotId: string,
  limit: number,
): Promise<{ violations: Violation[]; more: boolean }> {
  const { entries, more } = await scanPartialKey(ctx, KEYS.violationByLot, [lotId], limit);
  const violations: Violation[] = [];
  for (const entry of entries) violations.push(await getViolation(ctx, entry.attributes[1] ?? ''));
  violations.sort((a, b) => (a.detectedAt < b.detectedAt ? -1 : a.detectedAt > b.detectedAt ? 1 : 0));
  return { violations, more };
}

/**
 * One page of violations still holding lots, oldest first: all of them, or those of one member, region or rule
 * ('ruleSetId' or 'ruleSetId/ruleId'). Read-only transactions only.
 */
export async function pageHeldViolations(
  ctx: Context,
  filter: ViolationFilter,
  value: string,
  pageSize: number,
  bookmark: string,
): Promise<Page<Violation>> {
  const [objectType, prefix] = filterRange(filter, value);
  const page = await pagePartialKey(ctx, objectType, prefix, pageSize, bookmark);
  const records: Violation[] = [];
  for (const entry of page.entries) {
    records.push(await getViolation(ctx, entry.attributes[entry.attributes.length - 1] ?? ''));
  }
  return { records, bookmark: page.bookmark, fetchedCount: page.fetchedCount };
}

/** The index and partial key a filter reads. */
function filterRange(filter: ViolationFilter, value: string): [string, string[]] {
  switch (filter) {
    case '':
      return [KEYS.openViolation, []];
    case 'member':
      return [KEYS.openViolationByMember, [value]];
    case 'region':
      return [KEYS.openViolationByRegion, [value]];
    case 'rule':
      return [KEYS.openViolationByRule, value.split('/').slice(0, 2)];
  }
}

/** The open-index entries of a violation: [objectType, attributes], time-ordered within each partial key. */
function openIndexEntries(violation: Violation): [string, string[]][] {
  const { id, detectedAt } = violation;
  return [
    [KEYS.openViolation, [detectedAt, id]],
    [KEYS.openViolationByLot, [violation.lotId, detectedAt, id]],
    [KEYS.openViolationByMember, [violation.responsibleMsp, detectedAt, id]],
    [KEYS.openViolationByRegion, [violation.region, detectedAt, id]],
    [KEYS.openViolationByRule, [violation.ruleSetId, violation.ruleId, detectedAt, id]],
  ];
}
