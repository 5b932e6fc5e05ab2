/**
 * Setup-link API handlers: the link (`req.setupLink`, set by its hook) fixes tenant, product and service; the link is
 * also the Caller, with which the connection and directory services check and audit its changes.
 */
import { spInfoOf } from '../../sp-info.ts';
import type { FastifyRequest } from 'fastify';
import { testStartPath } from '../../../setup-links/link-auth.ts';
import type { AppContext } from '../../../context.ts';
import { auditChange } from '../../../policy/audit.ts';
import type { SsoDefaults } from '../../../setup-links/service.ts';
import { createLinkConnection, deleteLinkConnection, getLinkConnection, linkConnectionHealth, listLinkConnections, updateLinkConnection } from '../../../setup-links/sso.ts';
import { intentOf } from '../../../setup-links/intent.ts';
import { createLinkDirectory, deleteLinkDirectory, getLinkDirectory, listLinkDirectories, rotateLinkDirectorySecret } from '../../../setup-links/dsync.ts';
import { createSetupTest, getSetupTest, latestTestSucceeded, startSetupTest } from '../../../setup-links/tests.ts';
import { listScimRequests } from '../../../directory-sync/inspector/requests.ts';
import { loginLinks } from '../../../sso/login-links.ts';
import { productsRepo, setupLinkTestsRepo as tests } from '../../../storage/index.ts';
import { brandingOf } from '../../../admin/branding.ts';
import { sendPage } from '../../serializers.ts';
import { renderTestResult } from '../../setup-pages.ts';
import { callerOf as caller } from '../../caller.ts';
import { body, params, query, type Handler } from '../../route-table.ts';
import { sendLoginOutcome } from '../oauth.ts';

export function setupLinkHandlers(ctx: AppContext) {
  const h = (f: Handler) => f;
  const link = (req: FastifyRequest) => req.setupLink!;
  const p = params;
  return {
    info: h(async (req) => {
      const l = link(req);
      const product = await productsRepo.findById(ctx.db, l.product);
      const d = JSON.parse(l.defaults) as Partial<SsoDefaults>;
      return {
        data: {
          service: l.service, tenant: l.tenant, product: l.product, productName: product?.name ?? l.product, name: l.name, description: l.description, validTill: l.expires_at,
          ...(l.service === 'sso'
            ? { sp: spInfoOf(ctx), redirectUrl: d.redirectUrl, tested: await latestTestSucceeded(ctx, l), ...intentOf(l) }
            : {}),
        },
      };
    }),

    listConnections: h(async (req) => ({ data: await listLinkConnections(ctx, link(req)) })),
    getConnection: h(async (req) => ({ data: await getLinkConnection(ctx, link(req), p(req).clientID!) })),
    connectionHealth: h(async (req) => ({ data: await linkConnectionHealth(ctx, link(req), p(req).clientID!) })),
    createConnection: h(async (req, reply) => {
      const { created, connection } = await createLinkConnection(ctx, caller(req), link(req), body(req));
      return reply.code(created ? 201 : 200).send({ data: connection });
    }),
    updateConnection: h(async (req) => ({ data: await updateLinkConnection(ctx, caller(req), link(req), body(req)) })),
    deleteConnection: h(async (req, reply) => {
      await deleteLinkConnection(ctx, caller(req), link(req), query(req).clientID ?? (body(req).clientID as string | undefined));
      return reply.code(204).send();
    }),
    startTest: h(async (req, reply) => {
      const { testId } = await createSetupTest(ctx, link(req), p(req).clientID!);
      await auditChange(ctx, caller(req), { action: 'sso.connection.test_started', target: { type: 'sso_connection', id: p(req).clientID! }, tenant: link(req).tenant, product: link(req).product });
      return reply.code(201).send({ data: { testId, url: `${ctx.config.EXTERNAL_URL}${testStartPath(req, testId)}` } });
    }),
    openTest: h(async (req, reply) => {
      try {
        return sendLoginOutcome(reply, await startSetupTest(ctx, link(req), p(req).testId!));
      } catch (err) {
        return sendPage(reply, err);
      }
    }),
    getTest: h(async (req) => ({ data: await getSetupTest(ctx, link(req), p(req).testId!) })),
    links: h(async (req) => ({ data: { ...(await loginLinks(ctx, link(req).tenant, link(req).product)), tested: await latestTestSucceeded(ctx, link(req)) } })),

    listDirectories: h(async (req) => ({ data: await listLinkDirectories(ctx, caller(req), link(req)) })),
    getDirectory: h(async (req) => ({ data: await getLinkDirectory(ctx, link(req), p(req).id!) })),
    // The link is the caller: the service lets it read only its own tenant+product's directories.
    directoryRequests: h(async (req) => listScimRequests(ctx, caller(req), p(req).id!, query(req))),
    createDirectory: h(async (req, reply) => reply.code(201).send({ data: await createLinkDirectory(ctx, caller(req), link(req), body(req)) })),
    rotateDirectorySecret: h(async (req) => ({ data: await rotateLinkDirectorySecret(ctx, caller(req), link(req), p(req).id!) })),
    deleteDirectory: h(async (req, reply) => {
      await deleteLinkDirectory(ctx, caller(req), link(req), p(req).id!);
      return reply.code(204).send();
    }),

    /** The tab a test sign-in lands in (the test id is an unguessable capability for its own result). */
    testResult: h(async (req, reply) => {
      const t = await tests.findById(ctx.db, p(req).testId!);
      const result = t ? { status: t.status, ...(JSON.parse(t.result) as object) } : { status: 'unknown' };
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderTestResult(brandingOf(req), result as Parameters<typeof renderTestResult>[1]));
    }),
  };
}
