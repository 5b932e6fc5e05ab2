/**
 * Issue 15, back-channel logout exactly once per session across instances (decision 0025): two Gatehouse instances
 * on one PostgreSQL (and MariaDB) database, each with its deliverer running, end the same user's sessions at the
 * same moment through different paths (a SCIM deactivation, an admin, the connection switched off), and one of
 * them repeats the enqueue; the app's real receiver (verifying with jose against /oauth/jwks) gets exactly one
 * logout token per session.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { API_KEY, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { APP_CALLBACK, createSamlConnection, samlRound } from '../support/saml-flow.ts';
import { startBackchannelReceiver, type BackchannelReceiver } from '../support/backchannel-receiver.ts';
import { startWebhookDeliverer, type Deliverer } from '../../src/directory-sync/webhooks/deliverer.ts';
import { endAppSessions, nameidKeyOf } from '../../src/oauth/sessions.ts';
import { BACKCHANNEL_CHANNEL, queueBackchannelLogouts } from '../../src/app-logout/backchannel.ts';

const SESSIONS = 12;

for (const dialect of testDialects().filter((d) => d !== 'sqlite')) {
  describe(`back-channel logout exactly once, two instances on ${dialect}`, () => {
    let a: RunningGatehouse | null;
    let b: RunningGatehouse;
    let idp: TestIdp;
    let rx: BackchannelReceiver;
    const deliverers: Deliverer[] = [];

    before(async () => {
      a = await startGatehouse({ dialect, listen: true });
      if (!a) return;
      // Instances of one deployment share EXTERNAL_URL (the issuer) and the encryption key (the sealed signing keys).
      b = (await startGatehouse({ dialect, databaseUrl: a.db.url, env: { EXTERNAL_URL: a.baseUrl, ENCRYPTION_KEY: a.ctx.config.encryptionKeys[0]!.toString('hex') } }))!;
      idp = await createTestIdp();
      rx = await startBackchannelReceiver(a.baseUrl, a.ctx.config.EXTERNAL_URL);
      const p = await a.app.inject({ method: 'POST', url: '/api/v1/products', headers: { authorization: `Api-Key ${API_KEY}` }, payload: { product: 'crm', backchannelLogoutUri: rx.url } });
      assert.equal(p.statusCode, 201, p.body);
      deliverers.push(startWebhookDeliverer(a.ctx, { pollMs: 20 }), startWebhookDeliverer(b.ctx, { pollMs: 20 }));
    });
    after(async () => {
      if (!a) return;
      await Promise.all(deliverers.map((d) => d.stop()));
      await rx.close();
      await b.close();
      await a.close();
    });

    test('racing endings and a repeated enqueue deliver one logout token per session', async (t) => {
      if (!a) return t.skip(`${dialect} is not available`);
      const conn = await createSamlConnection(a.app, idp);
      const sids: string[] = [];
      for (let i = 0; i < SESSIONS; i++) {
        const q = { response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 'st', scope: 'openid email' };
        const { acs } = await samlRound(a, idp, q, { nameId: 'gus@acme.com', attributes: { email: 'gus@acme.com' } });
        const code = new URL(acs.headers.location as string).searchParams.get('code')!;
        const tok = await a.app.inject({
          method: 'POST', url: '/api/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: conn.clientID, client_secret: conn.clientSecret, redirect_uri: APP_CALLBACK }).toString(),
        });
        sids.push(JSON.parse(Buffer.from(tok.json().id_token.split('.')[1], 'base64url').toString()).sid);
      }
      const user = { tenant: 'acme.com', product: 'crm', emails: ['gus@acme.com'], nameidKeys: [nameidKeyOf('gus@acme.com')] };
      const results = await Promise.all([
        endAppSessions(a.ctx, user, 'scim_deactivated'),
        endAppSessions(b.ctx, user, 'admin'),
        endAppSessions(b.ctx, { connectionId: conn.clientID }, 'connection_deactivated'),
        endAppSessions(a.ctx, { connectionId: conn.clientID, nameidKey: nameidKeyOf('GUS@acme.com') }, 'saml_slo'),
      ]);
      const ended = results.flat();
      assert.deepEqual(ended.map((s) => s.sid).sort(), [...sids].sort(), 'each session ended by exactly one caller');
      // A retried enqueue (the same ending announced again, on the other instance) queues nothing more.
      assert.equal(await queueBackchannelLogouts({ ctx: b.ctx, sessions: ended, reason: 'admin' }), SESSIONS, 'it tried to queue them all');

      await rx.waitFor((r) => new Set(r.map((x) => x.claims.sid)).size === SESSIONS, 20_000);
      // Let both deliverers settle everything they claimed before counting.
      const until = Date.now() + 20_000;
      for (;;) {
        const open = await a.ctx.db.selectFrom('directory_events').select('status').where('directory_id', '=', BACKCHANNEL_CHANNEL).where('status', '!=', 'delivered').execute();
        if (open.length === 0) break;
        assert.ok(Date.now() < until, `${open.length} back-channel rows still not delivered`);
        await new Promise((r) => setTimeout(r, 25));
      }
      const rows = await a.ctx.db.selectFrom('directory_events').select(['id', 'attempts']).where('directory_id', '=', BACKCHANNEL_CHANNEL).execute();
      assert.equal(rows.length, SESSIONS, 'one outbox row per session');
      assert.ok(rows.every((r) => Number(r.attempts) === 1), 'each delivered at its first attempt');
      const perSid = new Map<string, number>();
      for (const r of rx.received) perSid.set(r.claims.sid!, (perSid.get(r.claims.sid!) ?? 0) + 1);
      assert.deepEqual([...perSid.keys()].sort(), [...sids].sort());
      assert.ok([...perSid.values()].every((n) => n === 1), `exactly one token per session: ${JSON.stringify([...perSid.values()])}`);
      assert.equal(rx.received.length, SESSIONS);
    });
  });
}
