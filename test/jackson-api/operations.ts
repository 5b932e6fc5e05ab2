/**
 * One operation per documented Jackson endpoint: the documented request, sent to Gatehouse over HTTP and, where
 * the real Jackson can run it in-process, to Jackson's controllers as Polis's route would call them. Each entry
 * also says how Polis's route (`pages/api/v1/**`) answers: its status and whether the documented schema is the
 * whole body (`bare`) or the body's `data` (`data`). Every operation seeds what it needs under a tenant of its own.
 */
import { randomUUID } from 'node:crypto';
import { API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { buildSamlResponseBase64, createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, IDP_SSO_URL, locationParams, samlRound } from '../support/saml-flow.ts';
import { createDirectory, scimClient, startReceiver } from '../support/scim.ts';
import { startWebhookDeliverer } from '../../src/directory-sync/webhooks/deliverer.ts';
import type { TestOidcIdp } from '../support/oidc-idp.ts';
import { polis, type Answer, type JacksonOracle } from './jackson-oracle.ts';

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

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export async function call(gh: RunningGatehouse, method: Method, url: string, payload?: unknown): Promise<Answer> {
  const res = await gh.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  let body: unknown = res.body;
  try {
    body = res.body === '' ? null : JSON.parse(res.body);
  } catch { /* not JSON: kept as text, and the shape check says so */ }
  return { status: res.statusCode, body };
}

let seq = 0;
/** A tenant of the operation's own, so operations never see each other's records. */
const tenantFor = (what: string) => `${what}-${++seq}.example.com`;
const PRODUCT = 'shapes';
const qs = (q: Record<string, string>) => new URLSearchParams(q).toString();

const samlBody = (w: World, tenant: string) => ({ tenant, product: PRODUCT, name: 'Acme Okta', description: 'Okta for Acme', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], rawMetadata: w.idp.metadataXml({ ssoUrl: IDP_SSO_URL }) });
const oidcBody = (w: World, tenant: string) => ({ tenant, product: PRODUCT, name: 'Acme OIDC', description: 'OIDC for Acme', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], oidcDiscoveryUrl: `${w.oidc.issuer}/.well-known/openid-configuration`, oidcClientId: w.oidc.clientId, oidcClientSecret: w.oidc.clientSecret });

/** Jackson refuses one IdP entity ID for two tenants: its side of each operation gets an IdP of its own. */
async function jacksonSamlBody(w: World, tenant: string, over: Record<string, unknown> = {}) {
  const idp = await createTestIdp({ entityId: `https://idp.example.com/${tenant}` });
  return { ...samlBody(w, tenant), rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }), ...over };
}
const dirBody = (tenant: string) => ({ tenant, product: PRODUCT, name: 'Acme SCIM', type: 'okta-scim-v2', webhook_url: 'http://127.0.0.1:9/dsync', webhook_secret: 'whsec_shapes_0123456789' });
const ssoLinkBody = (tenant: string) => ({ tenant, product: PRODUCT, name: 'Acme', defaultRedirectUrl: APP_CALLBACK, redirectUrl: JSON.stringify([APP_CALLBACK]), expiryDays: 3 });
const dsyncLinkBody = (tenant: string) => ({ tenant, product: PRODUCT, name: 'Acme', webhook_url: 'http://127.0.0.1:9/dsync', webhook_secret: 'whsec_shapes_0123456789', expiryDays: 3 });

const jc = (w: World) => w.jackson.controllers;

/** A directory with one user in one group, on both sides. */
async function directoryWithMembers(w: World, tenant: string) {
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
const both = async (g: Promise<Answer>, j: Promise<Answer>): Promise<Outcome> => ({ gatehouse: await g, jackson: await j });

export const OPERATIONS: Record<string, Operation> = {
  // ---- SSO connections (pages/api/v1/sso/index.ts, product.ts) ----
  'POST /api/v1/sso': {
    polis: { status: 200, envelope: 'bare' },
    run: (w) => { const t = tenantFor('sso-create'); return both(call(w.gh, 'POST', '/api/v1/sso', samlBody(w, t)), polis(async () => jc(w).connectionAPIController.createSAMLConnection(await jacksonSamlBody(w, t)), 200)); },
  },
  'GET /api/v1/sso': {
    polis: { status: 200, envelope: 'bare' },
    run: async (w) => {
      const t = tenantFor('sso-list');
      await call(w.gh, 'POST', '/api/v1/sso', samlBody(w, t));
      await jc(w).connectionAPIController.createSAMLConnection(await jacksonSamlBody(w, t));
      return both(call(w.gh, 'GET', `/api/v1/sso?${qs({ tenant: t, product: PRODUCT })}`), polis(() => jc(w).connectionAPIController.getConnections({ tenant: t, product: PRODUCT }), 200));
    },
  },
  // The same two endpoints with an OIDC connection (a variant: the key after " — " names it).
  'POST /api/v1/sso — OIDC': {
    polis: { status: 200, envelope: 'bare' },
    run: (w) => { const t = tenantFor('oidc-create'); return both(call(w.gh, 'POST', '/api/v1/sso', oidcBody(w, t)), polis(() => jc(w).connectionAPIController.createOIDCConnection(oidcBody(w, t)), 200)); },
  },
  'GET /api/v1/sso — OIDC': {
    polis: { status: 200, envelope: 'bare' },
    run: async (w) => {
      const t = tenantFor('oidc-list');
      await call(w.gh, 'POST', '/api/v1/sso', oidcBody(w, t));
      await jc(w).connectionAPIController.createOIDCConnection(oidcBody(w, t));
      return both(call(w.gh, 'GET', `/api/v1/sso?${qs({ tenant: t, product: PRODUCT })}`), polis(() => jc(w).connectionAPIController.getConnections({ tenant: t, product: PRODUCT }), 200));
    },
  },
  'PATCH /api/v1/sso': {
    // Polis answers 204 (older routes) or 200 with the connection (newer); both are documented.
    polis: { status: 204, envelope: 'bare' },
    run: async (w) => {
      const t = tenantFor('sso-patch');
      const c = (await call(w.gh, 'POST', '/api/v1/sso', samlBody(w, t))).body as { clientID: string; clientSecret: string };
      return { gatehouse: await call(w.gh, 'PATCH', '/api/v1/sso', { clientID: c.clientID, clientSecret: c.clientSecret, tenant: t, product: PRODUCT, name: 'Renamed', redirectUrl: [APP_CALLBACK], defaultRedirectUrl: APP_CALLBACK }) };
    },
  },
  'DELETE /api/v1/sso': {
    polis: { status: 204, envelope: 'bare' },
    run: async (w) => {
      const t = tenantFor('sso-delete');
      const c = (await call(w.gh, 'POST', '/api/v1/sso', samlBody(w, t))).body as { clientID: string; clientSecret: string };
      return { gatehouse: await call(w.gh, 'DELETE', `/api/v1/sso?${qs({ clientID: c.clientID, clientSecret: c.clientSecret })}`) };
    },
  },
  'GET /api/v1/sso/product': {
    polis: { status: 200, envelope: 'bare' },
    run: async (w) => {
      const t = tenantFor('sso-product');
      const product = `${PRODUCT}-${seq}`;
      await call(w.gh, 'POST', '/api/v1/sso', { ...samlBody(w, t), product });
      await jc(w).connectionAPIController.createSAMLConnection(await jacksonSamlBody(w, t, { product }));
      return both(call(w.gh, 'GET', `/api/v1/sso/product?${qs({ product, pageOffset: '0', pageLimit: '10' })}`), polis(() => jc(w).connectionAPIController.getConnectionsByProduct({ product, pageOffset: 0, pageLimit: 10 }), 200, (r: { data: unknown }) => r.data));
    },
  },

  // ---- Setup links (pages/api/v1/{sso,dsync}/setuplinks/index.ts, product.ts) ----
  ...setupLinkOperations('sso', ssoLinkBody),
  ...setupLinkOperations('dsync', dsyncLinkBody),

  // ---- Directories (pages/api/v1/dsync/index.ts, [directoryId].ts, product.ts) ----
  'POST /api/v1/dsync': {
    polis: { status: 201, envelope: 'data' },
    run: (w) => { const t = tenantFor('dsync-create'); return both(call(w.gh, 'POST', '/api/v1/dsync', dirBody(t)), polis(() => jc(w).directorySyncController.directories.create(dirBody(t)), 201, (r: { data: unknown }) => ({ data: r.data }))); },
  },
  'GET /api/v1/dsync': {
    polis: { status: 200, envelope: 'data' },
    run: async (w) => {
      const t = tenantFor('dsync-list');
      await call(w.gh, 'POST', '/api/v1/dsync', dirBody(t));
      await jc(w).directorySyncController.directories.create(dirBody(t));
      return both(call(w.gh, 'GET', `/api/v1/dsync?${qs({ tenant: t, product: PRODUCT })}`), polis(() => jc(w).directorySyncController.directories.getByTenantAndProduct(t, PRODUCT), 200, (r: { data: unknown }) => ({ data: r.data })));
    },
  },
  'GET /api/v1/dsync/{directoryId}': {
    polis: { status: 200, envelope: 'data' },
    run: async (w) => {
      const t = tenantFor('dsync-get');
      const g = (await call(w.gh, 'POST', '/api/v1/dsync', dirBody(t))).body as { data: { id: string } };
      const j = (await jc(w).directorySyncController.directories.create(dirBody(t))).data;
      return both(call(w.gh, 'GET', `/api/v1/dsync/${g.data.id}`), polis(() => jc(w).directorySyncController.directories.get(j.id), 200, (r: { data: unknown }) => ({ data: r.data })));
    },
  },
  'PATCH /api/v1/dsync/{directoryId}': {
    polis: { status: 200, envelope: 'data' },
    run: async (w) => {
      const t = tenantFor('dsync-patch');
      const change = { name: 'Renamed', webhook_url: 'http://127.0.0.1:9/other', webhook_secret: 'whsec_other_0123456789' };
      const g = (await call(w.gh, 'POST', '/api/v1/dsync', dirBody(t))).body as { data: { id: string } };
      const j = (await jc(w).directorySyncController.directories.create(dirBody(t))).data;
      return both(
        call(w.gh, 'PATCH', `/api/v1/dsync/${g.data.id}`, change),
        polis(() => jc(w).directorySyncController.directories.update(j.id, { ...change, webhook: { endpoint: change.webhook_url, secret: change.webhook_secret } }), 200, (r: { data: unknown }) => ({ data: r.data })),
      );
    },
  },
  'DELETE /api/v1/dsync/{directoryId}': {
    polis: { status: 200, envelope: 'data' },
    run: async (w) => {
      const g = (await call(w.gh, 'POST', '/api/v1/dsync', dirBody(tenantFor('dsync-delete')))).body as { data: { id: string } };
      return { gatehouse: await call(w.gh, 'DELETE', `/api/v1/dsync/${g.data.id}`), jackson: { status: 200, body: { data: {} } } };
    },
  },
  'GET /api/v1/dsync/product': {
    polis: { status: 200, envelope: 'bare' },
    run: async (w) => {
      const t = tenantFor('dsync-product');
      const product = `${PRODUCT}-${seq}`;
      await call(w.gh, 'POST', '/api/v1/dsync', { ...dirBody(t), product });
      await jc(w).directorySyncController.directories.create({ ...dirBody(t), product });
      return both(call(w.gh, 'GET', `/api/v1/dsync/product?${qs({ product, pageOffset: '0', pageLimit: '10' })}`), polis(() => jc(w).directorySyncController.directories.filterBy({ product, pageOffset: 0, pageLimit: 10 }), 200));
    },
  },

  // ---- Directory users, groups, members, events (pages/api/v1/dsync/{users,groups,events}/**) ----
  'GET /api/v1/dsync/users': {
    polis: { status: 200, envelope: 'bare' },
    run: async (w) => {
      const { g, j } = await directoryWithMembers(w, tenantFor('dsync-users'));
      return both(call(w.gh, 'GET', `/api/v1/dsync/users?${qs({ directoryId: g.dir.id, pageOffset: '0', pageLimit: '10' })}`), polis(() => jc(w).directorySyncController.users.setTenantAndProduct(j.dir.tenant, PRODUCT).getAll({ directoryId: j.dir.id, pageOffset: 0, pageLimit: 10 }), 200, (r: { data: unknown }) => ({ data: r.data })));
    },
  },
  'GET /api/v1/dsync/users/{userId}': {
    polis: { status: 200, envelope: 'data' },
    run: async (w) => {
      const { g, j } = await directoryWithMembers(w, tenantFor('dsync-user'));
      return both(call(w.gh, 'GET', `/api/v1/dsync/users/${g.user.id}?${qs({ directoryId: g.dir.id })}`), polis(() => jc(w).directorySyncController.users.setTenantAndProduct(j.dir.tenant, PRODUCT).get(j.user.id), 200, (r: { data: unknown }) => ({ data: r.data })));
    },
  },
  'GET /api/v1/dsync/groups': {
    polis: { status: 200, envelope: 'bare' },
    run: async (w) => {
      const { g, j } = await directoryWithMembers(w, tenantFor('dsync-groups'));
      return both(call(w.gh, 'GET', `/api/v1/dsync/groups?${qs({ directoryId: g.dir.id, pageOffset: '0', pageLimit: '10' })}`), polis(() => jc(w).directorySyncController.groups.setTenantAndProduct(j.dir.tenant, PRODUCT).getAll({ directoryId: j.dir.id, pageOffset: 0, pageLimit: 10 }), 200));
    },
  },
  'GET /api/v1/dsync/groups/{groupId}': {
    polis: { status: 200, envelope: 'data' },
    run: async (w) => {
      const { g, j } = await directoryWithMembers(w, tenantFor('dsync-group'));
      return both(call(w.gh, 'GET', `/api/v1/dsync/groups/${g.group.id}?${qs({ directoryId: g.dir.id })}`), polis(() => jc(w).directorySyncController.groups.setTenantAndProduct(j.dir.tenant, PRODUCT).get(j.group.id), 200, (r: { data: unknown }) => ({ data: r.data })));
    },
  },
  'GET /api/v1/dsync/groups/{groupId}/members': {
    polis: { status: 200, envelope: 'bare' },
    run: async (w) => {
      const { g, j } = await directoryWithMembers(w, tenantFor('dsync-members'));
      return both(call(w.gh, 'GET', `/api/v1/dsync/groups/${g.group.id}/members?${qs({ directoryId: g.dir.id })}`), polis(() => jc(w).directorySyncController.groups.setTenantAndProduct(j.dir.tenant, PRODUCT).getGroupMembers({ groupId: j.group.id }), 200, (r: { data: unknown }) => ({ data: r.data })));
    },
  },
  'GET /api/v1/dsync/events': {
    polis: { status: 200, envelope: 'bare' },
    run: async (w) => {
      // One user.created delivered to a real receiver: by Gatehouse's deliverer, and logged by Jackson's own webhook log.
      const tenant = tenantFor('dsync-events');
      const rx = await startReceiver('whsec_shapes_0123456789');
      const deliverer = startWebhookDeliverer(w.gh.ctx);
      try {
        const dir = await createDirectory(w.gh, { ...dirBody(tenant), webhook_url: rx.url });
        await scimClient(w.gh, dir)('POST', '/Users', { userName: `jane@${tenant}`, emails: [{ value: `jane@${tenant}`, primary: true }] });
        await deliverer.runOnce();
        if (rx.received.length !== 1) throw new Error(`the receiver got ${rx.received.length} events`);
        const jDir = (await jc(w).directorySyncController.directories.create({ ...dirBody(tenant), webhook_url: rx.url })).data;
        const logs = jc(w).directorySyncController.webhookLogs.setTenantAndProduct(tenant, PRODUCT);
        await logs.log(jDir, { event: 'user.created', tenant, product: PRODUCT, directory_id: jDir.id, data: rx.received[0]!.body.data }, 200);
        return both(call(w.gh, 'GET', `/api/v1/dsync/events?${qs({ directoryId: dir.id, pageOffset: '0', pageLimit: '10' })}`), polis(() => logs.getAll({ directoryId: jDir.id, pageOffset: 0, pageLimit: 10 }), 200));
      } finally {
        await deliverer.stop();
        await rx.close();
      }
    },
  },

  // ---- SSO traces (pages/api/v1/sso-traces/index.ts, product/index.ts) ----
  'GET /api/v1/sso-traces': {
    polis: { status: 200, envelope: 'data' },
    run: async (w) => {
      const t = tenantFor('traces-one');
      const traceId = await failedSignIn(w, t);
      const jTrace = await jacksonFailedSignIn(w, t);
      return both(call(w.gh, 'GET', `/api/v1/sso-traces?${qs({ id: traceId })}`), polis(() => jc(w).adminController.getSSOTraceById(jTrace), 200, (r) => ({ data: r })));
    },
  },
  'GET /api/v1/sso-traces/product': {
    polis: { status: 200, envelope: 'bare' },
    run: async (w) => {
      const t = tenantFor('traces-product');
      await failedSignIn(w, t);
      await jacksonFailedSignIn(w, t);
      return both(call(w.gh, 'GET', `/api/v1/sso-traces/product?${qs({ product: PRODUCT, pageOffset: '0', pageLimit: '10' })}`), polis(() => jc(w).adminController.getTracesByProduct(PRODUCT, 0, 10), 200));
    },
  },

  // ---- Identity Federation (ee/identity-federation/api/v1/index.ts, product.ts) ----
  'POST /api/v1/identity-federation': {
    polis: { status: 201, envelope: 'bare' },
    run: async (w) => ({ gatehouse: await call(w.gh, 'POST', '/api/v1/identity-federation', { tenant: tenantFor('fed'), product: PRODUCT, name: 'Federated app', acsUrl: 'https://sp.example.com/acs', entityId: 'https://sp.example.com' }) }),
  },
  'GET /api/v1/identity-federation': { polis: { status: 200, envelope: 'bare' }, run: async (w) => ({ gatehouse: await call(w.gh, 'GET', `/api/v1/identity-federation?${qs({ id: 'app-id' })}`) }) },
  'PATCH /api/v1/identity-federation': { polis: { status: 200, envelope: 'bare' }, run: async (w) => ({ gatehouse: await call(w.gh, 'PATCH', '/api/v1/identity-federation', { id: 'app-id', name: 'Renamed' }) }) },
  'DELETE /api/v1/identity-federation': { polis: { status: 200, envelope: 'bare' }, run: async (w) => ({ gatehouse: await call(w.gh, 'DELETE', `/api/v1/identity-federation?${qs({ id: 'app-id' })}`) }) },
  'GET /api/v1/identity-federation/product': { polis: { status: 200, envelope: 'bare' }, run: async (w) => ({ gatehouse: await call(w.gh, 'GET', `/api/v1/identity-federation/product?${qs({ product: PRODUCT })}`) }) },

  // ---- App-facing OAuth (documented as /oauth/*; Jackson serves them under /api/oauth/*) ----
  'POST /oauth/token': {
    polis: { status: 200, envelope: 'bare' },
    run: async (w) => ({ gatehouse: (await signIn(w, tenantFor('oauth-token'))).token }),
  },
  'GET /oauth/userinfo': {
    polis: { status: 200, envelope: 'bare' },
    run: async (w) => {
      const { token } = await signIn(w, tenantFor('oauth-userinfo'));
      const res = await w.gh.app.inject({ url: '/api/oauth/userinfo', headers: { authorization: `Bearer ${(token.body as { access_token: string }).access_token}` } });
      return { gatehouse: { status: res.statusCode, body: res.json() } };
    },
  },
};

function setupLinkOperations(service: 'sso' | 'dsync', bodyOf: (tenant: string) => Record<string, unknown>): Record<string, Operation> {
  const base = `/api/v1/${service}/setuplinks`;
  const jCreate = (w: World, t: string) => jc(w).setupLinkController.create({ ...bodyOf(t), service });
  return {
    [`POST ${base}`]: {
      polis: { status: 201, envelope: 'data' },
      run: (w) => { const t = tenantFor(`${service}-link-create`); return both(call(w.gh, 'POST', base, bodyOf(t)), polis(() => jCreate(w, t), 201, (r) => ({ data: r }))); },
    },
    [`GET ${base}`]: {
      polis: { status: 200, envelope: 'data' },
      run: async (w) => {
        const t = tenantFor(`${service}-link-get`);
        await call(w.gh, 'POST', base, bodyOf(t));
        await jCreate(w, t);
        return both(call(w.gh, 'GET', `${base}?${qs({ tenant: t, product: PRODUCT })}`), polis(() => jc(w).setupLinkController.filterBy({ tenant: t, product: PRODUCT, service }), 200, (r: { data: unknown[] }) => ({ data: r.data[0] })));
      },
    },
    [`DELETE ${base}`]: {
      polis: { status: 200, envelope: 'data' },
      run: async (w) => {
        const t = tenantFor(`${service}-link-delete`);
        await call(w.gh, 'POST', base, bodyOf(t));
        return { gatehouse: await call(w.gh, 'DELETE', `${base}?${qs({ tenant: t, product: PRODUCT })}`), jackson: { status: 200, body: { data: {} } } };
      },
    },
    [`GET ${base}/product`]: {
      polis: { status: 200, envelope: 'data' },
      run: async (w) => {
        const t = tenantFor(`${service}-link-product`);
        const product = `${PRODUCT}-${seq}`;
        await call(w.gh, 'POST', base, { ...bodyOf(t), product });
        await jc(w).setupLinkController.create({ ...bodyOf(t), product, service });
        return both(call(w.gh, 'GET', `${base}/product?${qs({ product, pageOffset: '0', pageLimit: '10' })}`), polis(() => jc(w).setupLinkController.filterBy({ product, service, pageOffset: 0, pageLimit: 10 }), 200));
      },
    },
  };
}

/** A SAML sign-in the IdP answers for the wrong Audience: Gatehouse keeps a trace of it; returns the trace's id. */
async function failedSignIn(w: World, tenant: string): Promise<string> {
  const c = (await call(w.gh, 'POST', '/api/v1/sso', samlBody(w, tenant))).body as { clientID: string };
  const round = await samlRound(w.gh, w.idp, { response_type: 'code', client_id: c.clientID, redirect_uri: APP_CALLBACK, state: 'st' }, { spEntityId: 'https://not-this-sp.example.com' });
  if (locationParams(round.acs).get('code')) throw new Error('the refused sign-in produced a code');
  const listed = (await call(w.gh, 'GET', `/api/v1/sso-traces/product?${qs({ product: PRODUCT })}`)).body as { data: { traceId: string }[] };
  return listed.data[0]!.traceId;
}

/** The same refused sign-in through Jackson's own authorize and ACS controllers; returns the trace's id. */
async function jacksonFailedSignIn(w: World, tenant: string): Promise<string> {
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
async function signIn(w: World, tenant: string) {
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

/**
 * The documented refusals (4xx other than 401, which every endpoint answers without a key): a request Jackson
 * refuses with that status, sent to both. Keyed by endpoint, then status.
 */
export const REFUSALS: Record<string, Record<string, (w: World) => Promise<Outcome>>> = {
  'GET /api/v1/sso': {
    400: (w) => both(call(w.gh, 'GET', `/api/v1/sso?${qs({ tenant: 'only-a-tenant.example.com' })}`), polis(() => jc(w).connectionAPIController.getConnections({ tenant: 'only-a-tenant.example.com' }), 200)),
  },
  'POST /api/v1/sso': {
    400: (w) => { const t = tenantFor('sso-refused'); const { defaultRedirectUrl: _, ...rest } = samlBody(w, t); return both(call(w.gh, 'POST', '/api/v1/sso', rest), polis(() => jc(w).connectionAPIController.createSAMLConnection(rest), 200)); },
  },
  'PATCH /api/v1/sso': {
    400: (w) => both(call(w.gh, 'PATCH', '/api/v1/sso', { name: 'No clientID' }), polis(() => jc(w).connectionAPIController.updateSAMLConnection({ name: 'No clientID' }), 204)),
  },
  'DELETE /api/v1/sso': {
    400: (w) => both(call(w.gh, 'DELETE', '/api/v1/sso'), polis(() => jc(w).connectionAPIController.deleteConnections({}), 204)),
  },
  'GET /api/v1/sso/product': {
    400: (w) => both(call(w.gh, 'GET', '/api/v1/sso/product'), polis(() => jc(w).connectionAPIController.getConnectionsByProduct({}), 200)),
  },
};
