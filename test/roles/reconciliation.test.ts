/**
 * Issue 16 §3: reconciliation, SSO and directory side by side, on SQLite and PostgreSQL, with real SCIM pushes and
 * real SAML sign-ins through the HTTP surface. Each of the four lists gets the person it should, and nobody else;
 * the CSV export has every row and no cell a spreadsheet would run as a formula.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { API_KEY } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { APP_CALLBACK, createSamlConnection, samlRound } from '../support/saml-flow.ts';
import { startWithDirectory } from '../support/scim.ts';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const pause = (ms = 5) => new Promise((r) => setTimeout(r, ms));

for (const dialect of testDialects().filter((d) => d !== 'mysql')) {
  describe(`reconciliation on ${dialect}`, () => {
    let s: Awaited<ReturnType<typeof startWithDirectory>>;
    let idp: TestIdp;
    let conn: { clientID: string };
    before(async () => {
      s = await startWithDirectory({ dialect });
      if (!s) return;
      idp = await createTestIdp();
      conn = await createSamlConnection(s.gh.app, idp);
    });
    after(async () => s?.gh.close());

    const signIn = async (nameId: string, email: string) => {
      const q = { response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 'st', scope: 'openid' };
      const { acs } = await samlRound(s!.gh, idp, q, { nameId, attributes: { email, groups: ['staff'] } });
      assert.equal(acs.statusCode, 302, acs.body);
      assert.ok(new URL(acs.headers.location as string).searchParams.get('code'));
      await pause();
    };
    const push = async (user: Record<string, unknown>) => {
      const r = await s!.scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], active: true, ...user });
      assert.equal(r.status, 201, r.text);
      await pause();
      return r.body.id as string;
    };
    const get = (url: string, headers: Record<string, string> = {}) => s!.gh.app.inject({ url, headers: { authorization: `Api-Key ${API_KEY}`, ...headers } });

    test('the four lists, each with a suggested fix, matched case-insensitively', async (t) => {
      if (!s) return t.skip(`${dialect} is not available`);
      await push({ userName: 'bob@acme.com', emails: [{ value: 'bob@acme.com', primary: true }] });
      await push({ userName: 'carol@acme.com', externalId: 'okta-carol', emails: [{ value: 'carol@acme.com', primary: true }] });
      const dave = await push({ userName: 'dave@acme.com', emails: [{ value: 'dave@acme.com', primary: true }] });
      await push({ userName: 'erin.smith', externalId: '00u123', emails: [{ value: 'erin@acme.com', primary: true }] });
      await push({ userName: 'frank@acme.com', emails: [{ value: 'frank@acme.com', primary: true }] });

      await signIn('Carol@ACME.com', 'CAROL@acme.com');
      await signIn('dave@acme.com', 'dave@acme.com');
      const off = await s.scim('PATCH', `/Users/${dave}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] });
      assert.ok(off.status === 200 || off.status === 204, off.text);
      await pause();
      await signIn('dave@acme.com', 'dave@acme.com');
      await signIn('00u999', 'erin@acme.com');
      await signIn('frank@acme.com', 'frank.old@acme.com');
      await signIn('zed@acme.com', 'zed@acme.com');
      await signIn('=HYPERLINK("http://evil.example")', '@evil@acme.com');

      const res = await get('/api/v1/reconciliation?tenant=acme.com&product=crm');
      assert.equal(res.statusCode, 200, res.body);
      const d = res.json().data;
      assert.equal(d.directories.length, 1);
      assert.deepEqual(d.neverSignedIn.map((r: any) => r.user), ['bob@acme.com'], 'erin signed in (matched by email), bob never did');
      assert.deepEqual(d.noDirectoryRecord.map((r: any) => r.nameid).sort(), ['=HYPERLINK("http://evil.example")', 'zed@acme.com']);
      assert.deepEqual(d.signedInAfterDeactivation.map((r: any) => r.user), ['dave@acme.com']);
      assert.deepEqual(d.mismatched.map((r: any) => [r.user, r.nameid]).sort(), [['erin.smith', '00u999'], ['frank@acme.com', 'frank@acme.com']]);
      assert.match(d.mismatched.find((r: any) => r.user === 'erin.smith').fix, /NameID/);
      assert.match(d.mismatched.find((r: any) => r.user === 'frank@acme.com').detail, /frank\.old@acme\.com/);
      assert.deepEqual(d.counts, { neverSignedIn: 1, noDirectoryRecord: 2, signedInAfterDeactivation: 1, mismatched: 2 });
      for (const list of ['neverSignedIn', 'noDirectoryRecord', 'signedInAfterDeactivation', 'mismatched']) {
        for (const row of d[list]) assert.ok(row.fix.length > 20 && row.detail.length > 10, `${list} rows carry a fix in plain words`);
      }
      assert.ok(!JSON.stringify(d).includes('carol'), 'carol signed in under the same identity the directory has: in no list');
    });

    test('CSV export (?format=csv and Accept: text/csv) with formula cells neutralised', async (t) => {
      if (!s) return t.skip(`${dialect} is not available`);
      for (const res of [await get('/api/v1/reconciliation?tenant=acme.com&product=crm&format=csv'), await get('/api/v1/reconciliation?tenant=acme.com&product=crm', { accept: 'text/csv' })]) {
        assert.equal(res.statusCode, 200, res.body);
        assert.match(String(res.headers['content-type']), /^text\/csv/);
        assert.match(String(res.headers['content-disposition']), /attachment; filename="reconciliation-acme.com-crm.csv"/);
        const lines = res.body.trimEnd().split('\r\n');
        assert.equal(lines[0], 'list,user,email,nameid,directoryId,userId,lastSignInAt,detail,fix');
        assert.equal(lines.length, 1 + 6);
        const evil = lines.find((l) => l.includes('HYPERLINK'))!;
        assert.ok(evil.includes(`"'=HYPERLINK(""http://evil.example"")"`), evil);
        assert.ok(evil.includes(`"'@evil@acme.com"`), evil);
        for (const l of lines.slice(1)) for (const cell of l.match(/"(?:[^"]|"")*"/g)!) assert.doesNotMatch(cell, /^"[=+\-@]/, `no cell starts a formula: ${cell}`);
      }
    });

    test('tenant and product are required; a tenant without a directory has empty lists', async (t) => {
      if (!s) return t.skip(`${dialect} is not available`);
      const bad = await get('/api/v1/reconciliation?tenant=acme.com');
      assert.equal(bad.statusCode, 400, bad.body);
      assert.match(bad.body, /product/);
      const none = await get('/api/v1/reconciliation?tenant=globex.com&product=crm');
      assert.equal(none.statusCode, 200);
      assert.deepEqual(none.json().data.counts, { neverSignedIn: 0, noDirectoryRecord: 0, signedInAfterDeactivation: 0, mismatched: 0 });
    });
  });
}
