/**
 * Labels of a lot, no login (they show only what is printed on the package): GET /api/v1/lots/{lotId}/label.svg
 * and label.png (GS1 Digital Link QR code), barcode.svg and barcode.png (GS1-128).
 */
import { Router } from 'express';
import type { Request, Response } from 'express';
import { ApiError } from '../errors';
import type { Store } from '../store/store';
import { barcodePng, barcodeSvg, qrLabelPng, qrLabelSvg } from './labels';
import type { LabelLot } from './labels';
import { parseTraceCode } from './trace-code';

/** Labels stay the same for a lot's life: cache them for a day. */
const LABEL_CACHE = 'public, max-age=86400';

/** The labels router; mount at the root. */
export function labelsRouter(store: Store, publicBaseUrl: string): Router {
  const router = Router();
  const send =
    (type: 'svg' | 'png', render: (lot: LabelLot) => string | Promise<Buffer>) =>
    async (req: Request, res: Response) => {
      const lot = await labelLot(store, req.params.lotId);
      const body = await render(lot);
      res.setHeader('Cache-Control', LABEL_CACHE);
      res.type(type === 'svg' ? 'image/svg+xml' : 'image/png').send(body);
    };
  router.get(
    '/api/v1/lots/:lotId/label.svg',
    send('svg', (lot) => qrLabelSvg(publicBaseUrl, lot)),
  );
  router.get(
    '/api/v1/lots/:lotId/label.png',
    send('png', (lot) => qrLabelPng(publicBaseUrl, lot)),
  );
  router.get('/api/v1/lots/:lotId/barcode.svg', send('svg', barcodeSvg));
  router.get('/api/v1/lots/:lotId/barcode.png', send('png', barcodePng));
  return router;
}

/** The lot named by the path, from the store: 400 for a malformed ID, 404 for an unknown one. */
async function labelLot(store: Store, raw: unknown): Promise<LabelLot> {
  const parsed = parseTraceCode(typeof raw === 'string' ? raw : '');
  if (!parsed.ok)
    throw new ApiError({ status: 400, code: parsed.problem.code, message: parsed.problem.reason });
  const row = await store.get<{ gtin: string; lot: string; product: string; expiry_date: string | null }>(
    'SELECT gtin, lot, product, expiry_date FROM lots WHERE lot_id = ?',
    [parsed.identity.lotId],
  );
  if (!row) {
    throw new ApiError({
      status: 404,
      code: 'LOT_NOT_FOUND',
      message: `no lot ${parsed.identity.lotId} is recorded on the ledger`,
    });
  }
  return { gtin: row.gtin, lot: row.lot, product: row.product, expiryDate: row.expiry_date };
}
