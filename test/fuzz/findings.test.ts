/**
 * What the fuzz suite found, pinned through the real HTTP surface on every dialect (each was a 500).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../support/databases.ts';
import { API_KEY } from '../support/gatehouse.ts';
import { scimClient, type Scim } from '../support/scim.ts';
import { startFuzzWorld, type FuzzWorld } from './http-targets.ts';

for (const dialect of testDialects()) {
  describe(`fuzz findings (${dialect})`, () => {
    let world: FuzzWorld | null = null;
    let scim: Scim;
    before(async () => {
      world = await startFuzzWorld(dialect);
      if (world) scim = scimClient(world.gh, world.dir);
    });
    after(() => world?.close());

    test('SCIM bodies with U+0000 or a lone surrogate are refused and break no later filter', async (t) => {
      if (!world) return t.skip(`${dialect} server unreachable`);
      const bodies = [
        '{"userName":"nul\\u0000@acme.com"}',
        '{"userName":"bob@acme.com","title":"a\\u0000b"}',
        '{"userName":"carol@acme.com","emails":[{"value":"c\\udfff@acme.com","type":"work"}]}',
        '{"userName":"dave@acme.com","\\ud800":"x"}',
      ];
      for (const body of bodies) {
        const res = await scim('POST', '/Users', body);
        assert.equal(res.status, 400, `${body}: ${res.text}`);
        assert.equal(res.body.scimType, 'invalidValue');
      }
      const patch = await scim('PATCH', `/Users/${world.userId}`, '{"Operations":[{"op":"replace","path":"title","value":"x\\udc00"}]}');
      assert.equal(patch.status, 400, patch.text);
      // A paired surrogate (an emoji) is an ordinary character.
      assert.equal((await scim('POST', '/Users', '{"userName":"erin\\ud83d\\ude00@acme.com"}')).status, 201);
      for (const filter of ['emails.value eq "alice@acme.com"', 'title pr', 'emails[type eq "work"]']) {
        const res = await scim('GET', `/Users?filter=${encodeURIComponent(filter)}`);
        assert.equal(res.status, 200, `${filter}: ${res.text}`);
      }
    });

    test('a meta.version filter value that is not a 32-bit integer, or a filter with a hole, is invalidFilter', async (t) => {
      if (!world) return t.skip(`${dialect} server unreachable`);
      for (const filter of ['meta.version eq "abc"', 'meta.version gt 1e30', 'meta.version lt 1.5', 'meta.version EQ 2147483648', 'name eq and not (meta.lastModified ne "")']) {
        const res = await scim('GET', `/Users?filter=${encodeURIComponent(filter)}`);
        assert.equal(res.status, 400, `${filter}: ${res.text}`);
        assert.equal(res.body.scimType, 'invalidFilter');
      }
      const ok = await scim('GET', `/Groups?filter=${encodeURIComponent('meta.version ge "1"')}`);
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.body.totalResults, 1);
    });

    test('PATCH and DELETE /api/v1/sso with a clientID that is not a string are 400s naming it', async (t) => {
      if (!world) return t.skip(`${dialect} server unreachable`);
      for (const [method, payload] of [['PATCH', { clientID: true, name: 'x' }], ['PATCH', { clientID: ['a', 'b'] }], ['DELETE', { clientID: { $ne: '' } }], ['DELETE', { tenant: 1, product: 'crm' }]] as const) {
        const res: { statusCode: number; body: string; json(): any } = await world.gh.app.inject({ method, url: '/api/v1/sso', headers: { authorization: `Api-Key ${API_KEY}` }, payload });
        assert.equal(res.statusCode, 400, `${method} ${JSON.stringify(payload)}: ${res.body}`);
        assert.match(res.json().field, /^(clientID|tenant)$/);
      }
      const list = await world.gh.app.inject({ method: 'GET', url: '/api/v1/sso?tenant=acme.com&product=crm', headers: { authorization: `Api-Key ${API_KEY}` } });
      assert.equal(list.json().length, 1);
    });
  });
}
