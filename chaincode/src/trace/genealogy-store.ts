/**
 * Genealogy links between lots, stored as composite keys in both directions (input→output and output→input) so
 * that forward and backward traces are each a range read per lot, never a scan of the whole state.
 */
import type { Context } from 'fabric-contract-api';
import type { GenealogyLink, TraceDirection } from '../shared/trace';
import { KEYS } from '../lib/keys';
import { scanPartialKey } from '../lib/pagination';
import { fromBytes } from '../lib/serializer';
import { writeState } from '../lib/state';

/** Stores a link under both directions' keys. */
export async function saveLink(ctx: Context, link: GenealogyLink): Promise<void> {
  await writeState(ctx, ctx.stub.createCompositeKey(KEYS.linkForward, [link.input, link.output]), link);
  await writeState(ctx, ctx.stub.createCompositeKey(KEYS.linkBackward, [link.output, link.input]), link);
}

/** Links of a lot in one direction (forward: to outputs; backward: to inputs), at most `limit`, in lot ID order. */
export async function linksOf(
  ctx: Context,
  lotId: string,
  direction: TraceDirection,
  limit: number,
): Promise<{ links: GenealogyLink[]; more: boolean }> {
  const objectType = direction === 'forward' ? KEYS.linkForward : KEYS.linkBackward;
  const { entries, more } = await scanPartialKey(ctx, objectType, [lotId], limit);
  return { links: entries.map((entry) => fromBytes<GenealogyLink>(entry.value)), more };
}

/** The lot a link leads to when followed in a direction. */
export function neighbour(link: GenealogyLink, direction: TraceDirection): string {
  return direction === 'forward' ? link.output : link.input;
}
