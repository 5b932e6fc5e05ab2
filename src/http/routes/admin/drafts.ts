/** Admin API handlers of the connection page's draft panel (decision 0020) and its Test connection (decision 0022), through the same services as the management API. */
import type { AppContext } from '../../../context.ts';
import { discardConnectionDraft, getConnectionDraft, listConnectionVersions, promoteConnectionDraft, rollBackConnection, saveConnectionDraft } from '../../../sso/connection-drafts.ts';
import { getVendorTest, startVendorDraftTest, startVendorLiveTest } from '../../../setup-links/draft-tests.ts';
import { callerOf } from '../../caller.ts';
import { body, params as P, type Handler } from '../../route-table.ts';

export function adminDraftHandlers(ctx: AppContext) {
  const h = (f: Handler) => f;
  return {
    get: h(async (req) => ({ data: await getConnectionDraft(ctx, callerOf(req), P(req).clientID) })),
    save: h(async (req, reply) => {
      // The portal never checks the app's client secret: a signed-in admin needs no proof of it.
      const { clientSecret: _s, ...rest } = body(req);
      const { created, draft } = await saveConnectionDraft(ctx, callerOf(req), { ...rest, clientID: P(req).clientID });
      return reply.code(created ? 201 : 200).send({ data: draft });
    }),
    discard: h(async (req, reply) => {
      await discardConnectionDraft(ctx, callerOf(req), P(req).clientID);
      return reply.code(204).send();
    }),
    promote: h(async (req) => ({ data: await promoteConnectionDraft(ctx, callerOf(req), { version: body(req).version, clientID: P(req).clientID }) })),
    rollback: h(async (req) => ({ data: await rollBackConnection(ctx, callerOf(req), { clientID: P(req).clientID }) })),
    versions: h(async (req) => ({ data: await listConnectionVersions(ctx, callerOf(req), P(req).clientID) })),
    test: h(async (req, reply) => reply.code(201).send({ data: await startVendorDraftTest(ctx, callerOf(req), P(req).clientID) })),
    testLive: h(async (req, reply) => reply.code(201).send({ data: await startVendorLiveTest(ctx, callerOf(req), P(req).clientID) })),
    testResult: h(async (req) => ({ data: await getVendorTest(ctx, callerOf(req), P(req).testId!) })),
  };
}
