/** The app-facing OAuth 2.0 / OIDC endpoints, the SAML SP's endpoints, login links and ops, for the OpenAPI document. */
import * as z from 'zod';
import { IntrospectionAnswer, PresentedTokenForm, TokenAnswer, TokenRequestForm, UserinfoAnswer } from '../../oauth/answers.ts';
import { empty, json, page, q, redirect, type Op } from './spec.ts';

export const namedSchemas = { TokenResponse: TokenAnswer, Userinfo: UserinfoAnswer, Introspection: IntrospectionAnswer };

const authorizeParams = {
  ...q('response_type!', 'client_id!', 'redirect_uri!', 'state', 'scope', 'nonce', 'code_challenge', 'code_challenge_method', 'tenant', 'product', 'idp_hint', 'login_hint', 'prompt'),
};
const clientAuth: Record<string, string[]>[] = [{ clientSecretBasic: [] }, {}];
const publicOp = [] as Record<string, string[]>[];
const Jwks = z.object({ keys: z.array(z.looseObject({ kty: z.string(), kid: z.string(), use: z.string().optional(), alg: z.string().optional() })) });
const Discovery = z.looseObject({ issuer: z.string(), authorization_endpoint: z.string(), token_endpoint: z.string(), userinfo_endpoint: z.string(), jwks_uri: z.string() });

export const oauthOps: Op[] = [
  { method: 'GET', path: '/api/oauth/authorize', errors: false, summary: 'Start a sign-in (authorization code flow, PKCE S256 and/or client secret)', description: '`client_id` is a connection\'s client ID, `tenant=<t>&product=<p>` URL-encoded, or `dummy` with `tenant` and `product`. Errors redirect (RFC 6749 §4.1.2.1) only once the redirect URI is verified; before that they are a 4xx page.', query: authorizeParams, security: publicOp, responses: { 302: redirect('To the IdP, or back to the verified redirect URI with `error=`.'), 200: page('An auto-posting SAML form (HTTP-POST binding) or the IdP picker.'), 400: page('The request cannot be trusted (unknown client, redirect URI not allowed).') } },
  { method: 'POST', path: '/api/oauth/authorize', errors: false, summary: 'Start a sign-in (form post)', body: { schema: { type: 'object', properties: Object.fromEntries(Object.keys(authorizeParams).map((k) => [k, { type: 'string' }])) }, form: true }, security: publicOp, responses: { 302: redirect('To the IdP, or back with `error=`.'), 200: page('An auto-posting SAML form or the IdP picker.'), 400: page('The request cannot be trusted.') } },
  { method: 'POST', path: '/api/oauth/token', summary: 'Redeem a code or a refresh token', description: 'Form-encoded. Public clients send `client_id` + `code_verifier`. A reused code or a wrong verifier is 400 `invalid_grant`.', body: { schema: TokenRequestForm, form: true, required: true }, security: clientAuth, responses: { 200: json('Tokens (`Cache-Control: no-store`).', { $ref: '#/components/schemas/TokenResponse' }) } },
  { method: 'POST', path: '/api/oauth/revoke', summary: 'Revoke a token (RFC 7009)', body: { schema: PresentedTokenForm, form: true, required: true }, security: clientAuth, responses: { 200: empty('Revoked, or unknown (RFC 7009 §2.2).') } },
  { method: 'POST', path: '/api/oauth/introspect', summary: 'Introspect a token (RFC 7662)', body: { schema: PresentedTokenForm, form: true, required: true }, security: clientAuth, responses: { 200: json('`{active: false}` or the token\'s claims.', IntrospectionAnswer) } },
  { method: 'GET', path: '/api/oauth/userinfo', summary: 'The signed-in user\'s profile', query: q('access_token'), security: [{ accessToken: [] }], responses: { 200: json('The profile.', { $ref: '#/components/schemas/Userinfo' }) } },
  { method: 'POST', path: '/api/oauth/userinfo', summary: 'The signed-in user\'s profile (POST)', security: [{ accessToken: [] }], responses: { 200: json('The profile.', { $ref: '#/components/schemas/Userinfo' }) } },
  { method: 'GET', path: '/api/oauth/logout', errors: false, summary: 'RP-initiated logout (OIDC RP-Initiated Logout 1.0)', query: q('id_token_hint', 'client_id', 'post_logout_redirect_uri', 'state'), security: publicOp, responses: { 302: redirect('To the IdP\'s logout or the verified post-logout URI.'), 200: page('The signed-out page, or a form to the IdP.'), 400: page('Refused (never a redirect to an unverified URI).') } },
  { method: 'POST', path: '/api/oauth/logout', errors: false, summary: 'RP-initiated logout (form post)', body: { schema: { type: 'object', properties: { id_token_hint: { type: 'string' }, client_id: { type: 'string' }, post_logout_redirect_uri: { type: 'string' }, state: { type: 'string' } } }, form: true }, security: publicOp, responses: { 302: redirect('To the IdP or the app.'), 200: page('The signed-out page.'), 400: page('Refused.') } },
  { method: 'GET', path: '/.well-known/openid-configuration', summary: 'OIDC discovery', security: publicOp, responses: { 200: json('Discovery metadata (`issuer` = EXTERNAL_URL).', Discovery) }, aliases: ['/api/well-known/openid-configuration'] },
  { method: 'GET', path: '/oauth/jwks', summary: 'The id_token signing keys (JWKS)', security: publicOp, responses: { 200: json('The JWKS.', Jwks) }, aliases: ['/api/oauth/jwks'] },
];

const binding = { type: 'object', properties: { SAMLResponse: { type: 'string' }, SAMLRequest: { type: 'string' }, RelayState: { type: 'string' } } };

/** What IdPs call: described so the SP's URLs are in one place; the IdP metadata is their contract. */
export const samlOps: Op[] = [
  { method: 'POST', path: '/api/oauth/saml', errors: false, summary: 'SAML Assertion Consumer Service (HTTP-POST)', body: { schema: binding, form: true, required: true }, security: publicOp, responses: { 302: redirect('To the app with a code, or with `error=` to its verified URI.'), 200: page('A form posting onwards (Identity Federation).'), 400: page('The response was refused.'), 413: page('The body is over 2 MiB.') } },
  { method: 'GET', path: '/api/oauth/saml/slo', errors: false, summary: 'SAML Single Logout (HTTP-Redirect)', query: q('SAMLRequest', 'SAMLResponse', 'RelayState', 'SigAlg', 'Signature'), security: publicOp, responses: { 302: redirect('The LogoutResponse to the IdP, or on to the app.'), 200: page('A form or the signed-out page.'), 400: page('Refused.') }, aliases: ['/api/logout'] },
  { method: 'POST', path: '/api/oauth/saml/slo', errors: false, summary: 'SAML Single Logout (HTTP-POST)', body: { schema: binding, form: true, required: true }, security: publicOp, responses: { 302: redirect('On to the IdP or the app.'), 200: page('A form or the signed-out page.'), 400: page('Refused.') }, aliases: ['/api/logout'] },
  { method: 'GET', path: '/api/oauth/oidc', errors: false, summary: 'Upstream OIDC callback (Gatehouse as the RP)', query: q('code', 'state', 'error', 'error_description', 'iss'), security: publicOp, responses: { 302: redirect('To the app with a code, or with `error=`.'), 400: page('Refused.') } },
  { method: 'GET', path: '/.well-known/sp-metadata', summary: 'SAML SP metadata', query: q('encryption', 'download'), security: publicOp, responses: { 200: { description: 'The metadata XML.', kind: 'xml' } }, aliases: ['/api/well-known/sp-metadata'] },
  { method: 'GET', path: '/.well-known/saml.cer', summary: 'The SP signing certificate', security: publicOp, responses: { 200: { description: 'PEM.', kind: 'pem' } }, aliases: ['/api/well-known/saml.cer'] },
  { method: 'GET', path: '/.well-known/idp-metadata', summary: 'Identity Federation IdP metadata', query: q('appId'), security: publicOp, responses: { 200: { description: 'The metadata XML.', kind: 'xml' } }, aliases: ['/api/well-known/idp-metadata'] },
  { method: 'GET', path: '/login/sso', errors: false, summary: 'One-click login link: SP-initiated SSO for an enterprise key', query: q('enterprise_key!', 'product'), security: publicOp, responses: { 302: redirect('On to the IdP (or the picker).'), 404: page('Unknown enterprise key.') } },
  { method: 'GET', path: '/login/sso/invite', errors: false, summary: 'Invite link: the one-click link with a landing page', query: q('enterprise_key!', 'product'), security: publicOp, responses: { 200: page('The invite page.'), 404: page('Unknown enterprise key.') } },
];

export const opsOps: Op[] = [
  { method: 'GET', path: '/api/health', summary: 'Liveness', security: publicOp, responses: { 200: json('Alive.', z.object({ status: z.literal('ok') })) } },
  { method: 'GET', path: '/api/ready', summary: 'Readiness (database reachable, not draining)', security: publicOp, responses: { 200: json('Ready.', z.object({ status: z.string() })), 503: json('Draining or database unavailable.', z.object({ status: z.string() })) } },
  { method: 'GET', path: '/metrics', summary: 'Prometheus metrics', security: [{ metricsToken: [] }, {}], responses: { 200: { description: 'Prometheus text format.', kind: 'text' }, 401: { description: 'A token is configured and was not given (`unauthorized`).', kind: 'text' } } },
];
