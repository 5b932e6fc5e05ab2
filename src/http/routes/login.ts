/** Route table of the sign-in pages: one-click link, invite page, work-email page and the IdP picker. Errors are pages. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { authorizeChoices, readAuthorizeParams } from '../../oauth/authorize.ts';
import { connectionLabel, resolveLoginTarget } from '../../sso/login-links.ts';
import { oneClickLogin } from '../../oauth/one-click-login.ts';
import { productsRepo } from '../../storage/index.ts';
import { sendBrowserError } from '../serializers.ts';
import { sendLoginOutcome } from './oauth.ts';
import { renderEmailEntry, renderInvite, renderPicker } from '../login-pages.ts';
import { brandingOf } from '../../admin/branding.ts';

type Q = Record<string, string | undefined>;
const html = 'text/html; charset=utf-8';

export function loginRoutes(ctx: AppContext, rateLimit: object) {
  return async (app: FastifyInstance) => {
    const opts = { config: { rateLimit } };
    app.get('/login/sso', opts, async (req, reply) => {
      const q = req.query as Q;
      try {
        if (!q.enterprise_key && !q.email) {
          const product = q.product ? await productsRepo.findById(ctx.db, q.product) : undefined;
          return reply.type(html).send(renderEmailEntry(brandingOf(req), { productName: product?.name ?? q.product ?? 'your application', product: q.product ?? null }));
        }
        const outcome = await oneClickLogin(ctx, { enterpriseKey: q.enterprise_key, email: q.email, product: q.product, idpHint: q.idp_hint });
        if (outcome.kind === 'picker') {
          const back = new URLSearchParams(Object.entries({ enterprise_key: q.enterprise_key, email: q.email, product: outcome.target.product }).filter(([, v]) => v) as [string, string][]);
          return reply.redirect(`/idp/select?${back}`, 302);
        }
        return sendLoginOutcome(reply, outcome);
      } catch (err) {
        return sendBrowserError(reply, err);
      }
    });

    app.get('/login/sso/invite', opts, async (req, reply) => {
      const q = req.query as Q;
      try {
        const t = await resolveLoginTarget(ctx, { enterpriseKey: q.enterprise_key, product: q.product });
        const href = `/login/sso?${new URLSearchParams({ enterprise_key: t.tenant.enterpriseKey, product: t.product })}`;
        return reply.type(html).send(renderInvite(brandingOf(req), { productName: t.productName, tenantName: t.tenant.name, href }));
      } catch (err) {
        return sendBrowserError(reply, err);
      }
    });

    app.get('/idp/select', opts, async (req, reply) => {
      const q = req.query as Q;
      try {
        if (q.client_id) {
          const { client, choices } = await authorizeChoices(ctx, readAuthorizeParams(q));
          const product = await productsRepo.findById(ctx.db, client.product);
          return reply.type(html).send(renderPicker(brandingOf(req), { productName: product?.name ?? client.product, tenantName: client.tenant, choices: choices.map((c) => ({ label: connectionLabel(c.connection), href: c.href })) }));
        }
        const t = await resolveLoginTarget(ctx, { enterpriseKey: q.enterprise_key, email: q.email, product: q.product });
        const base = Object.fromEntries(Object.entries({ enterprise_key: q.enterprise_key, email: q.email, product: t.product }).filter(([, v]) => v)) as Record<string, string>;
        const choices = t.connections.map((c) => ({ label: connectionLabel(c), href: `/login/sso?${new URLSearchParams({ ...base, idp_hint: c.id })}` }));
        return reply.type(html).send(renderPicker(brandingOf(req), { productName: t.productName, tenantName: t.tenant.name, choices }));
      } catch (err) {
        return sendBrowserError(reply, err);
      }
    });
  };
}
