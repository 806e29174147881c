/**
 * /api/v1/members: the alliance's member registry. Every route needs a credential (writes are signed with this
 * gateway's organisation identity; reads are open to members only).
 */
import { Router } from 'express';
import type { Request, RequestHandler } from 'express';
import type { MemberRecord } from '@agritrace/chaincode/dist/shared/members';
import type { Page } from '@agritrace/chaincode/dist/shared/records';
import { DEFAULT_PAGE_SIZE } from '@agritrace/chaincode/dist/shared/records';
import { DecisionDto, MemberParticularsDto, MSP_ID_PATTERN, QueryMembersDto } from '../dto/members';
import { ApiError } from '../errors';
import type { LedgerClient } from '../fabric/contract';
import { parseDto } from '../validation';
import { sendCommitted } from './respond';

/** Regulator decisions: route verb → chaincode transaction. */
const DECISIONS = {
  approve: 'ApproveMember',
  suspend: 'SuspendMember',
  revoke: 'RevokeMember',
} as const;

/** The member registry router; mount at /api/v1/members. */
export function membersRouter(ledger: LedgerClient, authenticate: RequestHandler): Router {
  const router = Router();
  router.use(authenticate);

  // Register this gateway's own organisation (or update its pending application).
  router.post('/', async (req, res) => {
    const particulars = await parseDto(MemberParticularsDto, req.body, 'body');
    const committed = await ledger.submit<MemberRecord>(
      'members',
      'RegisterMember',
      [JSON.stringify(particulars)],
      {
        operator: req.principal?.user,
      },
    );
    const member = committed.result;
    const created = member?.history.at(-1)?.action !== 'updated';
    if (member?.mspId) res.location(`/api/v1/members/${encodeURIComponent(member.mspId)}`);
    sendCommitted(res, created ? 201 : 200, committed);
  });

  router.get('/', async (req, res) => {
    const query = await parseDto(QueryMembersDto, req.query, 'query');
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    const page = await ledger.evaluate<Page<MemberRecord>>('members', 'QueryMembers', [
      query.status ?? '',
      String(pageSize),
      query.bookmark ?? '',
    ]);
    res.json({
      data: page.records,
      page: { bookmark: page.bookmark, fetchedCount: page.fetchedCount, pageSize },
    });
  });

  router.get('/:mspId', async (req, res) => {
    const member = await ledger.evaluate<MemberRecord>('members', 'ReadMember', [mspIdParam(req)]);
    res.json({ data: member });
  });

  for (const [verb, transaction] of Object.entries(DECISIONS)) {
    router.post(`/:mspId/${verb}`, async (req, res) => {
      const mspId = mspIdParam(req);
      const { reason } = await parseDto(DecisionDto, req.body, 'body');
      const committed = await ledger.submit<MemberRecord>('members', transaction, [mspId, reason], {
        operator: req.principal?.user,
      });
      sendCommitted(res, 200, committed);
    });
  }

  return router;
}

/** The :mspId path parameter, refused with 400 unless it is a well-formed MSP ID. */
function mspIdParam(req: Request): string {
  const mspId = req.params.mspId;
  if (typeof mspId !== 'string' || !MSP_ID_PATTERN.test(mspId)) {
    throw new ApiError({
      status: 400,
      code: 'INVALID_ARGUMENT',
      message: 'the path parameter mspId is not a valid MSP ID',
      details: { fields: [{ field: 'mspId', messages: ['must be an MSP ID such as CoopMSP'] }] },
    });
  }
  return mspId;
}
