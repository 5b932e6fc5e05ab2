/**
 * Setup links (create, read, list across pages, regenerate, revoke) and single-use portal links through the SDK,
 * each link then opened over real HTTP; and the vendor event stream read across pages, resumed from its cursor.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestIdp } from '../../../test/support/saml-idp.ts';
import { GatehouseNotFoundError, GatehouseValidationError, type VendorEvent } from '../src/index.ts';
import { startSdkHarness, type SdkHarness } from './support.ts';

const CALLBACK = 'https://crm.example.test/callback';
const setupApi = (url: string) => url.replace('/setup/', '/api/setup/');

describe('SDK: setup links, portal links and the vendor event stream', () => {
  let h: SdkHarness;
  before(async () => {
    h = await startSdkHarness();
    await h.gatehouse.products.create({ product: 'crm', name: 'CRM', defaultRedirectUrl: CALLBACK });
  });
  after(() => h?.close());

  test('setup links: create for a customer, the same live link again, read, list across pages, regenerate, revoke', async () => {
    const { sso, dsync } = h.gatehouse.setupLinks;
    const link = await sso.create({ tenant: 'acme.com', product: 'crm', name: 'Acme', expiryDays: 3, redirectUrl: [CALLBACK], defaultRedirectUrl: CALLBACK });
    assert.equal(link.service, 'sso');
    assert.ok(link.url.startsWith(`${h.gh.baseUrl}/setup/`));
    assert.ok(link.validTill > Date.now() + 2.9 * 86_400_000);
    assert.equal(link.progress.status, 'not_opened');
    assert.equal((await fetch(setupApi(link.url))).status, 200, 'the link works');
    assert.equal((await sso.create({ tenant: 'acme.com', product: 'crm' })).setupID, link.setupID, 'the live link is answered again');
    assert.equal((await sso.get({ id: link.setupID })).url, link.url);
    assert.equal((await sso.get({ tenant: 'acme.com', product: 'crm' })).setupID, link.setupID);

    for (const t of ['globex.com', 'initech.com', 'umbrella.com', 'hooli.com']) await sso.create({ tenant: t, product: 'crm' });
    const pages: number[] = [];
    for await (const page of sso.list({ product: 'crm', pageSize: 2 }).pages()) pages.push(page.items.length);
    assert.deepEqual(pages, [2, 2, 1], 'five links in pages of two');
    const opened = await sso.list({ product: 'crm', status: 'opened' }).toArray();
    assert.deepEqual(opened.map((l) => l.tenant), ['acme.com'], 'only the link opened above is "opened"');

    const fresh = await sso.regenerate(link.setupID);
    assert.notEqual(fresh.url, link.url);
    assert.ok((await fetch(setupApi(link.url))).status >= 400, 'the old URL stops working at once');
    assert.equal((await fetch(setupApi(fresh.url))).status, 200);

    await sso.delete({ id: link.setupID });
    assert.ok((await fetch(setupApi(fresh.url))).status >= 400, 'a revoked link stops working');
    await assert.rejects(sso.get({ id: link.setupID }), (e: unknown) => e instanceof GatehouseNotFoundError && e.code === 'API_NOT_FOUND');

    const dir = await dsync.create({ tenant: 'acme.com', product: 'crm', expiryDays: 0.5 });
    assert.equal(dir.service, 'dsync');
    assert.equal((await fetch(setupApi(dir.url))).status, 200);
    const wrong = await dsync.create({ tenant: 'acme.com', product: 'crm', regenerate: true, webhook_url: 'http://10.1.2.3/hook' }).catch((e: unknown) => e);
    assert.ok(wrong instanceof GatehouseValidationError, String(wrong));
    assert.equal(wrong.field, 'webhook_url');
    await dsync.delete({ tenant: 'acme.com', product: 'crm' });
  });

  test('a portal link opens one session; opened again it answers 410', async () => {
    const link = await h.gatehouse.portalLinks.create({ tenant: 'acme.com', product: 'crm', intent: 'sso', expiresInMinutes: 5 });
    assert.ok(link.url.startsWith(`${h.gh.baseUrl}/portal/`));
    assert.ok(Date.parse(link.expiresAt) > Date.now() + 4 * 60_000);
    const first = await fetch(link.url, { redirect: 'manual' });
    assert.ok(first.status < 400, `first open: ${first.status}`);
    assert.equal((await fetch(link.url, { redirect: 'manual' })).status, 410);
    const renewal = await h.gatehouse.portalLinks.create({ tenant: 'acme.com', product: 'crm', intent: 'certificate_renewal' }).catch((e: unknown) => e);
    assert.ok(renewal instanceof GatehouseValidationError && renewal.field === 'clientID');
  });

  test('the vendor event stream: every event across pages, oldest first, then only what is new after the saved cursor', async () => {
    const idp = await createTestIdp();
    const connect = (tenant: string) => h.gatehouse.connections.create({
      tenant, product: 'crm', defaultRedirectUrl: CALLBACK, redirectUrl: [CALLBACK], rawMetadata: idp.metadataXml({ ssoUrl: 'https://idp.example.test/sso' }),
    });
    const made = [];
    for (const t of ['a.com', 'b.com', 'c.com', 'd.com', 'e.com']) made.push(await connect(t));
    await h.gatehouse.connections.update({ clientID: made[0]!.clientID, deactivated: true });

    const stream = h.gatehouse.events.list({ product: 'crm', types: ['connection.created', 'connection.deactivated'], limit: 2 });
    const pages: VendorEvent[][] = [];
    for await (const page of stream.pages()) pages.push(page.items);
    assert.deepEqual(pages.map((p) => p.length), [2, 2, 2]);
    const seen = pages.flat();
    assert.deepEqual(seen.map((e) => e.type), [...Array(5).fill('connection.created'), 'connection.deactivated']);
    assert.deepEqual(seen.slice(0, 5).map((e) => e.tenant), ['a.com', 'b.com', 'c.com', 'd.com', 'e.com'], 'oldest first');
    assert.equal((seen[5]!.data as { clientID?: string }).clientID, made[0]!.clientID);
    const saved = stream.cursor;
    assert.ok(saved);

    await connect('f.com');
    const later = h.gatehouse.events.list({ product: 'crm', after: saved });
    const fresh = [];
    for await (const e of later) fresh.push(e);
    assert.deepEqual(fresh.map((e) => [e.type, e.tenant]), [['connection.created', 'f.com']]);
    assert.notEqual(later.cursor, saved);
    assert.deepEqual(await h.gatehouse.events.list({ after: later.cursor! }).toArray(), [], 'nothing newer yet');

    const bad = await h.gatehouse.events.list({ types: ['connection.exploded'] }).toArray().catch((e: unknown) => e);
    assert.ok(bad instanceof GatehouseValidationError && bad.field === 'types');
  });
});
