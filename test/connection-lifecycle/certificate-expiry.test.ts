/**
 * Certificate-expiry notices: `connection.certificate_expiring` at 30, 14, 7 and 1 days before notAfter and
 * `connection.certificate_expired` after it, each once per certificate, even with two instances checking at the
 * same moments on one database; a certificate already inside a threshold when the connection is saved is announced
 * at once, at the tightest threshold only. Certificates are generated with chosen dates; the clock is injected.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { createSamlConnection, IDP_SSO_URL } from '../support/saml-flow.ts';
import { metadataXmlWith } from '../support/metadata-server.ts';
import { createTestIdp } from '../support/saml-idp.ts';
import { checkAllCertificates } from '../../src/sso/upkeep/upkeep.ts';
import { testDialects } from '../support/databases.ts';
import type { ConnectionEvent } from '../../src/sso/connection-events.ts';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.now();

async function certificateExpiringAt(notAfter: number, cn: string): Promise<string> {
  const pems = await generate([{ name: 'commonName', value: cn }], { keySize: 2048, algorithm: 'sha256', notBeforeDate: new Date(T0 - DAY), notAfterDate: new Date(notAfter) });
  return pems.cert;
}

for (const dialect of testDialects()) {
  describe(`certificate expiry notices: ${dialect}`, () => {
    let first: RunningGatehouse | null = null;
    let second: RunningGatehouse | null = null;
    let clock = T0;
    const events: Omit<ConnectionEvent, 'ctx'>[] = [];
    let longCert: string;
    let shortCert: string;

    const expiryEvents = (fingerprint: string) => events.filter((e) => e.type.startsWith('connection.certificate_') && e.data.fingerprint === fingerprint);
    // Two instances in ONE process on one SQLite file cannot write at the same moment: better-sqlite3 waits for the
    // other's write lock synchronously, blocking the event loop that would release it (the group commit of
    // src/storage/sqlite-driver.ts). Several instances are a PostgreSQL/MySQL promise; on SQLite they take turns.
    const bothCheck = async () => {
      if (dialect === 'sqlite') for (const g of [first!, second!]) await checkAllCertificates(g.ctx);
      else await Promise.all([checkAllCertificates(first!.ctx), checkAllCertificates(second!.ctx)]);
    };

    before(async () => {
      const env = { ENCRYPTION_KEY: randomBytes(32).toString('hex') };
      first = await startGatehouse({ dialect, env, now: () => clock });
      if (!first) return;
      second = await startGatehouse({ dialect, env, now: () => clock, databaseUrl: first.db.url });
      for (const gh of [first, second]) gh?.ctx.events.on('connection.event', ({ ctx: _ctx, ...e }) => { events.push(e); });
      longCert = await certificateExpiringAt(T0 + 45 * DAY, 'Long IdP');
      shortCert = await certificateExpiringAt(T0 + 10 * DAY + DAY / 2, 'Short IdP');
    });
    after(async () => {
      await second?.close();
      await first?.close();
    });

    test('a certificate 45 days from expiry announces nothing when saved', async (t) => {
      if (!first || !second) return t.skip(`${dialect} unavailable`);
      const idp = await createTestIdp();
      await createSamlConnection(first.app, idp, { tenant: 'long.example', rawMetadata: metadataXmlWith(idp.entityId, [longCert], IDP_SSO_URL) });
      await bothCheck();
      assert.deepEqual(expiryEvents(new X509Certificate(longCert).fingerprint256), []);
    });

    test('a certificate already inside 14 days when saved is announced at once, at 14 days only', async (t) => {
      if (!first || !second) return t.skip(`${dialect} unavailable`);
      const idp = await createTestIdp();
      const conn = await createSamlConnection(first.app, idp, { tenant: 'short.example', rawMetadata: metadataXmlWith(idp.entityId, [shortCert], IDP_SSO_URL) });
      const cert = new X509Certificate(shortCert);
      const seen = expiryEvents(cert.fingerprint256);
      assert.equal(seen.length, 1);
      assert.equal(seen[0]!.type, 'connection.certificate_expiring');
      assert.equal(seen[0]!.connectionId, conn.clientID);
      assert.deepEqual(seen[0]!.data, { fingerprint: cert.fingerprint256, notAfter: new Date(cert.validTo).toISOString(), daysLeft: 11, subject: 'CN=Short IdP' });
      await bothCheck();
      assert.equal(expiryEvents(cert.fingerprint256).length, 1, 'the 30-day threshold it had passed is never announced');
    });

    test('each threshold is announced once, then expiry once, with two instances checking', async (t) => {
      if (!first || !second) return t.skip(`${dialect} unavailable`);
      const fp = new X509Certificate(longCert).fingerprint256;
      const steps: [number, string, number][] = [[29.5, 'connection.certificate_expiring', 30], [13.5, 'connection.certificate_expiring', 14], [6.5, 'connection.certificate_expiring', 7], [0.5, 'connection.certificate_expiring', 1], [-0.5, 'connection.certificate_expired', 0]];
      for (const [daysLeft, type, announcedDays] of steps) {
        clock = T0 + 45 * DAY - daysLeft * DAY;
        await bothCheck();
        await bothCheck();
        const seen = expiryEvents(fp);
        assert.equal(seen.length, steps.findIndex((s) => s[0] === daysLeft) + 1, `at ${daysLeft} days left: ${JSON.stringify(seen.map((e) => e.data.daysLeft))}`);
        assert.equal(seen.at(-1)!.type, type);
        assert.equal(seen.at(-1)!.data.daysLeft, announcedDays);
      }
    });
  });
}
