/**
 * Bad input to the draft endpoints gets a clear 4xx in problem JSON, never a 5xx: bodies near a valid draft
 * (fields dropped, of another type, nasty strings, unknown keys), odd clientIDs in query and body, and promote
 * or roll back versions that are not numbers. A refused draft changes nothing stored.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { createSamlConnection } from '../support/saml-flow.ts';
import { createTestIdp } from '../support/saml-idp.ts';
import { jsonValue, nastyString, nearValid } from '../fuzz/generators.ts';
import { api } from './support.ts';

describe('draft endpoints refuse malformed input with a 4xx', () => {
  let gh: RunningGatehouse;
  let clientID: string;
  let xml: string;
  const stored = async () => JSON.stringify(await gh.ctx.db.selectFrom('connection_versions').selectAll().orderBy('version').execute());

  before(async () => {
    gh = (await startGatehouse())!;
    clientID = (await createSamlConnection(gh.app, await createTestIdp())).clientID;
    xml = (await createTestIdp()).metadataXml({ ssoUrl: 'https://idp-b.example.test/sso' });
  });
  after(async () => gh?.close());

  test('near-valid draft bodies: 2xx or 4xx, and a 4xx stores nothing', async () => {
    const field = fc.oneof(jsonValue(2), nastyString(), fc.constant(clientID));
    await fc.assert(
      fc.asyncProperty(nearValid({ clientID, rawMetadata: xml, attributeMapping: { email: 'mail' } }, { clientID: field, rawMetadata: field, metadataUrl: field, attributeMapping: field, oidcMetadata: field, forceAuthn: field }), async (body) => {
        const before = await stored();
        const r = await api(gh, 'POST', '/api/v1/sso/drafts', body);
        assert.ok(r.statusCode < 500, `${r.statusCode} ${r.body} for ${JSON.stringify(body).slice(0, 300)}`);
        if (r.statusCode >= 400) {
          assert.match(String(r.headers['content-type']), /problem\+json/);
          assert.equal(await stored(), before, 'a refused draft stores nothing');
        }
      }),
      { numRuns: 60, seed: 14 },
    );
  });

  test('odd clientIDs and versions on every draft endpoint: 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(jsonValue(2), nastyString()), fc.oneof(jsonValue(1), nastyString()), async (id, version) => {
        // Every byte percent-encoded (encodeURIComponent throws on a lone surrogate).
        const q = [...Buffer.from(typeof id === 'string' ? id : JSON.stringify(id) ?? '')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
        for (const r of [
          await api(gh, 'GET', `/api/v1/sso/drafts?clientID=${q}`),
          await api(gh, 'GET', `/api/v1/sso/versions?clientID=${q}`),
          await api(gh, 'DELETE', `/api/v1/sso/drafts?clientID=${q}`),
          await api(gh, 'POST', '/api/v1/sso/drafts/promote', { clientID: id, version }),
          await api(gh, 'POST', '/api/v1/sso/drafts/promote', { clientID, version: typeof version === 'number' ? 0.5 : version }),
          await api(gh, 'POST', '/api/v1/sso/rollback', { clientID: id }),
          await api(gh, 'POST', '/api/v1/sso/drafts/test', { clientID: id }),
          await api(gh, 'GET', `/api/v1/sso/tests/${q || 'x'}`),
        ]) assert.ok(r.statusCode >= 400 && r.statusCode < 500, `${r.statusCode} ${r.body}`);
      }),
      { numRuns: 40, seed: 14 },
    );
  });
});
