/**
 * The base of every contract of this chaincode: a transaction's writes are deferred while its function runs and
 * reach the peer in one message when it returns (see peer-batch.ts). A function that throws writes nothing.
 */
import { Contract } from 'fabric-contract-api';
import type { Context } from 'fabric-contract-api';
import { deferWrites, flushWrites } from './peer-batch';

export abstract class LedgerContract extends Contract {
  override async beforeTransaction(ctx: Context): Promise<void> {
    deferWrites(ctx);
  }

  override async afterTransaction(ctx: Context, _result: unknown): Promise<void> {
    await flushWrites(ctx);
  }
}
