/**
 * The benchmark's baseline chaincode: the least a recording transaction can do on this network. Its one
 * transaction writes one key whose value the caller sends (sized like a life-cycle event record), with no reads,
 * no validation and no event, so that AgriTrace's recording throughput can be reported as a ratio to it. Deployed
 * only on benchmark networks, never beside production data: it writes whatever it is given.
 */
import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';

/** Contract 'baseline': one write of one key. */
@Info({ title: 'BaselineContract', description: 'Writes one key per transaction (benchmark baseline)' })
export class BaselineContract extends Contract {
  constructor() {
    super('baseline');
  }

  /** Stores `value` under the key record~<id>; returns the key. */
  @Transaction()
  @Returns('string')
  async Write(ctx: Context, id: string, value: string): Promise<string> {
    const key = ctx.stub.createCompositeKey('record', [id]);
    await ctx.stub.putState(key, Buffer.from(value, 'utf8'));
    return key;
  }
}

/** The contracts this chaincode serves. */
export const contracts: (typeof Contract)[] = [BaselineContract];
