/**
 * Issue 15: a product's session settings through `POST|PATCH /api/v1/products`: defaults, changes, null resets a
 * field, bad values are 400 naming the field, and untouched products store nothing. On every dialect.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouse, API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { productsRepo } from '../../src/storage/index.ts';
import { sessionSettingsOf } from '../../src/tenancy/session-settings.ts';

for (const dialect of testDialects()) {
  describe(`product session settings on ${dialect}`, () => {
    let gh: RunningGatehouse | null;
    before(async () => { gh = await startGatehouse({ dialect }); });
    after(async () => gh?.close());
    const api = (method: 'POST' | 'PATCH' | 'GET', url: string, payload?: unknown) =>
      gh!.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload ? { payload: payload as object } : {}) });

    test('defaults, set, reset with null, and refused values', async (t) => {
      if (!gh) return t.skip(`${dialect} is not available`);
      const plain = await api('POST', '/api/v1/products', { product: 'plain' });
      assert.equal(plain.statusCode, 201, plain.body);
      assert.equal(plain.json().data.refreshTokens, true);
      assert.equal((await productsRepo.findById(gh.ctx.db, 'plain'))?.session_settings, null, 'defaults are not stored');
      assert.deepEqual(await sessionSettingsOf(gh.ctx, 'no-such-product'), { refreshTokens: true, refreshTokenIdleSeconds: null, refreshTokenAbsoluteSeconds: null, postLogoutRedirectUris: [], backchannelLogoutUri: null, backchannelLogoutSessionRequired: false });

      // The receiver passes the SSRF guard when saved (decision 0025): a host that resolves, or one of OUTBOUND_ALLOW_HOSTS.
      const c = await api('POST', '/api/v1/products', { product: 'crm', backchannelLogoutUri: 'http://127.0.0.1:9/bcl', backchannelLogoutSessionRequired: true, postLogoutRedirectUris: ['https://app.example/bye'] });
      assert.equal(c.statusCode, 201, c.body);
      assert.equal(c.json().data.backchannelLogoutUri, 'http://127.0.0.1:9/bcl');
      const u = await api('PATCH', '/api/v1/products/crm', { refreshTokens: false, refreshTokenIdleSeconds: 600, backchannelLogoutUri: null });
      assert.equal(u.statusCode, 200, u.body);
      const d = u.json().data;
      assert.equal(d.refreshTokens, false);
      assert.equal(d.refreshTokenIdleSeconds, 600);
      assert.equal(d.backchannelLogoutUri, null, 'null resets');
      assert.equal(d.backchannelLogoutSessionRequired, true, 'untouched fields stay');
      assert.deepEqual(d.postLogoutRedirectUris, ['https://app.example/bye']);
      const s = await sessionSettingsOf(gh.ctx, 'crm');
      assert.equal(s.refreshTokens, false);
      assert.equal(s.refreshTokenIdleSeconds, 600);

      for (const [body, field] of [[{ backchannelLogoutUri: 'not a url' }, 'backchannelLogoutUri'], [{ refreshTokenIdleSeconds: 5 }, 'refreshTokenIdleSeconds'], [{ postLogoutRedirectUris: ['ftp://x'] }, 'postLogoutRedirectUris'], [{ refreshTokens: 'yes' }, 'refreshTokens']] as const) {
        const r = await api('PATCH', '/api/v1/products/crm', body);
        assert.equal(r.statusCode, 400, `${field}: ${r.body}`);
        assert.match(String(r.json().field), new RegExp(`^${field}`));
      }
      assert.equal((await sessionSettingsOf(gh.ctx, 'crm')).refreshTokenIdleSeconds, 600, 'a refused change changes nothing');
    });
  });
}
