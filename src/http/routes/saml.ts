/** Route table of the SAML SP surface: the ACS (whose answer is a redirect to the app, or a federated app's SAML Response) and the SP metadata. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.ts';
import { consumeSamlResponse, type AcsBody } from '../../sso/saml/acs.ts';
import { federatedOrAppSignIn } from '../../federation/finish.ts';
import { buildSpMetadataXml } from '../../sso/saml/sp-metadata.ts';
import { sendBrowserError, sendPage } from '../serializers.ts';
import { sendLogoutOutcome, sendSignInAnswer } from './oauth.ts';
import { readPostBinding, readRedirectBinding } from '../../sso/saml/logout-bindings.ts';
import { sloUrlsOf } from '../../sso/saml/sp-logout.ts';
import { receiveSloMessage } from '../../oauth/saml-slo.ts';
import { GatehouseError } from '../../errors.ts';

export const ACS_BODY_LIMIT = 2 * 1024 * 1024;

export function samlRoutes(ctx: AppContext, rateLimit: object) {
  return async (app: FastifyInstance) => {
    app.setErrorHandler((err, _req, reply) => sendBrowserError(reply, err));
    app.post('/api/oauth/saml', { bodyLimit: ACS_BODY_LIMIT, config: { rateLimit } }, async (req, reply) => {
      try {
        return sendSignInAnswer(reply, await consumeSamlResponse(ctx, (req.body ?? {}) as AcsBody, req.log, federatedOrAppSignIn));
      } catch (err) {
        return sendBrowserError(reply, err);
      }
    });

    // Single Logout (decision 0030): an IdP's LogoutRequest or its LogoutResponse to ours, by HTTP-Redirect or HTTP-POST.
    const urls = sloUrlsOf(ctx.config);
    for (const [path, arrivedAt] of [['/api/oauth/saml/slo', urls.primary], ['/api/logout', urls.jackson]] as const) {
      const receive = async (read: ReturnType<typeof readPostBinding>, reply: FastifyReply) => {
        try {
          if (!read.ok) throw new GatehouseError(read.code, read.detail);
          return sendLogoutOutcome(reply, await receiveSloMessage(ctx, read.message, arrivedAt));
        } catch (err) {
          return sendPage(reply, err, 'logout');
        }
      };
      app.get(path, { config: { rateLimit } }, async (req, reply) => {
        const q = req.url.indexOf('?');
        return receive(readRedirectBinding(q === -1 ? '' : req.url.slice(q + 1)), reply);
      });
      app.post(path, { bodyLimit: ACS_BODY_LIMIT, config: { rateLimit } }, async (req, reply) => receive(readPostBinding((req.body ?? {}) as Record<string, unknown>), reply));
    }

    // Jackson's /api/well-known/* paths are aliases of /.well-known/*.
    for (const path of ['/.well-known/sp-metadata', '/api/well-known/sp-metadata']) app.get(path, async (req, reply) => {
      const encryption = (req.query as { encryption?: string }).encryption !== 'false';
      const { certPem } = await ctx.keys.sp();
      const xml = buildSpMetadataXml({
        entityId: ctx.config.SAML_SP_ENTITY_ID,
        acsUrl: ctx.config.acsUrl,
        signingCertPem: certPem,
        encryptionCertPem: encryption ? certPem : undefined,
        sloUrl: sloUrlsOf(ctx.config).primary,
      });
      const download = (req.query as { download?: string }).download !== undefined;
      if (download) reply.header('content-disposition', 'attachment; filename="gatehouse-sp-metadata.xml"');
      return reply.type('application/xml; charset=utf-8').send(xml);
    });
    for (const path of ['/.well-known/saml.cer', '/api/well-known/saml.cer']) app.get(path, async (_req, reply) => reply.type('application/x-x509-ca-cert').header('content-disposition', 'inline; filename="saml.cer"').send((await ctx.keys.sp()).certPem));
  };
}
