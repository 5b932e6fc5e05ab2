/** What an IdP needs from Gatehouse as its service provider, as the portal's connection page and the setup-link page show it. */
import type { AppContext } from '../context.ts';
import { sloUrlsOf } from '../sso/saml/sp-logout.ts';

export function spInfoOf(ctx: AppContext) {
  const base = ctx.config.EXTERNAL_URL;
  return {
    entityId: ctx.config.SAML_SP_ENTITY_ID, acsUrl: ctx.config.acsUrl, sloUrl: sloUrlsOf(ctx.config).primary, metadataUrl: `${base}/.well-known/sp-metadata`,
    metadataDownloadUrl: `${base}/.well-known/sp-metadata?download`, certificateUrl: `${base}/.well-known/saml.cer`, oidcRedirectUri: ctx.config.oidcCallbackUrl,
  };
}
