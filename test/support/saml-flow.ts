/**
 * Drives a SAML login through a running Gatehouse the way a browser would: follow authorize to the
 * IdP, let the test IdP answer the AuthnRequest it received, post the answer to the ACS.
 */
import { after, before } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { parseRedirectBindingRequest } from '../../src/sso/saml/authn-request.ts';
import type { DialectName } from '../../src/storage/dialect.ts';
import { buildSamlResponseBase64, createTestIdp, type ResponseOptions, type TestIdp } from './saml-idp.ts';
import { API_KEY, startGatehouse, type RunningGatehouse } from './gatehouse.ts';

export const IDP_SSO_URL = 'https://idp.example.test/sso';
export const APP_CALLBACK = 'https://app.example.test/callback';

export async function createSamlConnection(app: FastifyInstance, idp: TestIdp, over: Record<string, unknown> = {}, metadataOpts: Parameters<TestIdp['metadataXml']>[0] = { ssoUrl: IDP_SSO_URL }) {
  const res = await app.inject({
    method: 'POST', url: '/api/v1/sso', headers: { authorization: `Api-Key ${API_KEY}` },
    payload: { tenant: 'acme.com', product: 'crm', name: 'Acme Okta', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], rawMetadata: idp.metadataXml(metadataOpts), ...over },
  });
  if (res.statusCode >= 300) throw new Error(`create connection failed: ${res.statusCode} ${res.body}`);
  return res.json() as { clientID: string; clientSecret: string; tenant: string; product: string };
}

/** Follows GET authorize to the IdP; returns the AuthnRequest the IdP received. */
export async function startLogin(app: FastifyInstance, query: Record<string, string>) {
  const res = await app.inject({ method: 'GET', url: `/api/oauth/authorize?${new URLSearchParams(query)}` });
  if (res.statusCode !== 302) return { res, requestId: null as string | null, relayState: null as string | null };
  const location = res.headers.location as string;
  const req = parseRedirectBindingRequest(location);
  const requestId = /\bID="([^"]+)"/.exec(req.xml)?.[1] ?? null;
  return { res, requestId, relayState: req.relayState, location, authnRequestXml: req.xml };
}

export async function postToAcs(app: FastifyInstance, samlResponse: string, relayState: string | null) {
  return app.inject({ method: 'POST', url: '/api/oauth/saml', payload: new URLSearchParams({ SAMLResponse: samlResponse, ...(relayState ? { RelayState: relayState } : {}) }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

/** A full authorize → IdP → ACS round; returns the ACS answer (a 302 to the app on success). */
export async function samlRound(gh: RunningGatehouse, idp: TestIdp, query: Record<string, string>, response: Partial<ResponseOptions> = {}) {
  const start = await startLogin(gh.app, query);
  if (!start.requestId) throw new Error(`authorize did not reach the IdP: ${start.res.statusCode} ${start.res.body.slice(0, 300)}`);
  const b64 = buildSamlResponseBase64({
    idp, spEntityId: gh.ctx.config.SAML_SP_ENTITY_ID, acsUrl: gh.ctx.config.acsUrl, inResponseTo: start.requestId,
    nameId: 'alice@acme.com', attributes: { email: 'alice@acme.com', firstName: 'Alice', lastName: 'Liddell', groups: ['admins', 'staff'] }, ...response,
  });
  const acs = await postToAcs(gh.app, b64, start.relayState);
  return { start, acs, samlResponse: b64 };
}

export const locationParams = (res: { headers: Record<string, unknown> }) => new URL(res.headers.location as string).searchParams;

/** A suite's Gatehouse on one dialect with a test IdP and a SAML connection (`gh` null: the dialect is unreachable). */
export interface SamlDeployment {
  gh: RunningGatehouse | null;
  idp: TestIdp;
  conn: { clientID: string; clientSecret: string };
}

/** Starts a SamlDeployment before the enclosing suite's tests and closes it after them. */
export function samlDeploymentFor(dialect: DialectName): SamlDeployment {
  const d = { gh: null } as SamlDeployment;
  before(async () => {
    d.gh = await startGatehouse({ dialect });
    if (!d.gh) return;
    d.idp = await createTestIdp();
    d.conn = await createSamlConnection(d.gh.app, d.idp);
  });
  after(async () => d.gh?.close());
  return d;
}
