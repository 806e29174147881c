/**
 * Trace exports for authorised users: GET /api/v1/lots/{lotId}/trace.csv and trace.xlsx?direction=forward|backward
 * (default backward), one row per event per lot with the FSMA 204 key data elements, straight from the store.
 */
import { Router } from 'express';
import type { Request, RequestHandler } from 'express';
import { ApiError } from '../errors';
import { readCheckpoint } from '../follower/checkpoint';
import { parseTraceCode } from '../public/trace-code';
import { QueryParams } from '../search/query-params';
import type { Store } from '../store/store';
import { traceCsv, traceXlsx } from './spreadsheet';
import { traceExport } from './trace-rows';
import type { TraceExport } from './trace-rows';

/** The export router; mount at the root (its routes need a credential). */
export function exportRouter(store: Store, authenticate: RequestHandler): Router {
  const router = Router();
  router.get('/api/v1/lots/:lotId/trace.csv', authenticate, async (req, res) => {
    const { data } = await build(store, req);
    res.setHeader('Content-Disposition', attachment(data, 'csv'));
    res.type('text/csv; charset=utf-8').send(traceCsv(data));
  });
  router.get('/api/v1/lots/:lotId/trace.xlsx', authenticate, async (req, res) => {
    const { data, checkpoint } = await build(store, req);
    res.setHeader('Content-Disposition', attachment(data, 'xlsx'));
    res
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .send(await traceXlsx(data, new Date(), checkpoint));
  });
  return router;
}

async function build(store: Store, req: Request): Promise<{ data: TraceExport; checkpoint: number | null }> {
  const params = new QueryParams(req, ['direction']);
  const direction = params.oneOf('direction', ['forward', 'backward'] as const) ?? 'backward';
  params.done();
  const parsed = parseTraceCode(typeof req.params.lotId === 'string' ? req.params.lotId : '');
  if (!parsed.ok)
    throw new ApiError({ status: 400, code: parsed.problem.code, message: parsed.problem.reason });
  const lotId = parsed.identity.lotId;
  const result = await store.snapshot(async (reader) => ({
    data: await traceExport(reader, lotId, direction),
    checkpoint: await readCheckpoint(reader),
  }));
  if (!result.data) {
    throw new ApiError({
      status: 404,
      code: 'LOT_NOT_FOUND',
      message: `no lot ${lotId} is recorded on the ledger`,
    });
  }
  return { data: result.data, checkpoint: result.checkpoint };
}

function attachment(data: TraceExport, extension: string): string {
  const name = `trace-${data.direction}-${data.lotId.replace(/[^A-Za-z0-9._-]/g, '_')}.${extension}`;
  return `attachment; filename="${name}"`;
}
