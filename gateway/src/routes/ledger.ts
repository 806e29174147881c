/**
 * /api/v1/transactions: what the ledger itself records about a transaction (block, validation code, endorsing
 * organisations, time), so that any record's provenance can be checked. Open to all: it reveals no business data.
 */
import { Router } from 'express';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { GatewayError } from '@hyperledger/fabric-gateway';
import { ApiError } from '../errors';
import type { LedgerClient } from '../fabric/contract';

const TX_ID_PATTERN = /^[0-9a-f]{64}$/;

/** The ledger router; mount at /api/v1/transactions. */
export function ledgerRouter(ledger: LedgerClient): Router {
  const router = Router();

  router.get('/:txId', async (req, res) => {
    const txId = req.params.txId;
    if (typeof txId !== 'string' || !TX_ID_PATTERN.test(txId)) {
      throw new ApiError({
        status: 400,
        code: 'INVALID_ARGUMENT',
        message: 'the transaction ID must be 64 lower-case hex characters',
        details: { fields: [{ field: 'txId', messages: ['must be 64 lower-case hex characters'] }] },
      });
    }
    let info;
    try {
      info = await ledger.transaction(txId);
    } catch (err) {
      // qscc answers an unknown ID with an error response (gRPC UNKNOWN through the gateway), not with a code.
      if (err instanceof GatewayError && err.code === GrpcStatus.UNKNOWN) {
        throw new ApiError({
          status: 404,
          code: 'TRANSACTION_NOT_FOUND',
          message: `the ledger of channel ${ledger.channel} has no transaction ${txId}`,
          cause: err,
        });
      }
      throw err;
    }
    res.json({
      data: {
        ...info,
        blockNumber: Number(info.blockNumber),
        timestamp: info.timestamp.toISOString(),
      },
    });
  });

  return router;
}
