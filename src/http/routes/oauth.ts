/** Route table of the app-facing OAuth 2.0 / OIDC surface. Errors: OAuth JSON, or a page / verified redirect for browsers. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.ts';
import { authorize, readAuthorizeParams } from '../../oauth/authorize.ts';
import { readTokenRequest, tokenEndpoint } from '../../oauth/token.ts';
import { readPresentedTokenRequest, revokeToken } from '../../oauth/revocation.ts';
import { introspect } from '../../oauth/introspection.ts';
import { readAccessToken, userinfo } from '../../oauth/userinfo.ts';
import { jwks, openidConfiguration } from '../../oauth/discovery.ts';
import type { StartLoginOutcome } from '../../sso/saml/start-login.ts';
import { consumeOidcCallback } from '../../sso/oidc/callback.ts';
import { federatedOrAppSignIn } from '../../federation/finish.ts';
import type { SignInAnswer } from '../../sso/sign-in-finisher.ts';
import { sendBrowserError, sendOAuthJson, sendPage } from '../serializers.ts';
import { endSession, readEndSessionParams, type LogoutOutcome } from '../../oauth/end-session.ts';
import { renderSignedOutPage } from '../pages.ts';
import { brandingOf } from '../../admin/branding.ts';

type Q = Record<string, unknown>;

/** The endpoints an app calls directly: their errors are OAuth JSON; the others answer browsers. */
const OAUTH_JSON_ROUTES = new Set(['/api/oauth/token', '/api/oauth/revoke', '/api/oauth/introspect', '/api/oauth/userinfo', '/.well-known/openid-configuration', '/api/well-known/openid-configuration', '/oauth/jwks', '/api/oauth/jwks']);

export function sendLoginOutcome(reply: FastifyReply, outcome: StartLoginOutcome) {
  if (outcome.kind === 'redirect') return reply.redirect(outcome.url, 302);
  // The POST binding form submits to the IdP. No form-action directive here: Chrome applies it to the
  // redirects that follow the submission too, and IdPs commonly redirect to their login pages.
  return reply
    .header('content-security-policy', "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
    .type('text/html; charset=utf-8')
    .send(outcome.html);
}

/** Where a logout leaves the browser: a 302 or form to the IdP or the app, or the signed-out page. */
export function sendLogoutOutcome(reply: FastifyReply, outcome: LogoutOutcome) {
  if (outcome.kind === 'signed-out') return reply.type('text/html; charset=utf-8').send(renderSignedOutPage(brandingOf(reply.request)));
  return sendLoginOutcome(reply, outcome);
}

/** The end of an upstream sign-in: a redirect to the app, or Identity Federation's form posting a SAML Response to it. */
export const sendSignInAnswer = (reply: FastifyReply, answer: SignInAnswer) =>
  sendLoginOutcome(reply, 'html' in answer ? { kind: 'html', html: answer.html } : { kind: 'redirect', url: answer.redirectUrl });

export function oauthRoutes(ctx: AppContext, rateLimit: object) {
  return async (app: FastifyInstance) => {
    const browser = { config: { rateLimit } };
    // What fails before a handler runs (a body that is not JSON, or nested too deeply) still answers in OAuth's format.
    app.setErrorHandler((err, req, reply) => (OAUTH_JSON_ROUTES.has(req.routeOptions.url ?? '') ? sendOAuthJson(reply, err) : sendBrowserError(reply, err)));
    const authorizeHandler = async (params: Q, reply: FastifyReply) => {
      try {
        return sendLoginOutcome(reply, await authorize(ctx, readAuthorizeParams(params)));
      } catch (err) {
        return sendBrowserError(reply, err);
      }
    };
    app.get('/api/oauth/authorize', browser, (req, reply) => authorizeHandler(req.query as Q, reply));
    app.post('/api/oauth/authorize', browser, (req, reply) => authorizeHandler({ ...(req.query as Q), ...(req.body as Q) }, reply));

    app.post('/api/oauth/token', browser, async (req, reply) => {
      try {
        const out = await tokenEndpoint(ctx, readTokenRequest((req.body ?? {}) as Q, req.headers.authorization));
        return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(out);
      } catch (err) {
        return sendOAuthJson(reply, err);
      }
    });

    // RFC 7009 and RFC 7662 (decision 0024). SAML Jackson has neither, so there is no /api/… alias to keep.
    app.post('/api/oauth/revoke', browser, async (req, reply) => {
      try {
        await revokeToken(ctx, readPresentedTokenRequest((req.body ?? {}) as Q, req.headers.authorization));
        return reply.header('cache-control', 'no-store').code(200).send();
      } catch (err) {
        return sendOAuthJson(reply, err);
      }
    });
    app.post('/api/oauth/introspect', browser, async (req, reply) => {
      try {
        const out = await introspect(ctx, readPresentedTokenRequest((req.body ?? {}) as Q, req.headers.authorization));
        return reply.header('cache-control', 'no-store').send(out);
      } catch (err) {
        return sendOAuthJson(reply, err);
      }
    });

    const userinfoHandler = async (req: { headers: { authorization?: string }; query: unknown }, reply: FastifyReply) => {
      try {
        return reply.header('cache-control', 'no-store').send(await userinfo(ctx, readAccessToken(req.headers.authorization, req.query as Q)));
      } catch (err) {
        return sendOAuthJson(reply, err);
      }
    };
    app.get('/api/oauth/userinfo', browser, userinfoHandler);
    app.post('/api/oauth/userinfo', browser, userinfoHandler);

    // RP-initiated logout (decision 0030): errors are pages, never redirects (the URI may be the thing refused).
    const logoutHandler = async (params: Q, reply: FastifyReply) => {
      try {
        return sendLogoutOutcome(reply, await endSession(ctx, readEndSessionParams(params)));
      } catch (err) {
        return sendPage(reply, err, 'logout');
      }
    };
    app.get('/api/oauth/logout', browser, (req, reply) => logoutHandler(req.query as Q, reply));
    app.post('/api/oauth/logout', browser, (req, reply) => logoutHandler({ ...(req.query as Q), ...(req.body as Q) }, reply));

    app.get('/api/oauth/oidc', browser, async (req, reply) => {
      try {
        return sendSignInAnswer(reply, await consumeOidcCallback(ctx, new URL(req.url, ctx.config.EXTERNAL_URL), req.log, federatedOrAppSignIn));
      } catch (err) {
        return sendBrowserError(reply, err);
      }
    });

    // Jackson serves both under /api too (its pages are rewrites of these); apps may call either.
    for (const path of ['/.well-known/openid-configuration', '/api/well-known/openid-configuration']) app.get(path, async () => openidConfiguration(ctx));
    for (const path of ['/oauth/jwks', '/api/oauth/jwks']) app.get(path, async () => jwks(ctx));
  };
}
