/**
 * The audit stream end to end, on SQLite, PostgreSQL and MariaDB: audit events written by real changes reach a real HTTP
 * receiver (which verifies BoxyHQ-Signature and Gatehouse-Signature) and a real TCP syslog collector (which parses
 * RFC 6587 octet-counted RFC 5424 frames), through the outbox and the deliverer. The filter chooses the events;
 * both receivers down, then up, get every event exactly once and in order; nothing secret is streamed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startWebhookDeliverer, type Deliverer } from '../../src/directory-sync/webhooks/deliverer.ts';
import { startReceiver, waitFor } from '../support/scim.ts';
import { startSyslogReceiver } from '../support/syslog-receiver.ts';
import { startWithOwnerAndViewer, type AdminClient } from '../admin-api/support.ts';
import type { RunningGatehouse } from '../support/gatehouse.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { createSamlConnection } from '../support/saml-flow.ts';
import { testDialects } from '../support/databases.ts';
import { createServer } from 'node:http';

const SECRET = 'audit_stream_secret_0123456789';
const JSONL_AUTH = 'Bearer jsonl-token-0123456789abcdef';

/** A JSON Lines endpoint: keeps each POST's lines (parsed) with its headers; answers 503 while `down()`. */
async function startJsonlReceiver(down: () => boolean) {
  const posts: { lines: any[]; headers: Record<string, unknown> }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (down()) return void res.writeHead(503).end();
      const text = Buffer.concat(chunks).toString('utf8');
      posts.push({ lines: text.split('\n').filter(Boolean).map((l) => JSON.parse(l)), headers: req.headers });
      res.writeHead(text.endsWith('\n') ? 202 : 400).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/ingest`, posts, lines: () => posts.flatMap((p) => p.lines), close: () => new Promise<void>((r) => server.close(() => r())) };
}

const FAST = { WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_RETRY_MAX_DELAY_MS: '200', DSYNC_DELIVERER_POLL_MS: '20' };

const auditIds = async (gh: RunningGatehouse, where: (action: string, tenant: string | null) => boolean) =>
  (await gh.ctx.db.selectFrom('audit_events').select(['id', 'action', 'tenant']).orderBy('at').orderBy('id').execute()).filter((r) => where(r.action, r.tenant)).map((r) => r.id);
/** The audit ids queued for the webhook, in the outbox's order (the order they are delivered in). */
const queuedIds = async (gh: RunningGatehouse) => (await streamRows(gh)).filter((r) => r.directory_id === 'audit-webhook').map((r) => r.id.slice('aw:'.length));
const streamRows = (gh: RunningGatehouse) => gh.ctx.db.selectFrom('directory_events').selectAll().where('directory_id', 'in', ['audit-webhook', 'audit-syslog']).orderBy('seq').execute();

for (const dialect of testDialects()) {
  describe(`audit stream on ${dialect}`, () => {
    let gh: RunningGatehouse;
    let owner: AdminClient, viewer: AdminClient;
    let idp: TestIdp;
    let down = false;
    let rx: Awaited<ReturnType<typeof startReceiver>>;
    let syslog: Awaited<ReturnType<typeof startSyslogReceiver>>;
    let jsonl: Awaited<ReturnType<typeof startJsonlReceiver>>;
    let d: Deliverer;
    before(async () => {
      ({ gh, owner, viewer } = await startWithOwnerAndViewer({ dialect, env: FAST }));
      jsonl = await startJsonlReceiver(() => down);
      idp = await createTestIdp();
      rx = await startReceiver(SECRET, () => (down ? 503 : 200));
      syslog = await startSyslogReceiver();
      d = startWebhookDeliverer(gh.ctx);
    });
    after(async () => {
      await d?.stop();
      await gh?.close();
      await rx?.close();
      await syslog?.close();
      await jsonl?.close();
    });

    test('off by default: audit events are recorded, nothing is queued', async () => {
      await createSamlConnection(gh.app, idp, { tenant: 'quiet.com' });
      assert.ok((await auditIds(gh, (a) => a === 'sso.connection.created')).length === 1);
      assert.equal((await streamRows(gh)).length, 0);
      assert.deepEqual((await viewer.req('GET', '/api/admin/settings/audit-stream')).json().data, { webhookUrl: null, webhookSecretSet: false, syslogUrl: null, jsonlUrl: null, jsonlAuthorizationSet: false, filter: { actions: [], tenants: [], products: [] }, source: null });
    });

    test('the setting: admins only, SSRF guard on both URLs, a secret with the webhook, sealed at rest', async () => {
      const body = { webhookUrl: rx.url, webhookSecret: SECRET, syslogUrl: syslog.url, jsonlUrl: jsonl.url, jsonlAuthorization: JSONL_AUTH, filter: { actions: ['sso.connection', 'admin.audit_stream'], tenants: [], products: [] } };
      assert.equal((await viewer.req('PUT', '/api/admin/settings/audit-stream', body)).statusCode, 403);
      for (const [bad, field] of [[{ webhookUrl: 'http://10.1.2.3/x' }, 'webhookUrl'], [{ webhookSecret: undefined }, 'webhookSecret'], [{ webhookSecret: 'short' }, 'webhookSecret'], [{ syslogUrl: 'tcp://10.1.2.3:514' }, 'syslogUrl'], [{ syslogUrl: 'tls://10.1.2.3:6514' }, 'syslogUrl'], [{ syslogUrl: 'udp://127.0.0.1:514' }, 'syslogUrl'], [{ syslogUrl: 'https://127.0.0.1/' }, 'syslogUrl'], [{ jsonlUrl: 'http://169.254.169.254/latest' }, 'jsonlUrl'], [{ jsonlUrl: 'ftp://127.0.0.1/' }, 'jsonlUrl'], [{ jsonlAuthorization: 'Bearer a\r\nX-Injected: 1' }, 'jsonlAuthorization']] as const) {
        const res = await owner.req('PUT', '/api/admin/settings/audit-stream', { ...body, ...bad });
        assert.equal(res.statusCode, 400, `${JSON.stringify(bad)}: ${res.body}`);
        assert.equal(res.json().field, field, JSON.stringify(bad));
      }
      const ok = await owner.req('PUT', '/api/admin/settings/audit-stream', body);
      assert.equal(ok.statusCode, 200, ok.body);
      const view = { webhookUrl: rx.url, webhookSecretSet: true, syslogUrl: syslog.url, jsonlUrl: jsonl.url, jsonlAuthorizationSet: true, filter: body.filter, source: 'settings' };
      assert.deepEqual(ok.json().data, view);
      assert.deepEqual((await viewer.req('GET', '/api/admin/settings/audit-stream')).json().data, view);
      const stored = await gh.ctx.db.selectFrom('admin_settings').select('value').where('key', '=', 'audit_stream').executeTakeFirstOrThrow();
      assert.ok(!stored.value.includes(SECRET), 'the secret is sealed at rest');
      assert.ok(!stored.value.includes('jsonl-token'), 'the JSONL Authorization is sealed at rest');
    });

    test('events the filter keeps reach both receivers, signed and parsed; nothing secret; nothing else', async () => {
      const conn = await createSamlConnection(gh.app, idp, { tenant: 'loud.com' });
      // Left out by the filter: another portal setting changed.
      assert.equal((await owner.req('PUT', '/api/admin/settings/events-webhook', { url: '' })).statusCode, 200);
      assert.equal((await auditIds(gh, (a) => a === 'admin.events_webhook.updated')).length, 1);
      // The quiet.com connection was made before the stream was on; the settings change and loud.com's are queued.
      const wanted = await auditIds(gh, (a, t) => (a.startsWith('sso.connection.') && t !== 'quiet.com') || a.startsWith('admin.audit_stream.'));
      const expected = await queuedIds(gh);
      assert.equal(expected.length, 2);
      assert.deepEqual([...expected].sort(), [...wanted].sort());
      await waitFor(() => rx.received.length >= 2 && syslog.messages.length >= 2 && jsonl.lines().length >= 2, 30_000);
      await waitFor(async () => (await streamRows(gh)).every((r) => r.status === 'delivered'), 30_000);
      assert.deepEqual(rx.received.map((r) => r.body.id), expected);
      assert.ok(rx.received.every((r) => r.signatureOk), 'every webhook verifies with the secret');
      assert.deepEqual(rx.received.map((r) => r.headers['gatehouse-event']), ['admin.audit_stream.updated', 'sso.connection.created']);
      const created = rx.received[1]!.body;
      assert.equal(created.type, 'audit');
      assert.equal(created.tenant, 'loud.com');
      assert.equal(created.actor.type, 'api_key');
      assert.equal(created.target.type, 'sso_connection');
      const settingsEvent = rx.received[0]!.body;
      assert.equal(settingsEvent.actor.label, 'owner@example.com');
      assert.deepEqual(syslog.errors, []);
      assert.deepEqual(syslog.messages.map((m) => JSON.parse(m.msg)), rx.received.map((r) => r.body), 'syslog carries the same events');
      assert.deepEqual(jsonl.lines(), rx.received.map((r) => r.body), 'JSON Lines carries the same events');
      for (const p of jsonl.posts) {
        assert.equal(p.headers['content-type'], 'application/x-ndjson');
        assert.equal(p.headers.authorization, JSONL_AUTH);
        assert.equal(p.headers['gatehouse-event-id'], p.lines[0].id);
      }
      for (const m of syslog.messages) {
        assert.equal(m.pri, 109);
        assert.equal(m.version, 1);
        assert.equal(m.appName, 'gatehouse');
        assert.equal(m.hostname, '127.0.0.1');
        assert.equal(m.msgId, JSON.parse(m.msg).action);
      }
      const everything = JSON.stringify([rx.received.map((r) => r.raw), syslog.messages, jsonl.lines(), await gh.ctx.db.selectFrom('audit_events').selectAll().execute()]);
      assert.ok(!everything.includes('jsonl-token'), 'the JSONL Authorization is never streamed nor audited');
      assert.ok(!everything.includes(SECRET), 'the webhook secret is never streamed');
      assert.ok(!everything.includes(conn.clientSecret), "the connection's client secret is never streamed");
      assert.ok(!everything.includes('BEGIN CERTIFICATE') && !everything.includes('EntityDescriptor'), 'raw metadata is never streamed');
    });

    test('a tenant filter keeps that tenant only', async () => {
      assert.equal((await owner.req('PUT', '/api/admin/settings/audit-stream', { webhookUrl: rx.url, syslogUrl: syslog.url, jsonlUrl: jsonl.url, filter: { actions: ['sso.'], tenants: ['kept.com'] } })).statusCode, 200);
      const before = rx.received.length;
      await createSamlConnection(gh.app, idp, { tenant: 'dropped.com' });
      await createSamlConnection(gh.app, idp, { tenant: 'kept.com' });
      await waitFor(async () => (await streamRows(gh)).every((r) => r.status === 'delivered'), 30_000);
      assert.deepEqual(rx.received.slice(before).map((r) => r.body.tenant), ['kept.com']);
      assert.deepEqual(syslog.messages.slice(before).map((m) => JSON.parse(m.msg).tenant), ['kept.com']);
      assert.deepEqual(jsonl.lines().slice(before).map((e) => e.tenant), ['kept.com']);
    });

    test('receivers down, then up: everything arrives exactly once, in order', async () => {
      const rxBefore = rx.received.length;
      const slBefore = syslog.messages.length;
      const jlBefore = jsonl.lines().length;
      down = true;
      await syslog.stop();
      for (const n of [1, 2, 3]) await createSamlConnection(gh.app, await createTestIdp(), { tenant: 'kept.com', name: `Kept ${n}` });
      const ids = (await queuedIds(gh)).slice(-3);
      assert.deepEqual([...ids].sort(), (await auditIds(gh, (a, t) => a === 'sso.connection.created' && t === 'kept.com' )).slice(-3).sort());
      // Both sinks have failed at least twice before they come back.
      await waitFor(async () => {
        const attempts = await gh.ctx.db.selectFrom('directory_event_attempts').select(['directory_id', 'error', 'status_code']).where('event_id', 'in', ids.flatMap((id) => [`aw:${id}`, `as:${id}`, `aj:${id}`])).execute();
        const failed = (channel: string) => attempts.filter((a) => a.directory_id === channel && (a.status_code === 503 || (a.status_code === null && a.error))).length;
        return failed('audit-webhook') >= 2 && failed('audit-syslog') >= 2 && failed('audit-jsonl') >= 2;
      }, 30_000);
      assert.equal(rx.received.length, rxBefore);
      assert.equal(jsonl.lines().length, jlBefore);
      down = false;
      await syslog.start();
      await waitFor(() => rx.received.length >= rxBefore + 3 && syslog.messages.length >= slBefore + 3 && jsonl.lines().length >= jlBefore + 3, 30_000);
      await waitFor(async () => (await streamRows(gh)).every((r) => r.status === 'delivered'), 30_000);
      await new Promise((r) => setTimeout(r, 300)); // any duplicate would arrive now
      assert.deepEqual(rx.received.slice(rxBefore).map((r) => r.body.id), ids);
      assert.deepEqual(syslog.messages.slice(slBefore).map((m) => JSON.parse(m.msg).id), ids);
      assert.deepEqual(jsonl.lines().slice(jlBefore).map((e) => e.id), ids);
      const jl = jsonl.lines().map((e) => e.id);
      assert.equal(new Set(jl).size, jl.length, 'no audit event twice at the JSON Lines endpoint');
      const all = rx.received.map((r) => r.body.id);
      assert.equal(new Set(all).size, all.length, 'no audit event twice at the webhook');
      const sl = syslog.messages.map((m) => JSON.parse(m.msg).id);
      assert.equal(new Set(sl).size, sl.length, 'no audit event twice at the collector');
    });
  });
}

describe('audit stream from the environment', () => {
  let gh: RunningGatehouse;
  let owner: AdminClient;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let syslog: Awaited<ReturnType<typeof startSyslogReceiver>>;
  let d: Deliverer;
  before(async () => {
    rx = await startReceiver(SECRET);
    syslog = await startSyslogReceiver();
    ({ gh, owner } = await startWithOwnerAndViewer({ env: { ...FAST, AUDIT_STREAM_WEBHOOK_URL: rx.url, AUDIT_STREAM_WEBHOOK_SECRET: SECRET, AUDIT_STREAM_SYSLOG_URL: syslog.url, AUDIT_STREAM_ACTIONS: 'sso.connection.created', AUDIT_STREAM_PRODUCTS: 'crm' } }));
    d = startWebhookDeliverer(gh.ctx);
  });
  after(async () => {
    await d?.stop();
    await gh?.close();
    await rx?.close();
    await syslog?.close();
  });

  test('delivers what the env filter keeps, and the portal shows the setting locked', async () => {
    const idp = await createTestIdp();
    await createSamlConnection(gh.app, idp, { tenant: 'env.com', product: 'crm' });
    await createSamlConnection(gh.app, idp, { tenant: 'env.com', product: 'hr' });
    await waitFor(() => rx.received.length >= 1 && syslog.messages.length >= 1, 30_000);
    await waitFor(async () => (await streamRows(gh)).every((r) => r.status === 'delivered'), 30_000);
    assert.deepEqual(rx.received.map((r) => [r.body.action, r.body.product, r.signatureOk]), [['sso.connection.created', 'crm', true]]);
    assert.deepEqual(syslog.messages.map((m) => JSON.parse(m.msg).id), [rx.received[0]!.body.id]);
    assert.deepEqual((await owner.req('GET', '/api/admin/settings/audit-stream')).json().data, { webhookUrl: rx.url, webhookSecretSet: true, syslogUrl: syslog.url, jsonlUrl: null, jsonlAuthorizationSet: false, filter: { actions: ['sso.connection.created'], tenants: [], products: ['crm'] }, source: 'environment' });
    assert.equal((await owner.req('PUT', '/api/admin/settings/audit-stream', { webhookUrl: null })).statusCode, 409);
  });
});
