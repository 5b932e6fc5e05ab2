/**
 * What the shapes suite's operations share: the world they run in (a Gatehouse, the Jackson oracle, IdPs), the
 * documented request bodies, an API-key call to Gatehouse, and the records some operations seed on both sides
 * (a directory with a member, a refused sign-in and its trace, a sign-in through to a token).
 */
import { randomUUID } from 'node:crypto';
import { API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { buildSamlResponseBase64, createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, IDP_SSO_URL, locationParams, samlRound } from '../support/saml-flow.ts';
import { createDirectory, scimClient } from '../support/scim.ts';
import type { TestOidcIdp } from '../support/oidc-idp.ts';
import type { Answer, JacksonOracle } from './jackson-oracle.ts';

export interface World {
  gh: RunningGatehouse;
  jackson: JacksonOracle;
  idp: TestIdp;
  /** An upstream OIDC provider, for the OIDC variants of the connection endpoints. */
  oidc: TestOidcIdp;
}

export interface Outcome {
  gatehouse: Answer;
  /** Jackson's answer to the same operation, when the oracle runs it. */
  jackson?: Answer;
}

export interface Operation {
  /** Polis's route: the status it answers with and where the documented schema sits in its body. */
  polis: { status: number; envelope: 'bare' | 'data' };
  run(w: World): Promise<Outcome>;
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export async function call(gh: RunningGatehouse, method: Method, url: string, payload?: unknown): Promise<Answer> {
  const res = await gh.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  let body: unknown = res.body;
  try {
    body = res.body === '' ? null : JSON.parse(res.body);
  } catch { /* not JSON: kept as text, and the shape check says so */ }
  return { status: res.statusCode, body };
}

export let seq = 0;
/** A tenant of the operation's own, so operations never see each other's records. */
export const tenantFor = (what: string) => `${what}-${++seq}.example.com`;
export const PRODUCT = 'shapes';
/** A product of the operation's own, for the by-product lists. */
export const productFor = (tenant: string) => `${PRODUCT}-${tenant.split('.')[0]}`;
export const qs = (q: Record<string, string>) => new URLSearchParams(q).toString();

export const samlBody = (w: World, tenant: string) => ({ tenant, product: PRODUCT, name: 'Acme Okta', description: 'Okta for Acme', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], rawMetadata: w.idp.metadataXml({ ssoUrl: IDP_SSO_URL }) });
export const oidcBody = (w: World, tenant: string) => ({ tenant, product: PRODUCT, name: 'Acme OIDC', description: 'OIDC for Acme', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], oidcDiscoveryUrl: `${w.oidc.issuer}/.well-known/openid-configuration`, oidcClientId: w.oidc.clientId, oidcClientSecret: w.oidc.clientSecret });

/** Jackson refuses one IdP entity ID for two tenants: its side of each operation gets an IdP of its own. */
export async function jacksonSamlBody(w: World, tenant: string, over: Record<string, unknown> = {}) {
  const idp = await createTestIdp({ entityId: `https://idp.example.com/${tenant}` });
  return { ...samlBody(w, tenant), rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }), ...over };
}
export const dirBody = (tenant: string) => ({ tenant, product: PRODUCT, name: 'Acme SCIM', type: 'okta-scim-v2', webhook_url: 'http://127.0.0.1:9/dsync', webhook_secret: 'whsec_shapes_0123456789' });
export const ssoLinkBody = (tenant: string) => ({ tenant, product: PRODUCT, name: 'Acme', defaultRedirectUrl: APP_CALLBACK, redirectUrl: JSON.stringify([APP_CALLBACK]), expiryDays: 3 });
export const dsyncLinkBody = (tenant: string) => ({ tenant, product: PRODUCT, name: 'Acme', webhook_url: 'http://127.0.0.1:9/dsync', webhook_secret: 'whsec_shapes_0123456789', expiryDays: 3 });

export const jc = (w: World) => w.jackson.controllers;

/**
 * An Identity Federation SAML app's documented create body, with every optional field a Jackson-era app sets, so
 * their types are compared too. `type: 'saml'` as Polis's own admin pages send it (documented as an array; Jackson
 * reads one string). The entity ID is the tenant's own: Jackson and Gatehouse both refuse a taken one.
 */
export const fedAppBody = (tenant: string, product = PRODUCT) => ({
  tenant, product, name: 'Acme Wiki', type: 'saml', acsUrl: `https://wiki.${tenant}/saml/acs`, entityId: `https://wiki.${tenant}/saml/metadata`,
  logoUrl: `https://wiki.${tenant}/logo.png`, faviconUrl: `https://wiki.${tenant}/favicon.ico`, primaryColor: '#25c2a0',
  tenants: [tenant, `partner.${tenant}`], mappings: [{ key: 'department', value: 'dept' }], samlAudienceOverride: `https://idp.${tenant}/federation`, ttlInMinutes: 10,
});

/** The same app created on both sides; returns each side's app (the same id: RIPEMD-160 of tenant:product). */
export async function federationApp(w: World, tenant: string, product = PRODUCT) {
  const g = (await call(w.gh, 'POST', '/api/v1/identity-federation', fedAppBody(tenant, product))).body as { data: { id: string } };
  const j = (await jc(w).identityFederationController.app.create(fedAppBody(tenant, product))) as { id: string };
  return { g: g.data, j };
}

/** A directory with one user in one group, on both sides. */
export async function directoryWithMembers(w: World, tenant: string) {
  const gDir = await createDirectory(w.gh, dirBody(tenant));
  const scim = scimClient(w.gh, gDir);
  const user = (await scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `jane@${tenant}`, name: { givenName: 'Jane', familyName: 'Doe' }, emails: [{ value: `jane@${tenant}`, primary: true, type: 'work' }], active: true })).body;
  const group = (await scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Engineering', members: [{ value: user.id }] })).body;

  const jDir = (await jc(w).directorySyncController.directories.create(dirBody(tenant))).data;
  const users = jc(w).directorySyncController.users.setTenantAndProduct(tenant, PRODUCT);
  const groups = jc(w).directorySyncController.groups.setTenantAndProduct(tenant, PRODUCT);
  const raw = { userName: `jane@${tenant}`, name: { givenName: 'Jane', familyName: 'Doe' }, emails: [{ value: `jane@${tenant}`, primary: true }], active: true };
  const jUser = (await users.create({ id: randomUUID(), directoryId: jDir.id, first_name: 'Jane', last_name: 'Doe', email: `jane@${tenant}`, active: true, raw })).data;
  const jGroup = (await groups.create({ directoryId: jDir.id, name: 'Engineering', raw: { displayName: 'Engineering', members: [] } })).data;
  await groups.addUserToGroup(jGroup.id, jUser.id);
  return { g: { dir: gDir, user, group }, j: { dir: jDir, user: jUser, group: jGroup } };
}

/** Gatehouse's answer, then Jackson's, for one operation. */
export const both = async (g: Promise<Answer>, j: Promise<Answer>): Promise<Outcome> => ({ gatehouse: await g, jackson: await j });

/** A SAML sign-in the IdP answers for the wrong Audience: Gatehouse keeps a trace of it; returns the trace's id. */
export async function failedSignIn(w: World, tenant: string): Promise<string> {
  const c = (await call(w.gh, 'POST', '/api/v1/sso', samlBody(w, tenant))).body as { clientID: string };
  const round = await samlRound(w.gh, w.idp, { response_type: 'code', client_id: c.clientID, redirect_uri: APP_CALLBACK, state: 'st' }, { spEntityId: 'https://not-this-sp.example.com' });
  if (locationParams(round.acs).get('code')) throw new Error('the refused sign-in produced a code');
  const listed = (await call(w.gh, 'GET', `/api/v1/sso-traces/product?${qs({ product: PRODUCT })}`)).body as { data: { traceId: string }[] };
  return listed.data[0]!.traceId;
}

/** The same refused sign-in through Jackson's own authorize and ACS controllers; returns the trace's id. */
export async function jacksonFailedSignIn(w: World, tenant: string): Promise<string> {
  const body = await jacksonSamlBody(w, tenant);
  const idp = await createTestIdp({ entityId: `https://idp.example.com/${tenant}/traced` });
  const c = await jc(w).connectionAPIController.createSAMLConnection({ ...body, rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }) });
  const started = await jc(w).oauthController.authorize({ response_type: 'code', client_id: c.clientID, redirect_uri: APP_CALLBACK, state: 'st' });
  const relayState = new URL(started.redirect_url).searchParams.get('RelayState');
  const samlResponse = buildSamlResponseBase64({ idp, spEntityId: 'https://not-this-sp.example.com', acsUrl: `${w.gh.baseUrl}/api/oauth/saml`, inResponseTo: '_unrelated', nameId: `jane@${tenant}`, attributes: { email: `jane@${tenant}` } });
  const answered = await jc(w).oauthController.samlResponse({ SAMLResponse: samlResponse, RelayState: relayState });
  if (!String(answered.redirect_url ?? '').includes('error=')) throw new Error('Jackson accepted the refused sign-in');
  const traces = await jc(w).adminController.getTracesByProduct(PRODUCT, 0, 50);
  return (traces.data as { traceId: string; context: { tenant: string } }[]).find((tr) => tr.context.tenant === tenant)!.traceId;
}

/** A SAML sign-in through Gatehouse with the Jackson-era `tenant=…&product=…` client and the `dummy` secret; returns the token answer. */
export async function signIn(w: World, tenant: string) {
  await call(w.gh, 'POST', '/api/v1/sso', samlBody(w, tenant));
  const clientId = `tenant=${tenant}&product=${PRODUCT}`;
  const round = await samlRound(w.gh, w.idp, { response_type: 'code', client_id: clientId, redirect_uri: APP_CALLBACK, state: 'st' });
  const code = locationParams(round.acs).get('code');
  if (!code) throw new Error(`no code: ${round.acs.statusCode} ${round.acs.headers.location ?? round.acs.body.slice(0, 200)}`);
  const res = await w.gh.app.inject({
    method: 'POST', url: '/api/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, client_secret: 'dummy', code, redirect_uri: APP_CALLBACK }).toString(),
  });
  return { token: { status: res.statusCode, body: res.json() } as Answer };
}
