/**
 * Two instances on one PostgreSQL (and one MariaDB) database: failed sign-ins spread over both, some at the same
 * instant, are counted together and announce `connection.login_failures` exactly once; both read the same stream.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startGatehouse, API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, createSamlConnection, locationParams, samlRound } from '../support/saml-flow.ts';

for (const dialect of ['postgres', 'mysql'] as const) {
  describe(`vendor events on two instances: ${dialect}`, () => {
    let a: RunningGatehouse | null = null;
    let b: RunningGatehouse | null = null;
    let idp: TestIdp, impostor: TestIdp;
    let clientID = '';
    before(async () => {
      const env = { ENCRYPTION_KEY: randomBytes(32).toString('hex') };
      a = await startGatehouse({ dialect, env });
      if (!a) return;
      b = await startGatehouse({ dialect, env, databaseUrl: a.db.url });
      [idp, impostor] = await Promise.all([createTestIdp(), createTestIdp()]);
      clientID = (await createSamlConnection(a.app, idp)).clientID;
    });
    after(async () => {
      await b?.close();
      await a?.close();
    });

    const signIn = async (gh: RunningGatehouse, ok: boolean) => {
      const { acs } = await samlRound(gh, idp, { response_type: 'code', client_id: clientID, redirect_uri: APP_CALLBACK, state: 's' }, ok ? {} : { idp: impostor, issuer: idp.entityId });
      assert.equal(locationParams(acs).has('code'), ok);
    };
    const failures = async (gh: RunningGatehouse) =>
      (await gh.app.inject({ method: 'GET', url: '/api/v1/events?types=connection.login_failures', headers: { authorization: `Api-Key ${API_KEY}` } })).json().data as { data: { failures: number } }[];

    test('refusals through both instances, partly concurrent: one episode, announced once, seen by both', async (t) => {
      if (!a || !b) return t.skip(`${dialect} unreachable`);
      await signIn(b, true);
      await Promise.all([signIn(a, false), signIn(b, false), signIn(a, false), signIn(b, false), signIn(a, false), signIn(b, false)]);
      await Promise.all([signIn(a, false), signIn(b, false)]);
      const seenByA = await failures(a);
      assert.equal(seenByA.length, 1);
      assert.deepEqual(await failures(b), seenByA);
    });
  });
}
