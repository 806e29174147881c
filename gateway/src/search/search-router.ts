/** GET /api/v1/search/lots: lot search for authorised users (the gateway's API tokens). */
import { Router } from 'express';
import type { RequestHandler } from 'express';
import { LOT_STATUSES } from '@agritrace/chaincode/dist/shared/lots';
import type { Store } from '../store/store';
import { QueryParams } from './query-params';
import { searchLots } from './search-lots';

/** Largest page. */
export const SEARCH_MAX_PAGE_SIZE = 100;

/** The search router; mount at /api/v1/search. */
export function searchRouter(store: Store, authenticate: RequestHandler): Router {
  const router = Router();
  router.use(authenticate);
  router.get('/lots', async (req, res) => {
    const params = new QueryParams(req, [
      'q', 'producer', 'custodian', 'region', 'from', 'to', 'status', 'category', 'page', 'pageSize',
    ]); // prettier-ignore
    const search = {
      q: params.text('q', 200),
      producer: params.text('producer', 200),
      custodian: params.text('custodian', 128),
      region: params.text('region', 6),
      from: params.date('from'),
      to: params.date('to'),
      status: params.oneOf('status', LOT_STATUSES),
      category: params.text('category', 200),
      page: params.integer('page', 1, 100_000, 1),
      pageSize: params.integer('pageSize', 1, SEARCH_MAX_PAGE_SIZE, 20),
    };
    params.done();
    const result = await searchLots(store, search);
    res.json({
      data: result.hits,
      page: {
        page: search.page,
        pageSize: search.pageSize,
        total: result.total,
        hasMore: search.page * search.pageSize < result.total,
      },
    });
  });
  return router;
}
