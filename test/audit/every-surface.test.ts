/**
 * Issue 12: every change through any surface is audited by the same service code. For each surface (the portal's
 * admin API, the management API with an API key, the setup-link API) a connection change, a directory change, a
 * tenant/product change and a setup-link change (where the surface offers it) leave the same audit action with the
 * same summary shape, attributed to the caller of that surface. A source check pins that the route handlers
 * record none of these actions themselves: only the services do.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningGatehouse } from '../support/gatehouse.ts';
import { login, startAdminGatehouse, type AdminClient } from '../admin-api/support.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, IDP_SSO_URL, samlRound } from '../support/saml-flow.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Event = { action: string; actor: { type: string; id: string }; target: { type: string; id: string }; tenant: string | null; product: string | null; summary: { before?: Record<string, unknown>; after?: Record<string, unknown> } };

/** The actions the services record; no file under src/http may name them. */
const SERVICE_ACTIONS = [
  'sso.connection.created', 'sso.connection.updated', 'sso.connection.deleted',
  'dsync.directory.created', 'dsync.directory.updated', 'dsync.directory.secret_rotated', 'dsync.directory.deleted', 'dsync.event.replayed', 'dsync.event.retried',
  'tenant.created', 'tenant.updated', 'tenant.deleted', 'tenant.domain.added', 'tenant.domain.verified', 'tenant.domain.removed',
  'product.created', 'product.updated', 'product.deleted',
  'sso.session.ended', 'sso.user_sessions.ended',
];

describe('every surface is audited by the same service code', () => {
  let gh: RunningGatehouse;
  let idp: TestIdp;
  let owner: AdminClient;
  let ownerId: string;
  let key: { id: string; key: string };
  before(async () => {
    const s = await startAdminGatehouse({ env: { RATE_LIMIT_SENSITIVE_PER_MINUTE: '1000' } });
    gh = s.gh;
    ownerId = (await s.account('owner@example.com', 'owner')).id;
    owner = await login(gh, 'owner@example.com');
    key = (await owner.req('POST', '/api/admin/api-keys', { name: 'provisioning', kind: 'personal' })).json().data;
    idp = await createTestIdp();
  });
  after(() => gh.close());

  const api = async (method: Method, url: string, payload?: object) => {
    const r = await gh.app.inject({ method, url, headers: { authorization: `Api-Key ${key.key}` }, ...(payload ? { payload } : {}) });
    assert.ok(r.statusCode < 300, `${method} ${url}: ${r.statusCode} ${r.body}`);
    return r.statusCode === 204 ? undefined : r.json();
  };
  const portal = async (method: Method, url: string, payload?: object) => {
    const r = await owner.req(method, url, payload);
    assert.ok(r.statusCode < 300, `${method} ${url}: ${r.statusCode} ${r.body}`);
    return r.statusCode === 204 ? undefined : r.json();
  };
  const link = (token: string) => async (method: Method, path: string, payload?: object) => {
    const r = await gh.app.inject({ method, url: `/api/setup/${token}${path}`, ...(payload ? { payload } : {}) });
    assert.ok(r.statusCode < 300, `${method} ${path}: ${r.statusCode} ${r.body}`);
    return r.statusCode === 204 ? undefined : r.json();
  };
  /** The one audit event of `action` on `targetId`. */
  const audited = async (action: string, targetId: string): Promise<Event> => {
    const r = await owner.req('GET', `/api/admin/audit?action=${encodeURIComponent(action)}&targetId=${encodeURIComponent(targetId)}&limit=100`);
    assert.equal(r.statusCode, 200, r.body);
    const events = (r.json().data as Event[]).filter((e) => e.action === action);
    assert.equal(events.length, 1, `one ${action} on ${targetId}, got ${events.length}`);
    return events[0]!;
  };
  const connectionBody = (tenant: string) => ({ tenant, product: 'crm', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }) });
  const keys = (o: Record<string, unknown> | undefined) => Object.keys(o ?? {}).sort();

  test('a connection change: the same actions and summaries from the portal, an API key and a setup link', async () => {
    const byPortal = (await portal('POST', '/api/admin/connections', connectionBody('portal.com'))).data.clientID as string;
    await portal('PATCH', `/api/admin/connections/${byPortal}`, { name: 'renamed' });
    const byKey = (await api('POST', '/api/v1/sso', connectionBody('api.com'))).clientID as string;
    await api('PATCH', '/api/v1/sso', { clientID: byKey, name: 'renamed' });
    const setup = (await api('POST', '/api/v1/sso/setuplinks', { tenant: 'link.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK })).data;
    const viaLink = link(setup.url.split('/setup/')[1]);
    const byLink = (await viaLink('POST', '/sso-connection', { rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }) })).data.clientID as string;
    await viaLink('PATCH', '/sso-connection', { clientID: byLink, name: 'renamed' });

    const actors = [['admin', ownerId], ['api_key', key.id], ['setup_link', setup.setupID]];
    const ids = [byPortal, byKey, byLink];
    const tenants = ['portal.com', 'api.com', 'link.com'];
    for (const action of ['sso.connection.created', 'sso.connection.updated']) {
      const events = await Promise.all(ids.map((id) => audited(action, id)));
      events.forEach((e, i) => {
        assert.deepEqual([e.actor.type, e.actor.id], actors[i], `${action} through surface ${i} is attributed to its caller`);
        assert.deepEqual([e.target.type, e.target.id, e.tenant, e.product], ['sso_connection', ids[i], tenants[i], 'crm']);
        assert.equal(e.summary.after?.clientSecret, '[redacted]', 'the secret never reaches the log');
      });
      assert.equal(new Set(events.map((e) => JSON.stringify([keys(e.summary.before), keys(e.summary.after)]))).size, 1, `${action} has one summary shape on every surface`);
    }
    assert.equal((await audited('sso.connection.updated', byLink)).summary.before?.name, '', 'updates record the state before');

    await portal('DELETE', `/api/admin/connections/${byPortal}`);
    await api('DELETE', `/api/v1/sso?clientID=${byKey}`);
    await viaLink('DELETE', `/sso-connection?clientID=${byLink}`);
    const deleted = await Promise.all(ids.map((id) => audited('sso.connection.deleted', id)));
    deleted.forEach((e, i) => assert.deepEqual([e.actor.type, e.actor.id, e.summary.before?.clientID], [...actors[i]!, ids[i]]));
  });

  test('a directory change: the same actions from the portal, an API key and a setup link', async () => {
    const byPortal = (await portal('POST', '/api/admin/directories', { tenant: 'portal.com', product: 'crm', name: 'Portal dir' })).data.id as string;
    await portal('PATCH', `/api/admin/directories/${byPortal}`, { name: 'Portal dir 2' });
    await portal('POST', `/api/admin/directories/${byPortal}/scim-secret`);
    const byKey = (await api('POST', '/api/v1/dsync', { tenant: 'api.com', product: 'crm', name: 'Key dir' })).data.id as string;
    await api('PATCH', `/api/v1/dsync/${byKey}`, { name: 'Key dir 2' });
    await api('POST', `/api/v1/dsync/${byKey}/scim-secret`);
    const setup = (await api('POST', '/api/v1/dsync/setuplinks', { tenant: 'link.com', product: 'crm' })).data;
    const viaLink = link(setup.url.split('/setup/')[1]);
    const byLink = (await viaLink('POST', '/directory-sync', { name: 'Link dir' })).data.id as string;
    await viaLink('POST', `/directory-sync/${byLink}/rotate-secret`);

    const actors = [['admin', ownerId], ['api_key', key.id], ['setup_link', setup.setupID]];
    const ids = [byPortal, byKey, byLink];
    for (const action of ['dsync.directory.created', 'dsync.directory.secret_rotated']) {
      const events = await Promise.all(ids.map((id) => audited(action, id)));
      events.forEach((e, i) => assert.deepEqual([e.actor.type, e.actor.id, e.target.type, e.product], [...actors[i]!, 'directory', 'crm'], `${action} through surface ${i}`));
      assert.equal(new Set(events.map((e) => JSON.stringify([keys(e.summary.before), keys(e.summary.after)]))).size, 1, `${action} has one summary shape on every surface`);
    }
    const updates = await Promise.all([byPortal, byKey].map((id) => audited('dsync.directory.updated', id)));
    assert.deepEqual(updates.map((e) => [e.actor.type, e.summary.before?.name, e.summary.after?.name]), [['admin', 'Portal dir', 'Portal dir 2'], ['api_key', 'Key dir', 'Key dir 2']]);

    await portal('DELETE', `/api/admin/directories/${byPortal}`);
    await api('DELETE', `/api/v1/dsync/${byKey}`);
    await viaLink('DELETE', `/directory-sync/${byLink}`);
    const deleted = await Promise.all(ids.map((id) => audited('dsync.directory.deleted', id)));
    deleted.forEach((e, i) => assert.deepEqual([e.actor.type, e.actor.id, e.summary.before?.id], [...actors[i]!, ids[i]]));
  });

  test('a tenant and a product change: the same actions and summaries from the portal and an API key', async () => {
    await portal('POST', '/api/admin/tenants', { tenant: 'portal-t' });
    await portal('PATCH', '/api/admin/tenants/portal-t', { name: 'Portal T' });
    await portal('DELETE', '/api/admin/tenants/portal-t');
    await api('POST', '/api/v1/tenants', { tenant: 'api-t' });
    await api('PATCH', '/api/v1/tenants/api-t', { name: 'API T' });
    await api('DELETE', '/api/v1/tenants/api-t');
    await portal('POST', '/api/admin/products', { product: 'portal-p' });
    await portal('PATCH', '/api/admin/products/portal-p', { name: 'Portal P' });
    await portal('DELETE', '/api/admin/products/portal-p');
    await api('POST', '/api/v1/products', { product: 'api-p' });
    await api('PATCH', '/api/v1/products/api-p', { name: 'API P' });
    await api('DELETE', '/api/v1/products/api-p');

    for (const [kind, ids] of [['tenant', ['portal-t', 'api-t']], ['product', ['portal-p', 'api-p']]] as const) {
      for (const verb of ['created', 'updated', 'deleted']) {
        const [p, k] = await Promise.all(ids.map((id) => audited(`${kind}.${verb}`, id)));
        assert.deepEqual([p!.actor.type, p!.actor.id, k!.actor.type, k!.actor.id], ['admin', ownerId, 'api_key', key.id], `${kind}.${verb}`);
        assert.deepEqual([keys(p!.summary.before), keys(p!.summary.after)], [keys(k!.summary.before), keys(k!.summary.after)], `${kind}.${verb} has one summary shape`);
        assert.equal(kind === 'tenant' ? p!.tenant : p!.product, ids[0]);
      }
    }
  });

  test('a setup-link change: the same actions from the portal and an API key, never with the URL', async () => {
    const p = (await portal('POST', '/api/admin/setup-links', { service: 'sso', tenant: 'portal.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK })).data;
    await portal('POST', `/api/admin/setup-links/${p.id}/regenerate`);
    await portal('DELETE', `/api/admin/setup-links/${p.id}`);
    const k = (await api('POST', '/api/v1/sso/setuplinks', { tenant: 'api.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK })).data;
    await api('POST', '/api/v1/sso/setuplinks/regenerate', { id: k.setupID });
    await api('DELETE', `/api/v1/sso/setuplinks?id=${k.setupID}`);
    for (const verb of ['created', 'regenerated', 'deleted']) {
      const [a, b] = await Promise.all([audited(`setup_link.sso.${verb}`, p.id), audited(`setup_link.sso.${verb}`, k.setupID)]);
      assert.deepEqual([a.actor.type, a.actor.id, b.actor.type, b.actor.id], ['admin', ownerId, 'api_key', key.id], verb);
      assert.deepEqual(keys(a.summary.after), keys(b.summary.after), `setup_link.sso.${verb} has one summary shape`);
      assert.ok(!JSON.stringify([a, b]).includes('/setup/'), 'no link URL in the log');
    }
  });

  test('an app session ended from the portal and with an API key: the same action and summary (decision 0025)', async () => {
    const conn = (await api('POST', '/api/v1/sso', connectionBody('sessions.com'))) as { clientID: string };
    for (const nameId of ['ann@sessions.com', 'ben@sessions.com']) {
      const { acs } = await samlRound(gh, idp, { response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 's' }, { nameId, attributes: { email: nameId } });
      assert.equal(acs.statusCode, 302, acs.body);
    }
    const open = (await api('GET', '/api/v1/sessions?tenant=sessions.com&product=crm')).data as { sid: string; email: string }[];
    const sidOf = (email: string) => open.find((x) => x.email === email)!.sid;
    await portal('DELETE', `/api/admin/sessions/${sidOf('ann@sessions.com')}`);
    await api('DELETE', `/api/v1/sessions/${sidOf('ben@sessions.com')}`);
    const byPortal = await audited('sso.session.ended', sidOf('ann@sessions.com'));
    const byKey = await audited('sso.session.ended', sidOf('ben@sessions.com'));
    assert.deepEqual([byPortal.actor.type, byPortal.actor.id], ['admin', ownerId]);
    assert.deepEqual([byKey.actor.type, byKey.actor.id], ['api_key', key.id]);
    assert.deepEqual(keys(byPortal.summary.before), keys(byKey.summary.before));
    assert.deepEqual([byPortal.tenant, byPortal.product, byPortal.target.type], ['sessions.com', 'crm', 'app_session']);
  });

  test('route handlers record none of the services\' actions themselves', () => {
    const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : n.endsWith('.ts') ? [join(dir, n)] : []));
    const named = [...SERVICE_ACTIONS.map((a) => `'${a}'`), 'setup_link.${'];
    for (const f of files('src/http')) {
      const text = readFileSync(f, 'utf8');
      for (const n of named) assert.ok(!text.includes(n), `${f} names ${n}: audit belongs in the service`);
    }
  });
});
