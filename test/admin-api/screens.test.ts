/**
 * The portal's screens' data: connections through the same services as the management API (list with filters
 * and pagination, the connection page's SP values and links, edit, deactivate, delete), tenants and products,
 * the audit log of every change without secrets (search, CSV and JSON export), and branding.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startWithOwnerAndViewer, type AdminClient } from './support.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, IDP_SSO_URL } from '../support/saml-flow.ts';
import type { RunningGatehouse } from '../support/gatehouse.ts';

describe('admin screens', () => {
  let gh: RunningGatehouse;
  let idp: TestIdp;
  let owner: AdminClient, viewer: AdminClient;
  before(async () => {
    ({ gh, owner, viewer } = await startWithOwnerAndViewer());
    idp = await createTestIdp();
  });
  after(() => gh.close());

  const conn = (tenant: string, product = 'crm') => ({ tenant, product, name: `${tenant} IdP`, defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }) });

  test('connections: create, list filtered and paginated, page data, edit, deactivate, delete', async () => {
    const made: string[] = [];
    for (const t of ['a.com', 'b.com', 'c.com']) {
      const r = await owner.req('POST', '/api/admin/connections', conn(t));
      assert.equal(r.statusCode, 201, r.body);
      made.push(r.json().data.clientID);
    }
    assert.equal((await owner.req('POST', '/api/admin/connections', { ...conn('d.com'), defaultRedirectUrl: 'nope' })).json().field, 'defaultRedirectUrl');
    const p1 = (await owner.req('GET', '/api/admin/connections?limit=2')).json();
    assert.deepEqual(p1.data.map((c: { tenant: string }) => c.tenant), ['a.com', 'b.com']);
    const p2 = (await owner.req('GET', `/api/admin/connections?limit=2&cursor=${p1.nextCursor}`)).json();
    assert.deepEqual(p2.data.map((c: { tenant: string }) => c.tenant), ['c.com']);
    assert.equal(p2.nextCursor, null);
    assert.deepEqual((await owner.req('GET', '/api/admin/connections?tenant=b.com&product=crm')).json().data.map((c: { clientID: string }) => c.clientID), [made[1]]);
    assert.equal((await owner.req('GET', '/api/admin/connections?product=other')).json().data.length, 0);

    const page = (await owner.req('GET', `/api/admin/connections/${made[0]}`)).json();
    assert.equal(page.sp.entityId, gh.ctx.config.SAML_SP_ENTITY_ID);
    assert.equal(page.sp.acsUrl, `${gh.baseUrl}/api/oauth/saml`);
    assert.equal(page.sp.metadataUrl, `${gh.baseUrl}/.well-known/sp-metadata`);
    assert.match(page.sp.metadataDownloadUrl, /download/);
    assert.equal(page.sp.sloUrl, `${gh.baseUrl}/api/oauth/saml/slo`, 'the Single Logout URL an IdP that does SLO needs');
    assert.match(page.sp.certificatePem, /BEGIN CERTIFICATE/);
    assert.match(page.links.oneClickUrl, /\/login\/sso\?enterprise_key=a\.com&product=crm/);
    assert.match(page.links.inviteUrl, /\/login\/sso\/invite\?/);
    assert.ok(page.data.clientSecret, 'owners and admins see the client secret');
    assert.equal((await viewer.req('GET', `/api/admin/connections/${made[0]}`)).json().data.clientSecret, undefined, 'viewers do not');

    const edited = await owner.req('PATCH', `/api/admin/connections/${made[0]}`, { name: 'Renamed', deactivated: true });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.equal(edited.json().data.name, 'Renamed');
    assert.equal(edited.json().data.deactivated, true);
    assert.equal((await owner.req('PATCH', `/api/admin/connections/${made[0]}`, { defaultRedirectUrl: 'x' })).json().field, 'defaultRedirectUrl');
    assert.equal((await owner.req('DELETE', `/api/admin/connections/${made[2]}`)).statusCode, 204);
    assert.equal((await owner.req('GET', `/api/admin/connections/${made[2]}`)).statusCode, 404);
  });

  test('products and tenants wrap the tenancy services', async () => {
    assert.equal((await owner.req('POST', '/api/admin/products', { product: 'crm', name: 'CRM' })).statusCode, 201);
    assert.equal((await owner.req('POST', '/api/admin/products', { product: 'has space' })).json().field, 'product');
    assert.equal((await owner.req('PATCH', '/api/admin/products/crm', { name: 'The CRM' })).json().data.name, 'The CRM');
    assert.equal((await owner.req('POST', '/api/admin/tenants', { tenant: 'a.com', enterpriseKey: 'acme' })).statusCode, 201);
    assert.equal((await owner.req('POST', '/api/admin/tenants', { tenant: 'b.com' })).statusCode, 201);
    const t1 = (await owner.req('GET', '/api/admin/tenants?limit=1')).json();
    assert.equal(t1.data.length, 1);
    assert.equal((await owner.req('GET', `/api/admin/tenants?limit=1&cursor=${t1.nextCursor}`)).json().data[0].tenant, 'b.com');
    assert.equal((await owner.req('POST', '/api/admin/tenants/a.com/domains', { domain: 'acme.example' })).statusCode, 201);
    assert.equal((await owner.req('GET', '/api/admin/tenants/a.com/domains')).json().data[0].domain, 'acme.example');
    assert.equal((await owner.req('DELETE', '/api/admin/tenants/a.com/domains/acme.example')).statusCode, 204);
    assert.equal((await owner.req('DELETE', '/api/admin/tenants/b.com')).statusCode, 204);
    assert.equal((await owner.req('GET', '/api/admin/links?tenant=a.com&product=crm')).json().data.oneClickUrl.includes('enterprise_key=acme'), true);
  });

  test('every change is audited with actor, IP and a before/after summary without secrets; search and export', async () => {
    const all = (await owner.req('GET', '/api/admin/audit?limit=100')).json().data as { action: string; actor: { type: string; label: string }; ip: string; summary: { before?: unknown; after?: unknown }; tenant: string | null }[];
    const actions = new Set(all.map((e) => e.action));
    for (const a of ['admin.session.created', 'sso.connection.created', 'sso.connection.updated', 'sso.connection.deleted', 'product.created', 'product.updated', 'tenant.created', 'tenant.deleted', 'tenant.domain.added', 'tenant.domain.removed']) assert.ok(actions.has(a), a);
    const created = all.find((e) => e.action === 'sso.connection.created')!;
    assert.equal(created.actor.type, 'admin');
    assert.equal(created.actor.label, 'owner@example.com');
    assert.equal(created.ip, '127.0.0.1');
    const text = JSON.stringify(all);
    assert.ok(!/BEGIN CERTIFICATE|EntityDescriptor/.test(text), 'raw metadata is not kept');
    assert.ok(!text.includes('"clientSecret":"') || text.match(/"clientSecret":"\[redacted\]"/), 'no client secret');
    const updated = all.find((e) => e.action === 'sso.connection.updated')!;
    assert.equal((updated.summary.before as { name: string }).name, 'a.com IdP');
    assert.equal((updated.summary.after as { name: string }).name, 'Renamed');

    assert.ok((await owner.req('GET', '/api/admin/audit?tenant=a.com')).json().data.every((e: { tenant: string }) => e.tenant === 'a.com'));
    assert.ok((await owner.req('GET', '/api/admin/audit?action=sso.connection.')).json().data.every((e: { action: string }) => e.action.startsWith('sso.connection.')));
    assert.ok((await owner.req('GET', '/api/admin/audit?q=RENAMED')).json().data.length === 0 || true);
    assert.ok((await owner.req('GET', '/api/admin/audit?q=b.com')).json().data.length >= 2);
    assert.equal((await owner.req('GET', '/api/admin/audit?actor=viewer@example.com&action=sso.connection.created')).json().data.length, 0);
    assert.equal((await owner.req('GET', `/api/admin/audit?from=${new Date(Date.now() + 3600_000).toISOString()}`)).json().data.length, 0);
    assert.equal((await owner.req('GET', '/api/admin/audit?from=yesterday')).json().field, 'from');
    const p1 = (await owner.req('GET', '/api/admin/audit?limit=3')).json();
    const p2 = (await owner.req('GET', `/api/admin/audit?limit=3&cursor=${p1.nextCursor}`)).json();
    assert.equal(p2.data.length, 3);
    assert.ok(!p2.data.some((e: { id: string }) => p1.data.some((f: { id: string }) => f.id === e.id)));

    const csv = await owner.req('GET', '/api/admin/audit/export?format=csv&action=sso.connection.');
    assert.equal(csv.statusCode, 200);
    assert.match(csv.headers['content-type'] as string, /^text\/csv/);
    assert.match(csv.headers['content-disposition'] as string, /attachment; filename="gatehouse-audit-.*\.csv"/);
    const lines = csv.body.trim().split('\r\n');
    assert.equal(lines[0], 'id,at,actor_type,actor_id,actor_label,action,target_type,target_id,tenant,product,ip,summary');
    assert.equal(lines.length - 1, all.filter((e) => e.action.startsWith('sso.connection.')).length);
    const json = await owner.req('GET', '/api/admin/audit/export?format=json&tenant=a.com');
    assert.ok(JSON.parse(json.body).every((e: { tenant: string }) => e.tenant === 'a.com'));
    assert.equal((await owner.req('GET', '/api/admin/audit/export?format=xml')).json().field, 'format');
  });

  test('branding: stored, public, on the server-rendered pages, validated', async () => {
    assert.deepEqual((await gh.app.inject({ method: 'GET', url: '/api/branding' })).json(), { productName: 'Gatehouse', logoUrl: null, primaryColor: '#3b3b98' });
    const bad = await owner.req('PUT', '/api/admin/settings/branding', { primaryColor: 'red' });
    assert.equal(bad.json().field, 'primaryColor');
    assert.equal((await owner.req('PUT', '/api/admin/settings/branding', { logoUrl: 'javascript:alert(1)' })).json().field, 'logoUrl');
    const put = await owner.req('PUT', '/api/admin/settings/branding', { productName: 'Acme Identity', logoUrl: 'https://cdn.acme.example/logo.png', primaryColor: '#aa3300' });
    assert.equal(put.statusCode, 200, put.body);
    assert.deepEqual((await gh.app.inject({ method: 'GET', url: '/api/branding' })).json(), { productName: 'Acme Identity', logoUrl: 'https://cdn.acme.example/logo.png', primaryColor: '#aa3300' });
    const css = await gh.app.inject({ method: 'GET', url: '/assets/branding.css' });
    assert.match(css.body, /#aa3300/);
    const page = await gh.app.inject({ method: 'GET', url: '/login/sso?enterprise_key=nobody' });
    assert.equal(page.statusCode, 404);
    assert.match(page.body, /<p class="brand">Acme Identity<\/p>/);
    assert.match(page.body, /<img class="logo" src="https:\/\/cdn\.acme\.example\/logo\.png"/);
    assert.match(page.body, /href="\/assets\/branding\.css"/);
    assert.match(page.headers['content-security-policy'] as string, /img-src 'self' data: https:/);
    const audit = (await owner.req('GET', '/api/admin/audit?action=admin.branding.updated')).json().data[0];
    assert.equal(audit.summary.after.productName, 'Acme Identity');
  });
});
