/**
 * `verifyWebhook` on real webhooks: a Gatehouse (SQLite) with its deliverer sends Directory Sync events and vendor
 * events to a receiver on 127.0.0.1, which keeps each request's raw bytes and headers. Genuine ones verify (Node's
 * headers or fetch's `Headers`, string or bytes, either signature header, a rotated secret list); a changed body,
 * another secret, a stale or future timestamp, a missing or malformed header are refused with their reason.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { startWebhookDeliverer, type Deliverer } from '../../../src/directory-sync/webhooks/deliverer.ts';
import { createTestIdp } from '../../../test/support/saml-idp.ts';
import { verifyWebhook, WebhookVerificationError, type DirectoryWebhookEvent, type VendorEvent, type WebhookFailure } from '../src/index.ts';
import { scimOver, startSdkHarness, waitFor, type SdkHarness } from './support.ts';

const DIRECTORY_SECRET = 'whsec_sdk_directory_0123456789abcdef';
const EVENTS_SECRET = 'evsec_sdk_vendor_events_0123456789';

interface Captured {
  path: string;
  raw: Buffer;
  headers: IncomingHttpHeaders;
}

async function startRawReceiver() {
  const got: Captured[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ path: req.url ?? '', raw: Buffer.concat(chunks), headers: req.headers });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { base, got, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const refusedFor = (reason: WebhookFailure) => (e: unknown) => e instanceof WebhookVerificationError && e.reason === reason;
const timestampOf = (c: Captured) => Number(/^t=(\d+),/.exec(String(c.headers['gatehouse-signature']))![1]);

describe('SDK: verifyWebhook on webhooks Gatehouse sent', () => {
  let h: SdkHarness;
  let rx: Awaited<ReturnType<typeof startRawReceiver>>;
  let deliverer: Deliverer;
  let directoryHook: Captured;
  let vendorHook: Captured;
  before(async () => {
    rx = await startRawReceiver();
    h = await startSdkHarness({
      EVENTS_WEBHOOK_URL: `${rx.base}/vendor-events`, EVENTS_WEBHOOK_SECRET: EVENTS_SECRET,
      DSYNC_DELIVERER_POLL_MS: '20', WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_RETRY_MAX_DELAY_MS: '200',
    });
    deliverer = startWebhookDeliverer(h.gh.ctx);

    const dir = await h.gatehouse.directories.create({ tenant: 'acme.com', product: 'crm', webhook_url: `${rx.base}/directory`, webhook_secret: DIRECTORY_SECRET });
    await scimOver(dir.scim.endpoint, dir.scim.secret!)('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ann@acme.com', name: { givenName: 'Ann', familyName: 'Lee' }, emails: [{ value: 'ann@acme.com', primary: true }], active: true });
    const idp = await createTestIdp();
    await h.gatehouse.connections.create({ tenant: 'acme.com', product: 'crm', defaultRedirectUrl: 'https://crm.example.test/cb', redirectUrl: ['https://crm.example.test/cb'], rawMetadata: idp.metadataXml({ ssoUrl: 'https://idp.example.test/sso' }) });

    await waitFor(() => rx.got.some((c) => c.path === '/directory') && rx.got.some((c) => c.path === '/vendor-events'), 30_000);
    directoryHook = rx.got.find((c) => c.path === '/directory')!;
    vendorHook = rx.got.find((c) => c.path === '/vendor-events')!;
  });
  after(async () => {
    await deliverer?.stop();
    await h?.close();
    await rx?.close();
  });

  test('a genuine Directory Sync webhook verifies, with Node\'s headers or fetch\'s Headers, as a string or as bytes', () => {
    const event = verifyWebhook<DirectoryWebhookEvent>(directoryHook.raw, directoryHook.headers, DIRECTORY_SECRET);
    assert.equal(event.event, 'user.created');
    assert.equal(event.tenant, 'acme.com');
    assert.equal((event.data as { email?: string }).email, 'ann@acme.com');
    assert.equal(directoryHook.headers['gatehouse-event-id'], event.id);

    const fetchHeaders = new Headers(Object.entries(directoryHook.headers).map(([k, v]) => [k, String(v)] as [string, string]));
    assert.deepEqual(verifyWebhook(directoryHook.raw.toString('utf8'), fetchHeaders, DIRECTORY_SECRET), event);
    assert.deepEqual(verifyWebhook(new Uint8Array(directoryHook.raw), directoryHook.headers, DIRECTORY_SECRET), event);
    const upper = { 'Gatehouse-Signature': String(directoryHook.headers['gatehouse-signature']) };
    assert.deepEqual(verifyWebhook(directoryHook.raw, upper, DIRECTORY_SECRET), event, 'header names in any case');
  });

  test('a genuine vendor event webhook verifies with the events secret and is the event the stream answers', async () => {
    const event = verifyWebhook<VendorEvent>(vendorHook.raw, vendorHook.headers, EVENTS_SECRET);
    assert.equal(event.type, 'connection.created');
    const [pulled] = await h.gatehouse.events.list({ tenant: 'acme.com', types: ['connection.created'] }).toArray();
    assert.deepEqual(event, pulled);
    assert.throws(() => verifyWebhook(vendorHook.raw, vendorHook.headers, DIRECTORY_SECRET), refusedFor('SIGNATURE_MISMATCH'), 'another webhook\'s secret');
  });

  test('a changed body or another secret is refused', () => {
    const tampered = Buffer.from(directoryHook.raw.toString('utf8').replace('ann@acme.com', 'eve@acme.com'));
    assert.notDeepEqual(tampered, directoryHook.raw);
    assert.throws(() => verifyWebhook(tampered, directoryHook.headers, DIRECTORY_SECRET), refusedFor('SIGNATURE_MISMATCH'));
    const reformatted = JSON.stringify(JSON.parse(directoryHook.raw.toString('utf8')), null, 2);
    assert.throws(() => verifyWebhook(reformatted, directoryHook.headers, DIRECTORY_SECRET), refusedFor('SIGNATURE_MISMATCH'), 'the same JSON with other bytes');
    assert.throws(() => verifyWebhook(directoryHook.raw, directoryHook.headers, 'whsec_some_other_secret_0123456789'), refusedFor('SIGNATURE_MISMATCH'));
    assert.ok(verifyWebhook(directoryHook.raw, directoryHook.headers, ['whsec_previous_secret_0123456789', DIRECTORY_SECRET]), 'any secret of a rotation list');
    assert.throws(() => verifyWebhook(JSON.parse(directoryHook.raw.toString('utf8')), directoryHook.headers, DIRECTORY_SECRET), TypeError, 'parsed JSON is not the raw body');
    assert.throws(() => verifyWebhook(directoryHook.raw, directoryHook.headers, ''), TypeError, 'no empty secret');
  });

  test('timestamps: refused when older or newer than the tolerance (default 5 minutes), which is configurable', () => {
    const t = timestampOf(directoryHook);
    const verifyAt = (now: number, toleranceSeconds?: number) => verifyWebhook(directoryHook.raw, directoryHook.headers, DIRECTORY_SECRET, { now, ...(toleranceSeconds !== undefined ? { toleranceSeconds } : {}) });
    assert.ok(verifyAt(t + 299_000));
    assert.throws(() => verifyAt(t + 301_000), refusedFor('TIMESTAMP_TOO_OLD'));
    assert.throws(() => verifyAt(t - 301_000), refusedFor('TIMESTAMP_IN_FUTURE'));
    assert.ok(verifyAt(t + 301_000, 600), 'a wider tolerance accepts it');
    assert.throws(() => verifyAt(t + 61_000, 60), refusedFor('TIMESTAMP_TOO_OLD'), 'a narrower one refuses sooner');
    // A stale signature with a forged fresh timestamp no longer matches.
    const forged = { 'gatehouse-signature': String(directoryHook.headers['gatehouse-signature']).replace(/^t=\d+/, `t=${t + 301_000}`) };
    assert.throws(() => verifyWebhook(directoryHook.raw, forged, DIRECTORY_SECRET, { now: t + 301_000 }), refusedFor('SIGNATURE_MISMATCH'));
  });

  test('the signature headers: BoxyHQ-Signature alone verifies; none or a malformed one is refused', () => {
    const { 'gatehouse-signature': own, 'boxyhq-signature': boxy } = directoryHook.headers;
    assert.equal(own, boxy, 'both headers carry the same signature');
    assert.ok(verifyWebhook(directoryHook.raw, { 'boxyhq-signature': boxy }, DIRECTORY_SECRET));
    assert.throws(() => verifyWebhook(directoryHook.raw, { 'content-type': 'application/json' }, DIRECTORY_SECRET), refusedFor('SIGNATURE_MISSING'));
    assert.throws(() => verifyWebhook(directoryHook.raw, { 'gatehouse-signature': 'sha256=abc' }, DIRECTORY_SECRET), refusedFor('SIGNATURE_MALFORMED'));
    assert.throws(() => verifyWebhook(directoryHook.raw, { 'gatehouse-signature': `t=${timestampOf(directoryHook)},s=zz` }, DIRECTORY_SECRET), refusedFor('SIGNATURE_MALFORMED'));
    // The HMAC covers the timestamp's digits as sent ("0…" signed as "0…"), not the number they read as.
    const t = timestampOf(directoryHook);
    const padded = `0${t}`;
    const s = createHmac('sha256', DIRECTORY_SECRET).update(`${padded}.`).update(directoryHook.raw).digest('hex');
    assert.ok(verifyWebhook(directoryHook.raw, { 'gatehouse-signature': `t=${padded},s=${s}` }, DIRECTORY_SECRET, { now: t }));
  });
});
