/**
 * /api/v1/analytics: regulators' figures as JSON for the portal's charts. Needs a credential, and a gateway of a
 * regulator or inspection body (other members' gateways answer 403).
 */
import { Router } from 'express';
import type { RequestHandler } from 'express';
import type { MemberRole } from '@agritrace/chaincode/dist/shared/members';
import { ApiError } from '../errors';
import { QueryParams } from '../search/query-params';
import type { Store } from '../store/store';
import {
  complianceByMember,
  EVENT_DIMENSIONS,
  eventsPerPeriod,
  LOT_DIMENSIONS,
  lotsPerPeriod,
  openIssues,
  PERIODS,
  recallsWithScope,
} from './analytics-queries';
import type { Period, SeriesPoint, Window } from './analytics-queries';
import type { SqlRunner } from '../store/store';

/** Roles whose gateways serve analytics. */
export const ANALYTICS_ROLES: readonly MemberRole[] = ['regulator', 'inspector'];

/** The analytics router; mount at /api/v1/analytics. */
export function analyticsRouter(store: Store, authenticate: RequestHandler, role: MemberRole): Router {
  const router = Router();
  router.use(authenticate);
  router.use((_req, _res, next) => {
    if (!ANALYTICS_ROLES.includes(role)) {
      throw new ApiError({
        status: 403,
        code: 'NOT_REGULATOR',
        message: `analytics are served by regulators' and inspection bodies' gateways; this gateway's member is a ${role}`,
      });
    }
    next();
  });

  /** A series per period (and dimension) over an optional window: GET ?period=&by=&from=&to=. */
  function seriesRoute<D extends string>(
    path: string,
    dimensions: readonly D[],
    fallback: D,
    series: (reader: SqlRunner, period: Period, by: D, window: Window) => Promise<SeriesPoint[]>,
  ): void {
    router.get(path, async (req, res) => {
      const params = new QueryParams(req, ['period', 'by', 'from', 'to']);
      const period = params.oneOf('period', PERIODS) ?? 'month';
      const by = params.oneOf('by', dimensions) ?? fallback;
      const window = { from: params.date('from'), to: params.date('to') };
      params.done();
      res.json({
        data: { period, by, ...window, series: await store.snapshot((r) => series(r, period, by, window)) },
      });
    });
  }
  seriesRoute('/lots', LOT_DIMENSIONS, 'none', lotsPerPeriod);
  seriesRoute('/events', EVENT_DIMENSIONS, 'none', eventsPerPeriod);

  router.get('/violations', async (req, res) => {
    new QueryParams(req, []).done();
    res.json({ data: await store.snapshot(openIssues) });
  });

  router.get('/recalls', async (req, res) => {
    const params = new QueryParams(req, ['from', 'to']);
    const window = { from: params.date('from'), to: params.date('to') };
    params.done();
    res.json({ data: await store.snapshot((r) => recallsWithScope(r, window)) });
  });

  router.get('/compliance', async (req, res) => {
    new QueryParams(req, []).done();
    res.json({ data: await store.snapshot(complianceByMember) });
  });

  return router;
}
