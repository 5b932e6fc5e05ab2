/**
 * Route table of the configuration pages for humans, at Jackson's paths: `/.well-known/saml-configuration` (this
 * deployment as a SAML SP), `/.well-known/oidc-configuration` (as an OIDC relying party),
 * `/.well-known/idp-configuration` (as a SAML IdP, for Identity Federation) and the index `/well-known`. Jackson's
 * pages live at `/well-known/*` and `/.well-known/*` reaches them, so both spellings answer. Public, like the
 * metadata they link to. Errors are pages (the app's handler).
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { brandingOf } from '../../admin/branding.ts';
import { DEFAULT_OIDC_SCOPES } from '../../sso/oidc/idp-source.ts';
import { renderIdpConfiguration, renderOidcConfiguration, renderSamlConfiguration, renderWellKnownIndex } from '../well-known-pages.ts';
import { sloUrlsOf } from '../../sso/saml/sp-logout.ts';

const html = 'text/html; charset=utf-8';

export function wellKnownPageRoutes(ctx: AppContext, rateLimit: object) {
  return async (app: FastifyInstance) => {
    const opts = { config: { rateLimit } };
    const { EXTERNAL_URL: base, SAML_SP_ENTITY_ID: entityId } = ctx.config;
    const certificate = async () => ({ certificateUrl: `${base}/.well-known/saml.cer`, certificatePem: (await ctx.keys.sp()).certPem });
    const both = (name: string) => [`/.well-known/${name}`, `/well-known/${name}`];

    for (const path of both('saml-configuration')) app.get(path, opts, async (req, reply) =>
      reply.type(html).send(renderSamlConfiguration(brandingOf(req), { entityId, acsUrl: ctx.config.acsUrl, sloUrl: sloUrlsOf(ctx.config).primary, metadataUrl: `${base}/.well-known/sp-metadata`, ...(await certificate()) })));

    for (const path of both('oidc-configuration')) app.get(path, opts, async (req, reply) =>
      reply.type(html).send(renderOidcConfiguration(brandingOf(req), { redirectUri: ctx.config.oidcCallbackUrl, scopes: DEFAULT_OIDC_SCOPES })));

    // Identity Federation answers as an IdP with the SP's entity ID and signing key, as Jackson's does.
    for (const path of both('idp-configuration')) app.get(path, opts, async (req, reply) =>
      reply.type(html).send(renderIdpConfiguration(brandingOf(req), { entityId, ssoUrl: `${base}/api/identity-federation/sso`, metadataUrl: `${base}/.well-known/idp-metadata`, ...(await certificate()) })));

    for (const path of ['/well-known', '/.well-known']) app.get(path, opts, async (req, reply) => reply.type(html).send(renderWellKnownIndex(brandingOf(req), base)));
  };
}
