/**
 * Connections made from a metadata URL before refreshes existed are scheduled by migration 015 (due at once), and
 * their first round fetches them; pasted-metadata connections are not scheduled.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { createTestIdp } from '../support/saml-idp.ts';
import { IDP_SSO_URL, createSamlConnection } from '../support/saml-flow.ts';
import { metadataXmlWith, startMetadataServer, type MetadataServer } from '../support/metadata-server.ts';
import { migrateToLatest } from '../../src/storage/index.ts';
import { refreshDueMetadata } from '../../src/sso/upkeep/upkeep.ts';

describe('migration 015 schedules connections made from a URL before it (sqlite)', () => {
  let gh: RunningGatehouse;
  let server: MetadataServer;
  before(async () => {
    gh = (await startGatehouse())!;
    const idp = await createTestIdp();
    server = await startMetadataServer(metadataXmlWith(idp.entityId, [idp.certPem], IDP_SSO_URL));
  });
  after(async () => {
    await gh?.close();
    await server?.close();
  });

  test('an older URL connection is due at once; a pasted one is not scheduled', async () => {
    const idp = await createTestIdp();
    const fromUrl = await createSamlConnection(gh.app, idp, { tenant: 'url.example', rawMetadata: undefined, metadataUrl: server.url });
    const pasted = await createSamlConnection(gh.app, idp, { tenant: 'pasted.example' });
    // The database as the release before left it: no upkeep tables, migration 015 not applied.
    await sql`drop table metadata_refresh`.execute(gh.ctx.db);
    await sql`drop table certificate_notices`.execute(gh.ctx.db);
    await gh.ctx.db.deleteFrom('gatehouse_migrations' as never).where('name' as never, '=', '015_connection_upkeep' as never).execute();
    assert.deepEqual(await migrateToLatest(gh.ctx.db, gh.ctx.dialect), ['015_connection_upkeep']);
    const scheduled = await gh.ctx.db.selectFrom('metadata_refresh').selectAll().execute();
    assert.deepEqual(scheduled.map((r) => [r.connection_id, Number(r.next_refresh_at)]), [[fromUrl.clientID, 0]]);
    assert.notEqual(pasted.clientID, fromUrl.clientID);
    const fetchesBefore = server.fetches.length;
    assert.deepEqual(await refreshDueMetadata(gh.ctx), { [fromUrl.clientID]: 'unchanged' });
    assert.equal(server.fetches.length, fetchesBefore + 1);
  });
});
