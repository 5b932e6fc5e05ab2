/**
 * DEVELOPMENT ONLY — a tiny local SAML identity provider for trying Gatehouse without a real IdP.
 * It lets anyone sign in as anyone: never expose it beyond 127.0.0.1 and never trust it.
 *
 *   node --import tsx examples/app/dev-idp.ts      → http://127.0.0.1:7000 (IDP_PORT / IDP_HOST to change)
 *
 * GET /metadata   its IdP metadata (SSO URL /sso, HTTP-Redirect and HTTP-POST)
 * GET /sso        reads the AuthnRequest (HTTP-Redirect binding) and shows a "Sign in as" form
 * POST /sso       answers with a signed SAML Response in an auto-submitting form to the ACS URL
 *
 * Signing comes from the repo's test IdP (test/support/saml-idp.ts). The key is made at start-up, so
 * after a restart post the metadata to Gatehouse again (the same entity ID updates the same connection).
 */
import { pathToFileURL } from 'node:url';
import Fastify, { type FastifyReply } from 'fastify';
import formbody from '@fastify/formbody';
import { DOMParser } from '@xmldom/xmldom';
import { createTestIdp, buildSamlResponseBase64, type TestIdp } from '../../test/support/saml-idp.ts';
import { AUTOSUBMIT_JS, parseRedirectBindingRequest } from '../../src/sso/saml/authn-request.ts';
import { html, type Html } from './views.ts';

const NS_ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';
const NAMEID_EMAIL = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const NAMEID_UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';

export interface DevIdpOptions {
  port?: number;
  host?: string;
}

interface AuthnRequestInfo {
  id: string;
  acsUrl: string;
  spEntityId: string;
  relayState: string | null;
}

/** Reads what the IdP needs from a Redirect-binding AuthnRequest. Throws with a readable message. */
function readAuthnRequest(samlRequest: string, relayState: string | undefined): AuthnRequestInfo {
  const query = new URLSearchParams({ SAMLRequest: samlRequest, ...(relayState ? { RelayState: relayState } : {}) });
  const req = parseRedirectBindingRequest(`/sso?${query}`);
  const root = new DOMParser().parseFromString(req.xml, 'text/xml').documentElement;
  if (!root || root.localName !== 'AuthnRequest') throw new Error('SAMLRequest is not an AuthnRequest.');
  const id = root.getAttribute('ID');
  const acsUrl = root.getAttribute('AssertionConsumerServiceURL');
  const spEntityId = root.getElementsByTagNameNS(NS_ASSERTION, 'Issuer')[0]?.textContent?.trim();
  if (!id || !spEntityId) throw new Error('The AuthnRequest has no ID or no Issuer.');
  // A real IdP posts only to the ACS URL registered for the SP; this one trusts the request.
  if (!acsUrl || !/^https?:\/\//.test(acsUrl)) throw new Error('The AuthnRequest names no http(s) AssertionConsumerServiceURL.');
  return { id, acsUrl, spEntityId, relayState: req.relayState };
}

const page = (title: string, body: Html) =>
  html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · Dev IdP</title></head>
<body><p><strong>Dev IdP</strong> — for local development only; it signs anyone in as anyone.</p>${body}</body></html>
`.value;

export async function startDevIdp(opts: DevIdpOptions = {}): Promise<{ url: string; metadataUrl: string; close(): Promise<void> }> {
  const app = Fastify();
  await app.register(formbody);
  let url = '';
  // The entity ID and SSO URL contain the port, known once listening; handlers wait for the key.
  let idp: Promise<TestIdp>;
  const send = (reply: FastifyReply, status: number, body: string, csp: string) =>
    reply.code(status).header('content-security-policy', csp).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
  const strict = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  const fail = (reply: FastifyReply, message: string) => send(reply, 400, page('Bad request', html`<h1>Cannot answer this request</h1><p id="error">${message}</p>`), strict);

  app.get('/metadata', async (_req, reply) => reply.type('application/xml; charset=utf-8').send((await idp).metadataXml({ ssoUrl: `${url}/sso` })));
  app.get('/autosubmit.js', async (_req, reply) => reply.type('application/javascript').send(AUTOSUBMIT_JS));

  app.get('/sso', async (req, reply) => {
    const q = req.query as { SAMLRequest?: string; RelayState?: string };
    let info: AuthnRequestInfo;
    try {
      info = readAuthnRequest(q.SAMLRequest ?? '', q.RelayState);
    } catch (err) {
      return fail(reply, (err as Error).message);
    }
    return send(reply, 200, page('Sign in as', html`<h1>Sign in as</h1>
<p>Service provider <code>${info.spEntityId}</code> asks who you are.</p>
<form method="post" action="/sso">
<input type="hidden" name="SAMLRequest" value="${q.SAMLRequest}">${info.relayState ? html`<input type="hidden" name="RelayState" value="${info.relayState}">` : ''}
<p><label>Email <input name="email" value="alice@acme.com"></label> (leave empty to try a user without an email)</p>
<p><label>First name <input name="firstName" value="Alice"></label></p>
<p><label>Last name <input name="lastName" value="Liddell"></label></p>
<p><label>Groups (comma-separated) <input name="groups" value="admins, staff"></label></p>
<p><button type="submit">Sign in</button></p>
</form>`), strict);
  });

  app.post('/sso', async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, string | undefined>;
    let info: AuthnRequestInfo;
    try {
      info = readAuthnRequest(b.SAMLRequest ?? '', b.RelayState);
    } catch (err) {
      return fail(reply, (err as Error).message);
    }
    const email = (b.email ?? '').trim();
    const attributes: Record<string, string | string[]> = {};
    if (email) attributes.email = email;
    if (b.firstName?.trim()) attributes.firstName = b.firstName.trim();
    if (b.lastName?.trim()) attributes.lastName = b.lastName.trim();
    const groups = (b.groups ?? '').split(',').map((g) => g.trim()).filter(Boolean);
    if (groups.length) attributes.groups = groups;
    const samlResponse = buildSamlResponseBase64({
      idp: await idp, spEntityId: info.spEntityId, acsUrl: info.acsUrl, inResponseTo: info.id, attributes,
      // Without an email, an opaque NameID: Gatehouse then has no email and refuses the sign-in.
      nameId: email || `user-${Date.now().toString(36)}`, nameIdFormat: email ? NAMEID_EMAIL : NAMEID_UNSPECIFIED,
    });
    // HTTP-POST binding: the form goes to the ACS, which redirects to the app. No form-action here:
    // browsers apply it to that redirect too, and the app's origin is not known to an IdP.
    return send(reply, 200, page('Signing you in', html`<form id="saml-post" method="post" action="${info.acsUrl}">
<input type="hidden" name="SAMLResponse" value="${samlResponse}">${info.relayState ? html`<input type="hidden" name="RelayState" value="${info.relayState}">` : ''}
<noscript><p>JavaScript is off: press Continue to go back to the application.</p><button type="submit">Continue</button></noscript>
</form><script src="/autosubmit.js"></script>`), "default-src 'none'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'");
  });

  const host = opts.host ?? '127.0.0.1';
  await app.listen({ port: opts.port ?? 7000, host });
  url = `http://${host}:${(app.server.address() as { port: number }).port}`;
  // A stable entity ID (the metadata URL), so posting the metadata again updates the same connection.
  idp = createTestIdp({ entityId: `${url}/metadata` });
  await idp;
  return { url, metadataUrl: `${url}/metadata`, close: () => app.close() };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const env = process.env;
  const { url, metadataUrl } = await startDevIdp({ port: env.IDP_PORT ? Number(env.IDP_PORT) : undefined, host: env.IDP_HOST });
  console.log(`Dev IdP (development only) on ${url}\n  metadata: ${metadataUrl}\n  SSO URL:  ${url}/sso`);
}
