/** Management API handlers for connection versions (decision 0020): draft, test (the draft or the live version), promote, roll back; the services decide. */
import type { AppContext } from '../../../context.ts';
import { discardConnectionDraft, getConnectionDraft, listConnectionVersions, promoteConnectionDraft, rollBackConnection, saveConnectionDraft } from '../../../sso/connection-drafts.ts';
import { getVendorTest, startVendorDraftTest, startVendorLiveTest } from '../../../setup-links/draft-tests.ts';
import { callerOf } from '../../caller.ts';
import { body, params, query, type Handler } from '../../route-table.ts';

export function draftHandlers(ctx: AppContext) {
  const h = (f: Handler) => f;
  /** `clientID` from the query string or the body, as DELETE /api/v1/sso takes it. */
  const clientIdOf = (req: Parameters<Handler>[0]) => query(req).clientID ?? body(req).clientID;
  return {
    get: h(async (req) => ({ data: await getConnectionDraft(ctx, callerOf(req), clientIdOf(req)) })),
    save: h(async (req, reply) => {
      const { created, draft } = await saveConnectionDraft(ctx, callerOf(req), body(req));
      return reply.code(created ? 201 : 200).send({ data: draft });
    }),
    discard: h(async (req, reply) => {
      await discardConnectionDraft(ctx, callerOf(req), clientIdOf(req));
      return reply.code(204).send();
    }),
    promote: h(async (req) => ({ data: await promoteConnectionDraft(ctx, callerOf(req), body(req)) })),
    rollback: h(async (req) => ({ data: await rollBackConnection(ctx, callerOf(req), body(req)) })),
    versions: h(async (req) => ({ data: await listConnectionVersions(ctx, callerOf(req), clientIdOf(req)) })),
    test: h(async (req, reply) => reply.code(201).send({ data: await startVendorDraftTest(ctx, callerOf(req), body(req).clientID) })),
    testLive: h(async (req, reply) => reply.code(201).send({ data: await startVendorLiveTest(ctx, callerOf(req), body(req).clientID) })),
    testResult: h(async (req) => ({ data: await getVendorTest(ctx, callerOf(req), params(req).testId!) })),
  };
}
