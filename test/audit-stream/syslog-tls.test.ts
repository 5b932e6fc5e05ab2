/**
 * Syslog over TLS (RFC 5425) to a real TLS collector on 127.0.0.1 with a self-signed certificate: without
 * AUDIT_STREAM_SYSLOG_CA the certificate is refused and nothing is sent (retried, with the reason in the attempt
 * log); with it, the events arrive, framed and parsed like over TCP.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from 'selfsigned';
import { startWebhookDeliverer, type Deliverer } from '../../src/directory-sync/webhooks/deliverer.ts';
import { waitFor } from '../support/scim.ts';
import { startSyslogReceiver } from '../support/syslog-receiver.ts';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { createTestIdp } from '../support/saml-idp.ts';
import { createSamlConnection } from '../support/saml-flow.ts';

const FAST = { WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_RETRY_MAX_DELAY_MS: '200', DSYNC_DELIVERER_POLL_MS: '20' };

describe('audit stream: syslog over TLS', () => {
  let pems: { private: string; cert: string };
  let collector: Awaited<ReturnType<typeof startSyslogReceiver>>;
  const running: { gh: RunningGatehouse; d: Deliverer }[] = [];
  const start = async (env: Record<string, string>) => {
    const gh = (await startGatehouse({ env: { ...FAST, AUDIT_STREAM_SYSLOG_URL: collector.url, ...env } }))!;
    const d = startWebhookDeliverer(gh.ctx);
    running.push({ gh, d });
    return gh;
  };
  before(async () => {
    pems = await generate([{ name: 'commonName', value: 'localhost' }], { keySize: 2048, algorithm: 'sha256' });
    collector = await startSyslogReceiver({ tls: { key: pems.private, cert: pems.cert } });
  });
  after(async () => {
    for (const { gh, d } of running) {
      await d.stop();
      await gh.close();
    }
    await collector?.close();
  });

  test('an untrusted certificate: nothing is sent, the attempts say why', async () => {
    const gh = await start({});
    await createSamlConnection(gh.app, await createTestIdp(), { tenant: 'untrusted.com' });
    await waitFor(async () => (await gh.ctx.db.selectFrom('directory_event_attempts').selectAll().where('directory_id', '=', 'audit-syslog').execute()).length >= 2, 30_000);
    const attempts = await gh.ctx.db.selectFrom('directory_event_attempts').selectAll().where('directory_id', '=', 'audit-syslog').execute();
    assert.ok(attempts.every((a) => a.status_code === null && /SELF_SIGNED|CERT/i.test(String(a.error))), JSON.stringify(attempts.map((a) => a.error)));
    assert.equal(collector.messages.length, 0);
    const row = await gh.ctx.db.selectFrom('directory_events').selectAll().where('directory_id', '=', 'audit-syslog').executeTakeFirstOrThrow();
    assert.equal(row.status, 'pending', 'still retried until its deadline');
  });

  test('with AUDIT_STREAM_SYSLOG_CA: delivered over TLS, framed and parsed', async () => {
    const gh = await start({ AUDIT_STREAM_SYSLOG_CA: pems.cert });
    await createSamlConnection(gh.app, await createTestIdp(), { tenant: 'trusted.com' });
    await waitFor(() => collector.messages.some((m) => JSON.parse(m.msg).tenant === 'trusted.com'), 30_000);
    const m = collector.messages.find((x) => JSON.parse(x.msg).tenant === 'trusted.com')!;
    assert.equal(m.pri, 109);
    assert.equal(m.msgId, 'sso.connection.created');
    assert.ok(collector.messages.every((x) => JSON.parse(x.msg).tenant !== 'untrusted.com'), 'the other instance never sent over an unverified connection');
  });
});
