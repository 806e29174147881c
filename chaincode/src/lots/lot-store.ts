/** Reads and writes lot records, keeping the custodian index in step and the lot key pinned to its custodian. */
import type { Context } from 'fabric-contract-api';
import { ChaincodeError } from '../shared/errors';
import { gtinProblem, lotNumberProblem } from '../shared/gs1';
import type { LotRecord } from '../shared/lots';
import { pinKeyToOrg } from '../lib/endorsement';
import { KEYS } from '../lib/keys';
import { deleteIndex, readState, writeIndex, writeState } from '../lib/state';

/** World-state key of a lot record. */
export function lotKey(ctx: Context, lotId: string): string {
  return ctx.stub.createCompositeKey(KEYS.lot, [lotId]);
}

/** Refuses a malformed lot ID ("<GTIN-14>:<batch/lot>") with the code of what is wrong; returns it. */
export function requireLotId(lotId: string, argument = 'lotId'): string {
  if (typeof lotId !== 'string' || lotId.charAt(14) !== ':') {
    throw new ChaincodeError('INVALID_ARGUMENT', `${argument} must be "<GTIN-14>:<batch/lot>"`, {
      [argument]: lotId,
    });
  }
  const problem = gtinProblem(lotId.slice(0, 14)) ?? lotNumberProblem(lotId.slice(15));
  if (problem)
    throw new ChaincodeError(problem.code, `${argument}: ${problem.message}`, { [argument]: lotId });
  return lotId;
}

/** The lot record, or undefined if no such lot. */
export async function findLot(ctx: Context, lotId: string): Promise<LotRecord | undefined> {
  return readState<LotRecord>(ctx, lotKey(ctx, lotId));
}

/** The lot record; LOT_NOT_FOUND if there is none. */
export async function getLot(ctx: Context, lotId: string): Promise<LotRecord> {
  const lot = await findLot(ctx, requireLotId(lotId));
  if (!lot) throw new ChaincodeError('LOT_NOT_FOUND', `lot ${lotId} does not exist`, { lotId });
  return lot;
}

/**
 * Stores a lot. When it is new or changes custodian, its custodian index entry moves and its key is pinned to the
 * new custodian's organisation, so that the previous custodian's peer can no longer change it.
 */
export async function saveLot(ctx: Context, lot: LotRecord, previous?: LotRecord): Promise<void> {
  const key = lotKey(ctx, lot.lotId);
  await writeState(ctx, key, lot);
  if (!previous || previous.custodian !== lot.custodian) {
    if (previous) await deleteIndex(ctx, KEYS.lotByCustodian, [previous.custodian, lot.lotId]);
    await writeIndex(ctx, KEYS.lotByCustodian, [lot.custodian, lot.lotId]);
    await pinKeyToOrg(ctx, key, lot.custodian);
  }
}
