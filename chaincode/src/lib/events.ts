/** Emits the transaction's single chaincode event (Fabric keeps only the last setEvent of a transaction). */
import type { Context } from 'fabric-contract-api';
import type { EventName, EventPayloads } from '../shared/events';
import { toBytes } from './serializer';

/** Sets the transaction's chaincode event: a stable name and its payload, serialized deterministically. */
export function emitEvent<N extends EventName>(ctx: Context, name: N, payload: EventPayloads[N]): void {
  ctx.stub.setEvent(name, toBytes(payload));
}
