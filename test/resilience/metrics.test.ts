/**
 * GET /metrics on PostgreSQL: Prometheus text with request rates and latencies per route template,
 * login outcomes by reason, SCIM operations, outbox depth and delivery attempts, the database pool
 * and process memory; optional bearer protection; x-request-id echoed (or made up when unusable).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouse, API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { createSamlConnection, postToAcs, samlRound, APP_CALLBACK } from '../support/saml-flow.ts';
import { startWebhookDeliverer, type Deliverer } from '../../src/directory-sync/webhooks/deliverer.ts';
import { createDirectory, scimClient, startReceiver } from '../support/scim.ts';
import { waitFor } from './support/flows.ts';

/** The value of one sample, e.g. sample(text, 'gatehouse_logins_total', { outcome: 'success' }). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return null;
}

describe('/metrics', () => {
  let gh: RunningGatehouse | null;
  let idp: TestIdp;
  let deliverer: Deliverer;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  before(async () => {
    [gh, idp, rx] = await Promise.all([startGatehouse({ dialect: 'postgres', env: { DSYNC_DELIVERER_POLL_MS: '50' } }), createTestIdp(), startReceiver('whsec_metrics_0123456789')]);
    if (gh) deliverer = startWebhookDeliverer(gh.ctx);
  });
  after(async () => {
    await deliverer?.stop();
    await gh?.close();
    await rx?.close();
  });

  test('routes, logins by reason, SCIM operations, outbox and deliveries, pool, process', async (t) => {
    if (!gh) return t.skip('PostgreSQL unreachable');
    const conn = await createSamlConnection(gh.app, idp);
    const query = { response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 's' };
    const ok = await samlRound(gh, idp, query);
    assert.equal(ok.acs.statusCode, 302);
    const replay = await postToAcs(gh.app, ok.samlResponse, ok.start.relayState);
    assert.ok(replay.statusCode < 500);
    const notBase64 = await gh.app.inject({ method: 'POST', url: '/api/oauth/saml', payload: 'SAMLResponse=%%%', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(notBase64.statusCode, 400);

    const dir = await createDirectory(gh, { webhook_url: rx.url, webhook_secret: 'whsec_metrics_0123456789' });
    const scim = scimClient(gh, dir);
    const user = await scim('POST', '/Users', { userName: 'metrics@acme.com' });
    assert.equal(user.status, 201);
    assert.equal((await scim('POST', '/Users', { userName: 'METRICS@acme.com' })).status, 409);
    assert.equal((await scim('PATCH', `/Users/${user.body.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] })).status, 204);
    assert.equal((await scim('GET', '/Users?filter=userName eq "metrics@acme.com"')).status, 200);
    await waitFor(() => rx.received.length >= 2, 10_000, 'two events delivered');
    // The receiver answers before the deliverer records the delivery: wait for the record too.
    const outboxPending = async () => sample((await gh!.app.inject({ url: '/metrics' })).body, 'gatehouse_webhook_outbox_events', { status: 'pending' });
    await waitFor(async () => (await outboxPending()) === 0, 10_000, 'both deliveries recorded');

    const res = await gh.app.inject({ url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const m = res.body;
    assert.match(m, /^# HELP gatehouse_http_requests_total /m);
    assert.match(m, /^# TYPE gatehouse_http_request_duration_seconds histogram$/m);
    assert.equal(sample(m, 'gatehouse_http_requests_total', { method: 'GET', route: '/api/oauth/authorize', status: '302' }), 1);
    assert.equal(sample(m, 'gatehouse_http_request_duration_seconds_count', { method: 'POST', route: '/api/oauth/saml' }), 3);
    assert.ok(sample(m, 'gatehouse_http_request_duration_seconds_bucket', { route: '/api/oauth/saml', le: '+Inf' })! >= 3);
    assert.equal(sample(m, 'gatehouse_logins_total', { protocol: 'saml', outcome: 'success', reason: 'ok' }), 1);
    assert.equal(sample(m, 'gatehouse_logins_total', { protocol: 'saml', outcome: 'failure', reason: 'SAML_FLOW_EXPIRED' }) ?? sample(m, 'gatehouse_logins_total', { outcome: 'failure', reason: 'SAML_REPLAYED' }), 1, 'a replay is refused and counted by its code');
    assert.equal(sample(m, 'gatehouse_logins_total', { protocol: 'saml', outcome: 'failure', reason: 'SAML_MALFORMED' }), 1);
    assert.equal(sample(m, 'gatehouse_scim_operations_total', { resource: 'users', operation: 'create', status: '201' }), 1);
    assert.equal(sample(m, 'gatehouse_scim_operations_total', { resource: 'users', operation: 'create', status: '409' }), 1);
    assert.equal(sample(m, 'gatehouse_scim_operations_total', { resource: 'users', operation: 'patch', status: '204' }), 1);
    assert.equal(sample(m, 'gatehouse_scim_operations_total', { resource: 'users', operation: 'list', status: '200' }), 1);
    assert.ok(sample(m, 'gatehouse_webhook_delivery_attempts_total', { result: 'delivered' })! >= 2);
    assert.ok(sample(m, 'gatehouse_webhook_delivery_duration_seconds_count')! >= 2);
    assert.equal(sample(m, 'gatehouse_webhook_outbox_events', { status: 'pending' }), 0);
    assert.equal(sample(m, 'gatehouse_webhook_outbox_events', { status: 'failed' }), 0);
    assert.equal(sample(m, 'gatehouse_webhook_outbox_oldest_pending_seconds'), 0);
    assert.equal(sample(m, 'gatehouse_database_up'), 1);
    assert.equal(sample(m, 'gatehouse_db_pool_connections', { state: 'max' }), 10);
    assert.ok(sample(m, 'gatehouse_db_pool_connections', { state: 'total' })! >= 1);
    assert.ok(sample(m, 'gatehouse_db_pool_connections', { state: 'waiting' })! >= 0);
    // Every statement sent is counted (decision 0039): the count only grows, and matches the database handle's own.
    const statements = sample(m, 'gatehouse_db_statements_total')!;
    assert.ok(statements > 20, `statements: ${statements}`);
    assert.ok(statements <= gh.database.statements.count);
    assert.equal(sample(m, 'gatehouse_ready'), 1);
    assert.ok(sample(m, 'process_resident_memory_bytes')! > 10e6);
    assert.ok(sample(m, 'nodejs_eventloop_lag_seconds') !== null);
    // No tenant, user, directory id, email or token ever becomes a label.
    for (const secretish of [dir.id, dir.secret, 'acme.com', 'metrics@acme.com', conn.clientID]) assert.ok(!m.includes(secretish), `${secretish} is not in /metrics`);
  });

  test('an undelivered event shows in the outbox depth', async (t) => {
    if (!gh) return t.skip('PostgreSQL unreachable');
    await deliverer.stop();
    const dir = await createDirectory(gh, { tenant: 'pending.com', webhook_url: rx.url, webhook_secret: 'whsec_metrics_0123456789' });
    assert.equal((await scimClient(gh, dir)('POST', '/Users', { userName: 'waiting@pending.com' })).status, 201);
    const m = (await gh.app.inject({ url: '/metrics' })).body;
    assert.equal(sample(m, 'gatehouse_webhook_outbox_events', { status: 'pending' }), 1);
    assert.ok(sample(m, 'gatehouse_webhook_outbox_oldest_pending_seconds')! >= 0);
    deliverer = startWebhookDeliverer(gh.ctx);
  });

  test('x-request-id: a usable one is echoed, anything else replaced by a fresh id', async (t) => {
    if (!gh) return t.skip('PostgreSQL unreachable');
    const echoed = await gh.app.inject({ url: '/api/health', headers: { 'x-request-id': 'lb-7f3a.42:1' } });
    assert.equal(echoed.headers['x-request-id'], 'lb-7f3a.42:1');
    const made = await gh.app.inject({ url: '/api/v1/sso?tenant=x&product=y', headers: { authorization: `Api-Key ${API_KEY}` } });
    assert.match(String(made.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    const refused = await gh.app.inject({ url: '/api/health', headers: { 'x-request-id': 'has spaces <script>' } });
    assert.match(String(refused.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    const long = await gh.app.inject({ url: '/api/health', headers: { 'x-request-id': 'x'.repeat(65) } });
    assert.notEqual(long.headers['x-request-id'], 'x'.repeat(65));
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  let gh: RunningGatehouse | null;
  before(async () => {
    gh = await startGatehouse({ env: { METRICS_TOKEN: 'metrics-token-0123456789' } });
  });
  after(async () => gh?.close());

  test('needs the bearer token', async () => {
    assert.equal((await gh!.app.inject({ url: '/metrics' })).statusCode, 401);
    assert.equal((await gh!.app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode, 401);
    const ok = await gh!.app.inject({ url: '/metrics', headers: { authorization: 'Bearer metrics-token-0123456789' } });
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, /gatehouse_http_requests_total/);
    assert.equal(ok.body.includes('gatehouse_db_pool_connections{'), false, 'no pool on SQLite');
  });
});
