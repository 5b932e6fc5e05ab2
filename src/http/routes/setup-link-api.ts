/**
 * Route table of the setup-link API (`/api/setup/<token>/…`, Jackson paths), authorised by the token
 * alone, rate-limited per IP and per token, and audited on every use. The link is the Caller: the connection and
 * directory services check it and audit its changes as they do the portal's. Problem JSON errors.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { auditChange } from '../../policy/audit.ts';
import { callerOf } from '../caller.ts';
import { tokenHash } from '../../crypto/secrets.ts';
import { requireSetupLink } from '../../setup-links/link-auth.ts';
import type { SsoDefaults } from '../../setup-links/service.ts';
import { createLinkConnection, deleteLinkConnection, getLinkConnection, listLinkConnections, updateLinkConnection } from '../../setup-links/sso.ts';
import { createLinkDirectory, deleteLinkDirectory, getLinkDirectory, listLinkDirectories, rotateLinkDirectorySecret } from '../../setup-links/dsync.ts';
import { createSetupTest, getSetupTest, startSetupTest } from '../../setup-links/tests.ts';
import { loginLinks } from '../../sso/login-links.ts';
import { productsRepo, setupLinkTestsRepo, setupLinkTestsRepo as tests } from '../../storage/index.ts';
import { sendProblem, sendPage } from '../serializers.ts';
import { sendLoginOutcome } from './oauth.ts';
import { renderTestResult } from '../setup-pages.ts';
import { brandingOf } from '../../admin/branding.ts';
import { additionalLimit } from '../rate-limits.ts';

type P = { token: string; clientID?: string; id?: string; testId?: string };
type Q = Record<string, string | undefined>;

export function setupLinkApiRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    app.setErrorHandler((err, _req, reply) => sendProblem(reply, err));
    const perMinute = { max: ctx.config.RATE_LIMIT_SETUP_LINK_PER_MINUTE, timeWindow: '1 minute', ...(ctx.config.RATE_LIMIT_SETUP_LINK_PER_MINUTE ? {} : { allowList: () => true }) };
    const byIp = app.rateLimit({ ...perMinute, name: 'setup-link:ip' });
    const byToken = additionalLimit(app, { ...perMinute, name: 'setup-link:token', keyGenerator: (req) => `setup:${tokenHash((req.params as P).token ?? '')}` });
    const link = (req: FastifyRequest) => req.setupLink!;
    const p = (req: FastifyRequest) => req.params as P;
    const body = (req: FastifyRequest) => (req.body ?? {}) as Record<string, unknown>;
    const caller = callerOf;

    // Every use of a link is audited (which link, what, from where), answered or refused.
    app.addHook('onResponse', async (req, reply) => {
      if (!req.setupLink) return;
      await auditChange(ctx, callerOf(req), { action: 'setup_link.used', target: { type: 'setup_link', id: req.setupLink.id }, tenant: req.setupLink.tenant, product: req.setupLink.product, after: { method: req.method, route: req.routeOptions.url, status: reply.statusCode } }).catch((err) => req.log.warn({ err }, 'audit of setup-link use failed'));
    });

    const scoped = (service?: 'sso' | 'dsync') => ({ onRequest: [byIp, byToken, requireSetupLink(ctx, service)], bodyLimit: 6 * 1024 * 1024 });

    app.get('/api/setup/:token', scoped(), async (req) => {
      const l = link(req);
      const product = await productsRepo.findById(ctx.db, l.product);
      const d = JSON.parse(l.defaults) as Partial<SsoDefaults>;
      return {
        data: {
          service: l.service, tenant: l.tenant, product: l.product, productName: product?.name ?? l.product, name: l.name, description: l.description, validTill: l.expires_at,
          ...(l.service === 'sso'
            ? { sp: { entityId: ctx.config.SAML_SP_ENTITY_ID, acsUrl: ctx.config.acsUrl, metadataUrl: `${ctx.config.EXTERNAL_URL}/.well-known/sp-metadata`, metadataDownloadUrl: `${ctx.config.EXTERNAL_URL}/.well-known/sp-metadata?download`, certificateUrl: `${ctx.config.EXTERNAL_URL}/.well-known/saml.cer`, oidcRedirectUri: ctx.config.oidcCallbackUrl }, redirectUrl: d.redirectUrl, tested: await tests.anySucceeded(ctx.db, l.id) }
            : {}),
        },
      };
    });

    // Enterprise SSO
    app.get('/api/setup/:token/sso-connection', scoped('sso'), async (req) => ({ data: await listLinkConnections(ctx, link(req)) }));
    app.get('/api/setup/:token/sso-connection/:clientID', scoped('sso'), async (req) => ({ data: await getLinkConnection(ctx, link(req), p(req).clientID!) }));
    app.post('/api/setup/:token/sso-connection', scoped('sso'), async (req, reply) => {
      const { created, connection } = await createLinkConnection(ctx, caller(req), link(req), body(req));
      return reply.code(created ? 201 : 200).send({ data: connection });
    });
    app.patch('/api/setup/:token/sso-connection', scoped('sso'), async (req) => ({ data: await updateLinkConnection(ctx, caller(req), link(req), body(req)) }));
    app.delete('/api/setup/:token/sso-connection', scoped('sso'), async (req, reply) => {
      await deleteLinkConnection(ctx, caller(req), link(req), (req.query as Q).clientID ?? (body(req).clientID as string | undefined));
      return reply.code(204).send();
    });
    app.post('/api/setup/:token/sso-connection/:clientID/test', scoped('sso'), async (req, reply) => {
      const { testId } = await createSetupTest(ctx, link(req), p(req).clientID!);
      await auditChange(ctx, caller(req), { action: 'sso.connection.test_started', target: { type: 'sso_connection', id: p(req).clientID! }, tenant: link(req).tenant, product: link(req).product });
      return reply.code(201).send({ data: { testId, url: `${ctx.config.EXTERNAL_URL}/api/setup/${p(req).token}/tests/${testId}/start` } });
    });
    app.get('/api/setup/:token/tests/:testId/start', scoped('sso'), async (req, reply) => {
      try {
        return sendLoginOutcome(reply, await startSetupTest(ctx, link(req), p(req).testId!));
      } catch (err) {
        return sendPage(reply, err);
      }
    });
    app.get('/api/setup/:token/tests/:testId', scoped('sso'), async (req) => ({ data: await getSetupTest(ctx, link(req), p(req).testId!) }));
    app.get('/api/setup/:token/links', scoped('sso'), async (req) => ({ data: { ...(await loginLinks(ctx, link(req).tenant, link(req).product)), tested: await tests.anySucceeded(ctx.db, link(req).id) } }));

    // Directory Sync
    app.get('/api/setup/:token/directory-sync', scoped('dsync'), async (req) => ({ data: await listLinkDirectories(ctx, caller(req), link(req)) }));
    app.get('/api/setup/:token/directory-sync/:id', scoped('dsync'), async (req) => ({ data: await getLinkDirectory(ctx, link(req), p(req).id!) }));
    app.post('/api/setup/:token/directory-sync', scoped('dsync'), async (req, reply) => reply.code(201).send({ data: await createLinkDirectory(ctx, caller(req), link(req), body(req)) }));
    app.post('/api/setup/:token/directory-sync/:id/rotate-secret', scoped('dsync'), async (req) => ({ data: await rotateLinkDirectorySecret(ctx, caller(req), link(req), p(req).id!) }));
    app.delete('/api/setup/:token/directory-sync/:id', scoped('dsync'), async (req, reply) => {
      await deleteLinkDirectory(ctx, caller(req), link(req), p(req).id!);
      return reply.code(204).send();
    });

    // The tab a test sign-in lands in (the test id is an unguessable capability for its own result).
    app.get('/setup/test-result/:testId', { onRequest: [byIp] }, async (req, reply: FastifyReply) => {
      const t = await setupLinkTestsRepo.findById(ctx.db, (req.params as P).testId!);
      const result = t ? { status: t.status, ...(JSON.parse(t.result) as object) } : { status: 'unknown' };
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderTestResult(brandingOf(req), result as Parameters<typeof renderTestResult>[1]));
    });
  };
}
