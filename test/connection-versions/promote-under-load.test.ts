/**
 * The proof: no failed sign-in across a draft, its promote and its roll back. Two instances share one
 * database (SQLite: one instance); workers loop SAML sign-ins, each started on one instance and answered on the
 * other, by whichever IdP the AuthnRequest was sent to, while a draft pointing to IdP B (its own certificate) is
 * created, promoted and rolled back. Every sign-in must end with a code; those that start after the promote go
 * to B, after the roll back to A. Sign-ins held open across each switch finish on the other side of it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { createSamlConnection } from '../support/saml-flow.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { testDialects } from '../support/databases.ts';
import { api, assertCode, begin, finish, SSO_A, SSO_B } from './support.ts';

const WORKERS = 6;
const HELD = 4;

type Phase = 'before' | 'draft' | 'promoted' | 'rolled back';
interface SignIn { phase: Phase; idpUrl: string; ok: boolean; detail?: string }

for (const dialect of testDialects()) {
  describe(`a draft promoted and rolled back under a login load: ${dialect}`, () => {
    let instances: RunningGatehouse[] = [];
    let idpA: TestIdp;
    let idpB: TestIdp;
    let clientID: string;

    before(async () => {
      const env = { ENCRYPTION_KEY: randomBytes(32).toString('hex') };
      const first = await startGatehouse({ dialect, env });
      if (!first) return;
      instances = [first];
      if (dialect !== 'sqlite') instances.push((await startGatehouse({ dialect, env, databaseUrl: first.db.url }))!);
      [idpA, idpB] = await Promise.all([createTestIdp({ entityId: 'https://idp-a.example.test' }), createTestIdp({ entityId: 'https://idp-b.example.test' })]);
      clientID = (await createSamlConnection(first.app, idpA, {}, { ssoUrl: SSO_A })).clientID;
    });
    after(async () => {
      for (const gh of instances.slice().reverse()) await gh.close();
    });

    test('every sign-in that started succeeds; after promote they go to IdP B, after roll back to IdP A', { timeout: 300_000 }, async (t) => {
      if (instances.length === 0) return t.skip(`${dialect} server unreachable`);
      const [one, other = one] = instances as [RunningGatehouse, RunningGatehouse?];
      const idpAt = (url: string) => (url === SSO_B ? idpB : idpA);
      const done: SignIn[] = [];
      let phase: Phase = 'before';
      let stop = false;

      /** One sign-in: started on instance `i`, answered on the other, by the IdP the request went to. */
      const signIn = async (i: number, started?: { phase: Phase; flow: Awaited<ReturnType<typeof begin>> }) => {
        const startedIn = started?.phase ?? phase;
        const flow = started?.flow ?? (await begin(instances[i % instances.length]!, clientID));
        const acs = await finish(instances[(i + 1) % instances.length]!, idpAt(flow.idpUrl), flow);
        let ok = true;
        let detail: string | undefined;
        try {
          assertCode(acs, `sign-in started in phase "${startedIn}"`);
        } catch (err) {
          ok = false;
          detail = (err as Error).message;
        }
        done.push({ phase: startedIn, idpUrl: flow.idpUrl, ok, ...(detail ? { detail } : {}) });
      };
      const workers = Array.from({ length: WORKERS }, async (_, w) => {
        for (let n = 0; !stop; n++) await signIn(w + n);
      });
      /** Waits (polling, generously) until `count` more sign-ins have finished. */
      const more = async (count: number) => {
        const target = done.length + count;
        const deadline = Date.now() + 120_000;
        while (done.length < target) {
          if (Date.now() > deadline) throw new Error(`only ${done.length} of ${target} sign-ins finished`);
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      /** Sign-ins started now and answered only after the next switch. */
      const hold = async () => Promise.all(Array.from({ length: HELD }, async (_, i) => ({ phase, flow: await begin(instances[i % instances.length]!, clientID) })));

      try {
        await more(WORKERS * 2);
        const draft = await api(one, 'POST', '/api/v1/sso/drafts', { clientID, rawMetadata: idpB.metadataXml({ ssoUrl: SSO_B }) });
        assert.equal(draft.statusCode, 201, draft.body);
        phase = 'draft';
        await more(WORKERS * 2);

        const heldOverPromote = await hold();
        phase = 'promoted'; // set before the call: sign-ins started while it runs may go either way and are not checked for their IdP
        const promoted = await api(one, 'POST', '/api/v1/sso/drafts/promote', { clientID, version: draft.json().data.version });
        assert.equal(promoted.statusCode, 200, promoted.body);
        const promotedAt = done.length;
        await Promise.all(heldOverPromote.map((s, i) => signIn(i, s)));
        await more(WORKERS * 3);

        const heldOverRollback = await hold();
        phase = 'rolled back';
        const rolledBack = await api(other, 'POST', '/api/v1/sso/rollback', { clientID });
        assert.equal(rolledBack.statusCode, 200, rolledBack.body);
        const rolledBackAt = done.length;
        await Promise.all(heldOverRollback.map((s, i) => signIn(i + 1, s)));
        await more(WORKERS * 3);
        stop = true;
        await Promise.all(workers);

        const failed = done.filter((s) => !s.ok);
        assert.deepEqual(failed, [], `${failed.length} of ${done.length} sign-ins failed`);
        assert.ok(done.length >= WORKERS * 10, `${done.length} sign-ins`);
        for (const s of done.filter((x) => x.phase === 'before' || x.phase === 'draft')) assert.equal(s.idpUrl, SSO_A, 'before the promote: IdP A');
        // Those that finished well after a switch also started after it (workers run one sign-in at a time).
        const settledAfterPromote = done.slice(promotedAt + HELD + WORKERS, rolledBackAt).filter((s) => s.phase === 'promoted');
        const settledAfterRollback = done.slice(rolledBackAt + HELD + WORKERS).filter((s) => s.phase === 'rolled back');
        assert.ok(settledAfterPromote.length > 0 && settledAfterRollback.length > 0);
        assert.deepEqual([...new Set(settledAfterPromote.map((s) => s.idpUrl))], [SSO_B], 'after the promote: IdP B');
        assert.deepEqual([...new Set(settledAfterRollback.map((s) => s.idpUrl))], [SSO_A], 'after the roll back: IdP A');
      } finally {
        stop = true;
        await Promise.allSettled(workers);
      }
    });
  });
}
