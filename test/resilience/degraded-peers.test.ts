/**
 * Peers that fail must not take Gatehouse down with them: a webhook receiver that hangs or is gone does
 * not slow SCIM (the IdP's call only appends to the outbox), and an IdP whose metadata URL has died
 * keeps signing users in with the metadata stored when the connection was saved.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { startGatehouse, API_KEY, freePort, type RunningGatehouse } from '../support/gatehouse.ts';
import { createTestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, IDP_SSO_URL, samlRound, locationParams } from '../support/saml-flow.ts';
import { startWebhookDeliverer, type Deliverer } from '../../src/directory-sync/webhooks/deliverer.ts';
import { createDirectory, scimClient } from '../support/scim.ts';
import { percentile } from '../../bench/support/stats.ts';

async function timedCreates(gh: RunningGatehouse, webhookUrl: string | undefined, tag: string, n: number): Promise<number[]> {
  const dir = await createDirectory(gh, { tenant: `${tag}.com`, ...(webhookUrl ? { webhook_url: webhookUrl, webhook_secret: 'whsec_degraded_0123456789' } : {}) });
  const scim = scimClient(gh, dir);
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await scim('POST', '/Users', { userName: `u${i}@${tag}.com`, name: { givenName: 'U', familyName: String(i) } });
    ms.push(performance.now() - t0);
    assert.equal(res.status, 201);
  }
  return ms;
}

describe('a slow or dead webhook receiver does not slow SCIM', () => {
  let gh: RunningGatehouse;
  let deliverer: Deliverer;
  let hung: Server;
  const held: Socket[] = [];
  let requestsHeld = 0;
  before(async () => {
    gh = (await startGatehouse({ env: { OUTBOUND_TIMEOUT_MS: '10000', DSYNC_DELIVERER_POLL_MS: '20' } }))!;
    deliverer = startWebhookDeliverer(gh.ctx);
    hung = createServer(() => void requestsHeld++); // reads the request, never answers
    hung.on('connection', (s) => held.push(s));
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
  });
  after(async () => {
    for (const s of held) s.destroy();
    hung.close();
    await deliverer.stop();
    await gh.close();
  });

  test('SCIM latency with a hanging and with a dead receiver stays that of no webhook at all', async (t) => {
    const N = 40;
    await timedCreates(gh, undefined, 'warm', 10);
    const none = await timedCreates(gh, undefined, 'none', N);
    const hanging = await timedCreates(gh, `http://127.0.0.1:${(hung.address() as { port: number }).port}/hooks`, 'hanging', N);
    assert.ok(requestsHeld >= 1, 'the deliverer is stuck on the hanging receiver while SCIM goes on');
    const dead = await timedCreates(gh, `http://127.0.0.1:${await freePort()}/hooks`, 'dead', N);
    const p95 = (xs: number[]) => percentile(xs, 95);
    const report = `p95 ms: no webhook ${p95(none).toFixed(1)}, hanging receiver ${p95(hanging).toFixed(1)}, dead receiver ${p95(dead).toFixed(1)}; max ${Math.max(...hanging, ...dead).toFixed(1)}`;
    t.diagnostic(report);
    // A synchronous delivery would cost the 10 s timeout per call; the outbox costs nothing measurable.
    // The bounds are loose because this machine is shared with other test runs.
    assert.ok(Math.max(...hanging, ...dead) < 2000, report);
    assert.ok(p95(hanging) < p95(none) * 3 + 100, report);
    assert.ok(p95(dead) < p95(none) * 3 + 100, report);
    const pending = await gh.ctx.db.selectFrom('directory_events').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow();
    assert.equal(Number(pending.n), 2 * N, 'every event waits in the outbox for its receiver');
  });
});

describe('a dead IdP metadata URL does not break logins', () => {
  let gh: RunningGatehouse;
  before(async () => {
    gh = (await startGatehouse())!;
  });
  after(async () => gh.close());

  test('a connection saved from a metadata URL signs users in after that URL stops answering', async () => {
    const idp = await createTestIdp();
    const md = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(idp.metadataXml({ ssoUrl: IDP_SSO_URL })));
    await new Promise<void>((r) => md.listen(0, '127.0.0.1', r));
    const metadataUrl = `http://127.0.0.1:${(md.address() as { port: number }).port}/metadata`;
    const created = await gh.app.inject({
      method: 'POST', url: '/api/v1/sso', headers: { authorization: `Api-Key ${API_KEY}` },
      payload: { tenant: 'acme.com', product: 'crm', name: 'From URL', metadataUrl, defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK] },
    });
    assert.equal(created.statusCode, 200, created.body);
    const conn = created.json() as { clientID: string; clientSecret: string };
    await new Promise<void>((r) => md.close(() => r()));
    md.closeAllConnections();

    const { acs } = await samlRound(gh, idp, { response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 'st' });
    assert.equal(acs.statusCode, 302, acs.body.slice(0, 300));
    const code = locationParams(acs).get('code');
    assert.ok(code, String(acs.headers.location));
    const token = await gh.app.inject({ method: 'POST', url: '/api/oauth/token', payload: new URLSearchParams({ grant_type: 'authorization_code', code: code!, client_id: conn.clientID, client_secret: conn.clientSecret, redirect_uri: APP_CALLBACK }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(token.statusCode, 200, token.body);
    // The connection still reads back with its metadata URL and entity ID.
    const listed = await gh.app.inject({ url: '/api/v1/sso?tenant=acme.com&product=crm', headers: { authorization: `Api-Key ${API_KEY}` } });
    assert.equal(listed.statusCode, 200);
    assert.ok(JSON.stringify(listed.json()).includes(idp.entityId));
  });
});
