/**
 * A refused authorize request writes nothing (decision 0047), on every dialect: on PostgreSQL the flow is stored with
 * the connection's read only when the redirect URI is one the connection lists, so an unlisted one is one read and
 * no insert or delete; an accepted one is one statement and one flow.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { APP_CALLBACK, createSamlConnection, startLogin } from '../support/saml-flow.ts';

for (const dialect of testDialects()) {
  describe(`authorize's writes on ${dialect}`, () => {
    let gh: RunningGatehouse | null;
    let idp: TestIdp;
    let conn: { clientID: string };
    before(async () => {
      gh = await startGatehouse({ dialect, env: { RATE_LIMIT_OAUTH_PER_MINUTE: '0' } });
      if (!gh) return;
      idp = await createTestIdp();
      conn = await createSamlConnection(gh.app, idp);
    });
    after(async () => gh?.close());

    const flows = async () => Number((await gh!.ctx.db.selectFrom('login_flows').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const query = (redirectUri: string) => {
      const verifier = randomBytes(32).toString('base64url');
      return { response_type: 'code', client_id: conn.clientID, redirect_uri: redirectUri, state: 'st', scope: 'openid', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' };
    };
    async function counted(redirectUri: string) {
      const sent: string[] = [];
      gh!.database.statements.tap = (q) => sent.push(q);
      try {
        return { start: await startLogin(gh!.app, query(redirectUri)), sent };
      } finally {
        gh!.database.statements.tap = null;
      }
    }

    test('an unlisted redirect URI is refused with a page and stores no flow; a listed one stores one', async (t) => {
      if (!gh) return t.skip('database unreachable');
      const before = await flows();
      for (const uri of ['https://evil.example/cb', `${APP_CALLBACK}/more`, `${APP_CALLBACK}#frag`]) {
        const { start, sent } = await counted(uri);
        assert.ok(start.res.statusCode >= 400 && start.res.statusCode < 500, `${uri}: ${start.res.statusCode}`);
        assert.equal(start.res.headers.location, undefined, 'never a redirect');
        assert.equal(await flows(), before, `${uri}: no flow stored`);
        assert.ok(!sent.some((q) => /^\s*(delete|insert into "login_flows")/i.test(q)), `${uri}: no insert or delete of a flow: ${sent.join(' | ')}`);
        if (dialect === 'postgres') assert.equal(sent.length, 1, `${uri}: one read`);
      }
      const { start, sent } = await counted(APP_CALLBACK);
      assert.equal(start.res.statusCode, 302);
      assert.ok(start.requestId);
      assert.equal(await flows(), before + 1);
      if (dialect === 'postgres') assert.equal(sent.length, 1, 'the flow is stored with the read');
    });
  });
}
