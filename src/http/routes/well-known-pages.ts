/**
 * Route table of the configuration pages for humans, at Jackson's paths: `/.well-known/saml-configuration` (this
 * deployment as a SAML SP), `/.well-known/oidc-configuration` (as an OIDC relying party) and
 * `/.well-known/idp-configuration` (as a SAML IdP, for Identity Federation). Public, like the metadata they link to.
 * Errors are pages (the app's handler).
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { brandingOf } from '../../admin/branding.ts';
import { DEFAULT_OIDC_SCOPES } from '../../sso/oidc/idp-source.ts';
import { renderIdpConfiguration, renderOidcConfiguration, renderSamlConfiguration } from '../well-known-pages.ts';

const html = 'text/html; charset=utf-8';

export function wellKnownPageRoutes(ctx: AppContext, rateLimit: object) {
  return async (app: FastifyInstance) => {
    const opts = { config: { rateLimit } };
    const { EXTERNAL_URL: base, SAML_SP_ENTITY_ID: entityId } = ctx.config;
    const certificate = async () => ({ certificateUrl: `${base}/.well-known/saml.cer`, certificatePem: (await ctx.keys.sp()).certPem });

    app.get('/.well-known/saml-configuration', opts, async (req, reply) =>
      reply.type(html).send(renderSamlConfiguration(brandingOf(req), { entityId, acsUrl: ctx.config.acsUrl, metadataUrl: `${base}/.well-known/sp-metadata`, ...(await certificate()) })));

    app.get('/.well-known/oidc-configuration', opts, async (req, reply) =>
      reply.type(html).send(renderOidcConfiguration(brandingOf(req), { redirectUri: ctx.config.oidcCallbackUrl, scopes: DEFAULT_OIDC_SCOPES })));

    // Identity Federation answers as an IdP with the SP's entity ID and signing key, as Jackson's does.
    app.get('/.well-known/idp-configuration', opts, async (req, reply) =>
      reply.type(html).send(renderIdpConfiguration(brandingOf(req), { entityId, ssoUrl: `${base}/api/identity-federation/sso`, metadataUrl: `${base}/.well-known/idp-metadata`, ...(await certificate()) })));
  };
}
