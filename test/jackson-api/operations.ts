/**
 * One operation per documented Jackson endpoint: the documented request, sent to Gatehouse over HTTP and, where
 * the real Jackson can run it in-process, to Jackson's controllers as Polis's route would call them. Each entry
 * also says how Polis's route (`pages/api/v1/**`) answers: its status and whether the documented schema is the
 * whole body (`bare`) or the body's `data` (`data`). Every operation seeds what it needs under a tenant of its own.
 */
import { APP_CALLBACK } from '../support/saml-flow.ts';
import { createDirectory, scimClient, startReceiver, waitFor } from '../support/scim.ts';
import { startWebhookDeliverer } from '../../src/directory-sync/webhooks/deliverer.ts';
import { polis } from './jackson-oracle.ts';
import { both, call, dirBody, directoryWithMembers, dsyncLinkBody, failedSignIn, fedAppBody, federationApp, jacksonFailedSignIn, jacksonSamlBody, jc, oidcBody, PRODUCT, productFor, qs, samlBody, signIn, ssoLinkBody, tenantFor, type Operation, type Outcome, type World } from './seeds.ts';

export type { Operation, Outcome, World } from './seeds.ts';

const fedApps = (w: World) => jc(w).identityFederationController.app;

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
      const product = productFor(t);
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
      const product = productFor(t);
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
        // The receiver has it before the deliverer records the outcome: wait for Gatehouse's own status.
        const events = () => call(w.gh, 'GET', `/api/v1/dsync/events?${qs({ directoryId: dir.id })}`);
        await waitFor(async () => rx.received.length > 0 && ((await events()).body as { data: { status: string }[] }).data[0]?.status === 'delivered');
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
  // Polis wraps these answers in {data} (POST 201, GET/PATCH 200 with the app, DELETE 200 {data: {}}; /product
  // sends getByProduct's {data: [...]} as is). Jackson documents that envelope itself ({data, error}), so the
  // schema is the whole body: 'bare'.
  'POST /api/v1/identity-federation': {
    polis: { status: 201, envelope: 'bare' },
    run: (w) => { const t = tenantFor('fed-create'); return both(call(w.gh, 'POST', '/api/v1/identity-federation', fedAppBody(t)), polis(() => fedApps(w).create(fedAppBody(t)), 201, (app) => ({ data: app }))); },
  },
  'GET /api/v1/identity-federation': {
    polis: { status: 200, envelope: 'bare' },
    run: async (w) => {
      const { g, j } = await federationApp(w, tenantFor('fed-get'));
      return both(call(w.gh, 'GET', `/api/v1/identity-federation?${qs({ id: g.id })}`), polis(() => fedApps(w).get({ id: j.id }), 200, (app) => ({ data: app })));
    },
  },
  'PATCH /api/v1/identity-federation': {
    polis: { status: 200, envelope: 'bare' },
    run: async (w) => {
      const { g, j } = await federationApp(w, tenantFor('fed-patch'));
      const change = { name: 'Renamed', acsUrl: 'https://wiki.example.com/saml/acs', primaryColor: '#000000' };
      return both(call(w.gh, 'PATCH', '/api/v1/identity-federation', { id: g.id, ...change }), polis(() => fedApps(w).update({ id: j.id, ...change }), 200, (app) => ({ data: app })));
    },
  },
  'DELETE /api/v1/identity-federation': {
    polis: { status: 200, envelope: 'bare' },
    run: async (w) => {
      const { g, j } = await federationApp(w, tenantFor('fed-delete'));
      return both(call(w.gh, 'DELETE', `/api/v1/identity-federation?${qs({ id: g.id })}`), polis(() => fedApps(w).delete({ id: j.id }), 200, () => ({ data: {} })));
    },
  },
  'GET /api/v1/identity-federation/product': {
    polis: { status: 200, envelope: 'bare' },
    run: async (w) => {
      const t = tenantFor('fed-product');
      const product = productFor(t);
      await federationApp(w, t, product);
      return both(call(w.gh, 'GET', `/api/v1/identity-federation/product?${qs({ product, pageOffset: '0', pageLimit: '10' })}`), polis(() => fedApps(w).getByProduct({ product, pageOffset: 0, pageLimit: 10 }), 200));
    },
  },
  // The deliberate differences of the guide's federation table, each pinned against Jackson's answer.
  'POST /api/v1/identity-federation — second app for the tenant and product': {
    polis: { status: 400, envelope: 'bare' },
    run: async (w) => {
      const t = tenantFor('fed-twice');
      await federationApp(w, t);
      const again = { ...fedAppBody(t), entityId: `https://other.${t}/saml/metadata` };
      return both(call(w.gh, 'POST', '/api/v1/identity-federation', again), polis(() => fedApps(w).create(again), 201, (app) => ({ data: app })));
    },
  },
  'POST /api/v1/identity-federation — taken entity ID': {
    polis: { status: 400, envelope: 'bare' },
    run: async (w) => {
      const t = tenantFor('fed-entity');
      await federationApp(w, t);
      const other = { ...fedAppBody(tenantFor('fed-entity-other')), entityId: fedAppBody(t).entityId };
      return both(call(w.gh, 'POST', '/api/v1/identity-federation', other), polis(() => fedApps(w).create(other), 201, (app) => ({ data: app })));
    },
  },
  'PATCH /api/v1/identity-federation — another entity ID': {
    polis: { status: 200, envelope: 'bare' },
    run: async (w) => {
      const { g, j } = await federationApp(w, tenantFor('fed-entity-patch'));
      const change = { name: 'Renamed', entityId: 'https://wiki.example.com/another' };
      return both(call(w.gh, 'PATCH', '/api/v1/identity-federation', { id: g.id, ...change }), polis(() => fedApps(w).update({ id: j.id, ...change }), 200, (app) => ({ data: app })));
    },
  },
  'DELETE /api/v1/identity-federation — unknown app': {
    polis: { status: 200, envelope: 'bare' },
    run: async (w) => {
      const { g, j } = await federationApp(w, tenantFor('fed-delete-twice'));
      await call(w.gh, 'DELETE', `/api/v1/identity-federation?${qs({ id: g.id })}`);
      await fedApps(w).delete({ id: j.id });
      return both(call(w.gh, 'DELETE', `/api/v1/identity-federation?${qs({ id: g.id })}`), polis(() => fedApps(w).delete({ id: j.id }), 200, () => ({ data: {} })));
    },
  },

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
        const product = productFor(t);
        await call(w.gh, 'POST', base, { ...bodyOf(t), product });
        await jc(w).setupLinkController.create({ ...bodyOf(t), product, service });
        return both(call(w.gh, 'GET', `${base}/product?${qs({ product, pageOffset: '0', pageLimit: '10' })}`), polis(() => jc(w).setupLinkController.filterBy({ product, service, pageOffset: 0, pageLimit: 10 }), 200));
      },
    },
  };
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
