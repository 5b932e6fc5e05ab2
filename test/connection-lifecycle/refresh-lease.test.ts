/**
 * Many instances, one database: two app contexts on one PostgreSQL (and one MariaDB/MySQL, and SQLite) database run
 * their refresh rounds at the same moments, period after period; the metadata server counts one fetch per period.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { createTestIdp } from '../support/saml-idp.ts';
import { IDP_SSO_URL, createSamlConnection } from '../support/saml-flow.ts';
import { metadataXmlWith, startMetadataServer, type MetadataServer } from '../support/metadata-server.ts';
import { refreshDueMetadata } from '../../src/sso/upkeep/upkeep.ts';
import type { RefreshOutcome } from '../../src/sso/upkeep/metadata-refresh.ts';
import { testDialects } from '../support/databases.ts';

const PERIOD_S = 5;

for (const dialect of testDialects()) {
  describe(`one refresh per connection per period across instances: ${dialect}`, () => {
    let first: RunningGatehouse | null = null;
    let second: RunningGatehouse | null = null;
    let server: MetadataServer;
    let offset = 0;
    const now = () => Date.now() + offset;

    before(async () => {
      const idp = await createTestIdp();
      server = await startMetadataServer(metadataXmlWith(idp.entityId, [idp.certPem], IDP_SSO_URL));
      const env = { METADATA_REFRESH_SECONDS: String(PERIOD_S), ENCRYPTION_KEY: randomBytes(32).toString('hex') };
      first = await startGatehouse({ dialect, env, now });
      if (!first) return;
      second = await startGatehouse({ dialect, env, now, databaseUrl: first.db.url });
      for (const tenant of ['one.example', 'two.example', 'three.example']) {
        await createSamlConnection(first.app, idp, { tenant, rawMetadata: undefined, metadataUrl: server.url });
      }
    });
    after(async () => {
      await second?.close(); // shares the database: its drop is a no-op
      await first?.close();
      await server?.close();
    });

    test('each period, each connection is fetched by exactly one of the two instances', { timeout: 120_000 }, async (t) => {
      if (!first || !second) return t.skip(`${dialect} unavailable`);
      assert.equal(server.fetches.length, 3, 'one fetch per connection at creation');
      for (let period = 1; period <= 4; period++) {
        offset += (PERIOD_S + 1) * 1000;
        const [a, b]: Record<string, RefreshOutcome>[] = await Promise.all([refreshDueMetadata(first.ctx), refreshDueMetadata(second.ctx)]);
        const claimed: string[] = [...Object.keys(a), ...Object.keys(b)];
        assert.equal(claimed.length, 3, `period ${period}: ${JSON.stringify({ a, b })}`);
        assert.equal(new Set(claimed).size, 3, 'no connection refreshed by both');
        assert.equal(server.fetches.length, 3 + 3 * period, `period ${period}: one fetch per connection`);
        // A second round within the same period fetches nothing.
        const [again, again2]: Record<string, RefreshOutcome>[] = await Promise.all([refreshDueMetadata(first.ctx), refreshDueMetadata(second.ctx)]);
        assert.deepEqual({ ...again, ...again2 }, {});
        assert.equal(server.fetches.length, 3 + 3 * period);
      }
    });
  });
}
