/** Setup-link API handlers for drafts (decision 0020): the link fixes tenant and product and is the Caller. */
import type { FastifyRequest } from 'fastify';
import { testStartPath } from '../../../setup-links/link-auth.ts';
import type { AppContext } from '../../../context.ts';
import { discardLinkDraft, getLinkDraft, linkConnectionVersions, promoteLinkDraft, rollBackLinkConnection, saveLinkDraft, startLinkDraftTest } from '../../../setup-links/sso-drafts.ts';
import { openVendorTest } from '../../../setup-links/draft-tests.ts';
import { sendPage } from '../../serializers.ts';
import { callerOf as caller } from '../../caller.ts';
import { body, params as p, type Handler } from '../../route-table.ts';
import { sendLoginOutcome } from '../oauth.ts';

export function setupLinkDraftHandlers(ctx: AppContext) {
  const h = (f: Handler) => f;
  const link = (req: FastifyRequest) => req.setupLink!;
  const id = (req: FastifyRequest) => p(req).clientID!;
  return {
    get: h(async (req) => ({ data: await getLinkDraft(ctx, caller(req), link(req), id(req)) })),
    save: h(async (req, reply) => {
      const { created, draft } = await saveLinkDraft(ctx, caller(req), link(req), id(req), body(req));
      return reply.code(created ? 201 : 200).send({ data: draft });
    }),
    discard: h(async (req, reply) => {
      await discardLinkDraft(ctx, caller(req), link(req), id(req));
      return reply.code(204).send();
    }),
    promote: h(async (req) => ({ data: await promoteLinkDraft(ctx, caller(req), link(req), id(req), body(req)) })),
    rollback: h(async (req) => ({ data: await rollBackLinkConnection(ctx, caller(req), link(req), id(req)) })),
    versions: h(async (req) => ({ data: await linkConnectionVersions(ctx, caller(req), link(req), id(req)) })),
    test: h(async (req, reply) => {
      const { testId, version } = await startLinkDraftTest(ctx, caller(req), link(req), id(req));
      return reply.code(201).send({ data: { testId, version, url: `${ctx.config.EXTERNAL_URL}${testStartPath(req, testId)}` } });
    }),
    /** A vendor's test (management API, portal) opens here: the unguessable test id is the capability. */
    openVendorTest: h(async (req, reply) => {
      // Outside /api/, so no-store is set here: the answer carries a one-time AuthnRequest.
      reply.header('cache-control', 'no-store');
      try {
        return sendLoginOutcome(reply, await openVendorTest(ctx, p(req).testId!));
      } catch (err) {
        return sendPage(reply, err);
      }
    }),
  };
}
