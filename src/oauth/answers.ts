/**
 * What the app-facing OAuth/OIDC endpoints answer, as zod schemas: the OpenAPI document describes them
 * (decision 0032) and the tests validate real answers against them.
 */
import * as z from 'zod';

/** RFC 6749 §5.1 (plus the id_token of OIDC Core §3.1.3.3). */
export const TokenAnswer = z.object({
  access_token: z.string(),
  token_type: z.literal('bearer'),
  expires_in: z.number().int(),
  id_token: z.string().optional().describe('RS256; its `kid` is in the JWKS.'),
  refresh_token: z.string().optional().describe('With scope `offline_access`, when the product allows refresh tokens.'),
  scope: z.string().optional(),
}).meta({ title: 'TokenResponse' });

/** The profile: `sub` opaque and stable per connection (raw NameID under JACKSON_COMPAT); `raw` keyed by attribute name as sent. */
export const UserinfoAnswer = z.looseObject({
  sub: z.string(),
  id: z.string().describe('The NameID (or upstream OIDC subject).'),
  nameid: z.string().optional(),
  email: z.string().optional(),
  email_verified: z.boolean().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  groups: z.array(z.string()).optional(),
  roles: z.array(z.string()).optional(),
  tenant: z.string(),
  product: z.string(),
  requested: z.record(z.string(), z.unknown()).optional(),
  raw: z.record(z.string(), z.unknown()).optional(),
}).meta({ title: 'Userinfo' });

/** RFC 7662 §2.2: `{active: false}` alone for any token that is not active. */
export const IntrospectionAnswer = z.looseObject({
  active: z.boolean(),
  client_id: z.string().optional(),
  token_type: z.string().optional(),
  exp: z.number().int().optional(),
  iat: z.number().int().optional(),
  sub: z.string().optional(),
  scope: z.string().optional(),
}).meta({ title: 'Introspection' });

/** RFC 6749 §5.2. */
export const OAuthErrorAnswer = z.object({ error: z.string(), error_description: z.string().optional() }).meta({ title: 'OAuthError' });

/** The token endpoint's form (RFC 6749 §4.1.3, §6; PKCE RFC 7636). Client auth: Basic, or `client_id`/`client_secret` here. */
export const TokenRequestForm = z.object({
  grant_type: z.enum(['authorization_code', 'refresh_token']),
  code: z.string().optional(),
  redirect_uri: z.string().optional(),
  code_verifier: z.string().optional(),
  refresh_token: z.string().optional(),
  client_id: z.string().optional().describe('A connection\'s client ID, `tenant=<t>&product=<p>` URL-encoded, or `dummy`.'),
  client_secret: z.string().optional(),
  scope: z.string().optional(),
});

/** RFC 7009 / RFC 7662 requests. */
export const PresentedTokenForm = z.object({ token: z.string(), token_type_hint: z.enum(['access_token', 'refresh_token']).optional(), client_id: z.string().optional(), client_secret: z.string().optional() });
