/**
 * Route table of Identity Federation's IdP surface (Jackson's paths): the SSO endpoint apps send their
 * AuthnRequest to (HTTP-Redirect or HTTP-POST), the picker's continuation, and the IdP metadata. Errors are
 * pages: nothing is posted to an app before its ACS URL is verified. The signed response itself is sent by
 * the ACS or the OIDC callback (federation/finish.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { FEDERATION_SSO_PATH, continueFederatedSignIn, federationIdpMetadata, startFederatedSignIn } from '../../federation/sso.ts';
import { connectionLabel } from '../../sso/login-links.ts';
import { brandingOf } from '../../admin/branding.ts';
import { renderPicker } from '../login-pages.ts';
import { sendBrowserError } from '../serializers.ts';
import { query, registerTable, type Route } from '../route-table.ts';
import { sendLoginOutcome } from './oauth.ts';

type Form = { SAMLRequest?: unknown; RelayState?: unknown };
/** An AuthnRequest is small; a posted form far larger than one is not an AuthnRequest. */
const SSO_BODY_LIMIT = 128 * 1024;

export function federationRoutes(ctx: AppContext, rateLimit: object) {
  const answer = async (req: FastifyRequest, reply: FastifyReply, start: () => ReturnType<typeof startFederatedSignIn>) => {
    try {
      const outcome = await start();
      if (outcome.kind !== 'picker') return sendLoginOutcome(reply, outcome);
      const choices = outcome.choices.map((c) => ({ label: connectionLabel(c.connection), href: c.href }));
      return reply.type('text/html; charset=utf-8').send(renderPicker(brandingOf(req), { productName: outcome.app.name, tenantName: outcome.app.tenant, choices }));
    } catch (err) {
      return sendBrowserError(reply, err);
    }
  };
  const sso = {
    redirect: (req: FastifyRequest, reply: FastifyReply) => answer(req, reply, () => startFederatedSignIn(ctx, { binding: 'redirect', url: req.url }, query(req).idp_hint)),
    post: (req: FastifyRequest, reply: FastifyReply) => {
      const form = (req.body ?? {}) as Form;
      return answer(req, reply, () => startFederatedSignIn(ctx, { binding: 'post', samlRequest: form.SAMLRequest, relayState: form.RelayState }, query(req).idp_hint));
    },
    continue: (req: FastifyRequest, reply: FastifyReply) => answer(req, reply, () => continueFederatedSignIn(ctx, query(req))),
  };
  const metadata = async (req: FastifyRequest, reply: FastifyReply) => {
    const { xml } = await federationIdpMetadata(ctx, query(req).appId);
    if (query(req).download !== undefined) reply.header('content-disposition', 'attachment; filename="gatehouse-idp-metadata.xml"');
    return reply.type('application/xml; charset=utf-8').send(xml);
  };
  const routes: Route[] = [
    ['GET', FEDERATION_SSO_PATH, sso.redirect],
    ['POST', FEDERATION_SSO_PATH, sso.post, { bodyLimit: SSO_BODY_LIMIT }],
    ['GET', `${FEDERATION_SSO_PATH}/continue`, sso.continue],
    // Jackson's /api/well-known/* paths are aliases of /.well-known/*.
    ['GET', '/.well-known/idp-metadata', metadata],
    ['GET', '/api/well-known/idp-metadata', metadata],
  ];
  return async (app: FastifyInstance) => {
    app.setErrorHandler((err, _req, reply) => sendBrowserError(reply, err));
    registerTable(app, routes, { config: { rateLimit } });
  };
}
