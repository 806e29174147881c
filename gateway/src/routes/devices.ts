/**
 * /api/v1/devices: IoT devices registered with their public keys, and the signed reading batches they send.
 * A batch is forwarded as signed by the device: the chaincode verifies the signature against the registered key.
 */
import { Router } from 'express';
import type { RequestHandler } from 'express';
import type { LedgerClient } from '../fabric/contract';
import { bodyString, jsonBodyArg, pageArgs, pathParam, queryString } from './args';
import { pagedWithBlocks, type Page } from './lots';
import { withBlocks, type ProvenanceIndex } from './provenance';
import { sendCommitted } from './respond';

/** The devices router; mount at /api/v1/devices. */
export function devicesRouter(
  ledger: LedgerClient,
  authenticate: RequestHandler,
  provenance: ProvenanceIndex,
): Router {
  const router = Router();
  router.use(authenticate);

  router.post('/', async (req, res) => {
    const committed = await ledger.submit<{ deviceId: string }>(
      'devices',
      'RegisterDevice',
      [jsonBodyArg(req)],
      {
        operator: req.principal?.user,
      },
    );
    res.location(`/api/v1/devices/${encodeURIComponent(committed.result.deviceId)}`);
    sendCommitted(res, 201, committed);
  });

  router.get('/', async (req, res) => {
    const page = await ledger.evaluate<Page>('devices', 'QueryDevices', [
      queryString(req, 'owner'),
      ...pageArgs(req),
    ]);
    res.json(await pagedWithBlocks(page, provenance));
  });

  router.get('/:deviceId', async (req, res) => {
    const device = await ledger.evaluate<Record<string, unknown>>('devices', 'ReadDevice', [
      pathParam(req, 'deviceId'),
    ]);
    res.json({ data: (await withBlocks([device], provenance))[0] });
  });

  router.post('/:deviceId/attach', async (req, res) => {
    const args = [pathParam(req, 'deviceId'), jsonBodyArg(req)];
    sendCommitted(
      res,
      200,
      await ledger.submit('devices', 'AttachDevice', args, { operator: req.principal?.user }),
    );
  });

  router.post('/:deviceId/retire', async (req, res) => {
    const args = [pathParam(req, 'deviceId'), bodyString(req, 'reason')];
    sendCommitted(
      res,
      200,
      await ledger.submit('devices', 'RetireDevice', args, { operator: req.principal?.user }),
    );
  });

  router.post('/:deviceId/readings', async (req, res) => {
    const arg = jsonBodyArg(req, { deviceId: pathParam(req, 'deviceId') });
    sendCommitted(
      res,
      201,
      await ledger.submit('devices', 'SubmitReadings', [arg], { operator: req.principal?.user }),
    );
  });

  router.get('/:deviceId/readings', async (req, res) => {
    const page = await ledger.evaluate<Page>('devices', 'QueryDeviceReadings', [
      pathParam(req, 'deviceId'),
      ...pageArgs(req),
    ]);
    res.json(await pagedWithBlocks(page, provenance));
  });

  return router;
}
