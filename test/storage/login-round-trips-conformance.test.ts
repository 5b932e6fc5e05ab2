/**
 * The login path's merged statements (decision 0039) on every dialect: an IdP's answer claims its flow once
 * (UPDATE … RETURNING, or UPDATE then read on MySQL/MariaDB), a sign-in's session and code are stored together,
 * userinfo reads a token with its session in one join, and the statement counter sees what was sent.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describeEachDialect } from '../support/each-dialect.ts';
import { appSessionsRepo, loginFlowsRepo, oauthCodesRepo, oauthTokensRepo, type AppSessionRow, type OauthCodeRow } from '../../src/storage/index.ts';

const now = 1_700_000_000_000;

const flow = (id: string, over: { expires_at?: number; completed_at?: number | null } = {}) => ({
  id, connection_id: 'c1', tenant: 'acme.com', product: 'crm', params: '{"clientId":"c1"}', created_at: now, expires_at: now + 60_000, completed_at: null, connection_version: 3, ...over,
});

const session = (sid: string, over: Partial<AppSessionRow> = {}): AppSessionRow => ({
  sid, connection_id: 'c1', tenant: 'acme.com', product: 'crm', client_id: 'c1', sub: 'sub-1', nameid: 'ann@acme.com', nameid_key: 'k'.repeat(64),
  nameid_format: null, session_index: null, email: 'ann@acme.com', groups: null, created_at: now, expires_at: now + 3_600_000, ended_at: null, end_reason: null, ...over,
});

const code = (hash: string, sid: string | null): OauthCodeRow => ({
  code_hash: hash, flow_id: '_f', connection_id: 'c1', client_id: 'c1', redirect_uri: 'https://app/cb', code_challenge: null, code_challenge_method: null,
  nonce: null, scope: 'openid', profile_enc: 'sealed', created_at: now, expires_at: now + 60_000, redeemed_at: null, sid,
});

describeEachDialect('login round trips', (s) => {
  const { dialect, it } = s;

  it('an open flow is claimed exactly once, even when raced, and comes back completed', async () => {
    const id = `_${randomUUID()}`;
    await loginFlowsRepo.insert(s.opened.db, flow(id));
    const claims = await Promise.all(Array.from({ length: 8 }, () => loginFlowsRepo.claimWithConnection(s.opened.db, dialect, id, now + 5)));
    const won = claims.flatMap((c) => (c === undefined ? [] : [c.flow]));
    assert.equal(won.length, 1);
    assert.equal(won[0]!.completed_at, now + 5);
    assert.equal(won[0]!.connection_version, 3);
    assert.equal(won[0]!.params, '{"clientId":"c1"}');
    assert.equal(await loginFlowsRepo.completeUnlessClaimed(s.opened.db, won[0]!, now + 6), true, 'the claimed flow is this request\'s');
    assert.equal(await loginFlowsRepo.completeUnlessClaimed(s.opened.db, { ...won[0]!, completed_at: null }, now + 6), false, 'an open copy of it cannot complete it again');
  });

  it('an expired, completed or unknown flow is not claimed', async () => {
    const expired = `_${randomUUID()}`;
    const done = `_${randomUUID()}`;
    await loginFlowsRepo.insert(s.opened.db, flow(expired, { expires_at: now - 1 }));
    await loginFlowsRepo.insert(s.opened.db, flow(done, { completed_at: now - 10 }));
    assert.equal(await loginFlowsRepo.claimWithConnection(s.opened.db, dialect, expired, now), undefined);
    assert.equal(await loginFlowsRepo.claimWithConnection(s.opened.db, dialect, done, now), undefined);
    assert.equal(await loginFlowsRepo.claimWithConnection(s.opened.db, dialect, `_${randomUUID()}`, now), undefined);
    assert.equal((await loginFlowsRepo.findById(s.opened.db, expired))?.completed_at, null, 'a refused claim writes nothing');
  });

  it('a sign-in\'s session and code are stored together; where the dialect allows, a failed code stores no session', async () => {
    const sid = randomUUID();
    await oauthCodesRepo.insertWithSession(s.opened.db, dialect, session(sid), code(`h-${sid}`, sid));
    assert.equal((await appSessionsRepo.find(s.opened.db, sid))?.email, 'ann@acme.com');
    assert.equal((await oauthCodesRepo.findByHash(s.opened.db, `h-${sid}`))?.sid, sid);
    // The same code hash again: the statement fails as a whole.
    const other = randomUUID();
    await assert.rejects(oauthCodesRepo.insertWithSession(s.opened.db, dialect, session(other), code(`h-${sid}`, other)));
    const orphan = await appSessionsRepo.find(s.opened.db, other);
    if (dialect === 'mysql') assert.ok(true, 'MySQL/MariaDB: two statements, the session may remain (it expires unused)');
    else assert.equal(orphan, undefined);
  });

  it('a token is read with its session in one statement', async () => {
    const sid = randomUUID();
    await appSessionsRepo.insert(s.opened.db, session(sid));
    await oauthTokensRepo.insert(s.opened.db, { token_hash: `t-${sid}`, code_hash: 'h', connection_id: 'c1', profile_enc: 'x', created_at: now, expires_at: now + 3_600_000, revoked_at: null, sid });
    await oauthTokensRepo.insert(s.opened.db, { token_hash: `t0-${sid}`, code_hash: 'h', connection_id: 'c1', profile_enc: 'x', created_at: now, expires_at: now + 3_600_000, revoked_at: null, sid: null });
    await oauthTokensRepo.insert(s.opened.db, { token_hash: `tg-${sid}`, code_hash: 'h', connection_id: 'c1', profile_enc: 'x', created_at: now, expires_at: now + 3_600_000, revoked_at: null, sid: `gone-${sid}` });
    const before = s.opened.statements.count;
    const open = await oauthTokensRepo.findWithSession(s.opened.db, `t-${sid}`);
    assert.equal(s.opened.statements.count - before, 1);
    assert.equal(open?.token_hash, `t-${sid}`);
    assert.equal(open?.session_found, sid);
    assert.equal(open?.session_ended_at, null);
    assert.equal(Number(open?.session_expires_at), now + 3_600_000);
    assert.equal((await oauthTokensRepo.findWithSession(s.opened.db, `t0-${sid}`))?.session_found, null);
    assert.equal((await oauthTokensRepo.findWithSession(s.opened.db, `tg-${sid}`))?.session_found, null);
    await appSessionsRepo.end(s.opened.db, sid, now + 10, 'admin');
    assert.equal(Number((await oauthTokensRepo.findWithSession(s.opened.db, `t-${sid}`))?.session_ended_at), now + 10);
    assert.equal(await oauthTokensRepo.findWithSession(s.opened.db, 'nope'), undefined);
  });

  it('a code is read with its connection\'s sealed secret, and redeemed with its access token exactly once under a race', async () => {
    const h = `h-${randomUUID()}`;
    await oauthCodesRepo.insert(s.opened.db, { ...code(h, null), connection_id: 'gone' });
    assert.equal((await oauthCodesRepo.findWithClientSecret(s.opened.db, h))?.connection_secret_enc, null, 'a deleted connection has no secret');
    assert.equal(await oauthCodesRepo.findWithClientSecret(s.opened.db, `nope-${h}`), undefined);
    const token = (i: number) => ({ token_hash: `t${i}-${h}`, code_hash: h, connection_id: 'gone', profile_enc: 'sealed', created_at: now, expires_at: now + 3_600_000, revoked_at: null, sid: null, scope: 'openid', client_id: 'c1' });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => oauthCodesRepo.redeemWithToken(s.opened.db, dialect, h, now + 7, token(i))));
    assert.equal(results.filter(Boolean).length, 1);
    const winner = results.indexOf(true);
    const stored = await oauthTokensRepo.findByHash(s.opened.db, `t${winner}-${h}`);
    assert.deepEqual({ ...stored, expires_at: Number(stored?.expires_at), created_at: Number(stored?.created_at) }, token(winner));
    for (let i = 0; i < 8; i++) if (i !== winner) assert.equal(await oauthTokensRepo.findByHash(s.opened.db, `t${i}-${h}`), undefined, 'a losing redemption stores no token');
    assert.equal(Number((await oauthCodesRepo.findByHash(s.opened.db, h))?.redeemed_at), now + 7);
  });

  it('a finishing sign-in reads the verified domain and the role mapping in one statement', async () => {
    const { productsRepo, roleMappingsRepo } = await import('../../src/storage/index.ts');
    const { db } = s.opened;
    const product = `p-${randomUUID()}`;
    await productsRepo.insert(db, { id: product, name: 'P', default_redirect_url: null, initiate_login_uri: null, session_settings: null, roles: '[{"key":"admin","name":"Admin"}]', created_at: now, updated_at: now });
    await roleMappingsRepo.put(db, 'acme.com', product, '[{"group":"staff","role":"admin"}]', now);
    const domain = `${randomUUID()}.example`;
    await db.insertInto('verified_domains').values({ domain, tenant: 'acme.com', verified_at: now }).execute();
    const before = s.opened.statements.count;
    const all = await roleMappingsRepo.signInLookups(db, { tenant: 'acme.com', product, domain, withRoles: true });
    assert.equal(s.opened.statements.count - before, 1);
    assert.deepEqual(all, { verified_tenant: 'acme.com', roles: '[{"key":"admin","name":"Admin"}]', mappings: '[{"group":"staff","role":"admin"}]' });
    assert.deepEqual(await roleMappingsRepo.signInLookups(db, { tenant: 'globex.com', product, domain: `x.${domain}`, withRoles: true }), { verified_tenant: null, roles: '[{"key":"admin","name":"Admin"}]', mappings: null });
    assert.deepEqual(await roleMappingsRepo.signInLookups(db, { tenant: 'acme.com', product, domain, withRoles: false }), { verified_tenant: 'acme.com', roles: null, mappings: null });
    assert.deepEqual(await roleMappingsRepo.signInLookups(db, { tenant: 'acme.com', product: 'nope', domain: null, withRoles: true }), { verified_tenant: null, roles: null, mappings: null });
  });
});
