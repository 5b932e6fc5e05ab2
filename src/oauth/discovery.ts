/** /.well-known/openid-configuration and /oauth/jwks. */
import type { AppContext } from '../context.ts';

export function openidConfiguration(ctx: AppContext) {
  const base = ctx.config.EXTERNAL_URL;
  return {
    issuer: base,
    authorization_endpoint: `${base}/api/oauth/authorize`,
    token_endpoint: `${base}/api/oauth/token`,
    userinfo_endpoint: `${base}/api/oauth/userinfo`,
    revocation_endpoint: `${base}/api/oauth/revoke`,
    revocation_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'none'],
    introspection_endpoint: `${base}/api/oauth/introspect`,
    introspection_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    jwks_uri: `${base}/oauth/jwks`,
    end_session_endpoint: `${base}/api/oauth/logout`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'none'],
    code_challenge_methods_supported: ctx.config.JACKSON_COMPAT ? ['S256', 'plain'] : ['S256'],
    scopes_supported: ['openid', 'email', 'profile', 'offline_access'],
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce', 'sid', 'email', 'email_verified', 'given_name', 'family_name', 'groups', 'roles', 'nameid', 'tenant', 'product'],
  };
}

export const jwks = async (ctx: AppContext) => ({ keys: (await ctx.keys.jwt()).all.map((k) => k.publicJwk) });
