/**
 * Conformance of what back-channel logout added to storage (decision 0025) on SQLite, PostgreSQL and
 * MySQL/MariaDB: `directoryEventsRepo.appendOnce` (a row whose id is queued already is skipped, even when raced),
 * `appSessionsRepo.pageOpen` (open sessions of a tenant+product by email, connection or sub, keyset-paged), and
 * a connection's `backchannel_logout_uri` (migration 022).
 */
import assert from 'node:assert/strict';
import { appSessionsRepo, connectionsRepo, directoryEventsRepo, type AppSessionRow } from '../../src/storage/index.ts';
import type { NewDirectoryEvent } from '../../src/storage/repositories/directory-events.ts';
import { describeEachDialect } from '../support/each-dialect.ts';

const now = 1_790_000_000_000;

const row = (id: string): NewDirectoryEvent => ({
  id, directory_id: 'backchannel-logout', resource_key: `s:${id}`, event: 'backchannel.logout', payload: '{}', status: 'pending', attempts: 0,
  next_attempt_at: now, deadline_at: now + 1000, lease_owner: null, lease_until: null, last_status: null, last_error: null, created_at: now, delivered_at: null,
});

const session = (sid: string, over: Partial<AppSessionRow> = {}): AppSessionRow => ({
  sid, connection_id: 'c1', tenant: 'acme.com', product: 'crm', client_id: 'c1', sub: `sub-${sid}`, nameid: 'n', nameid_key: 'k'.repeat(64),
  nameid_format: null, session_index: null, email: 'ann@acme.com', created_at: now, expires_at: now + 60_000, ended_at: null, end_reason: null, groups: null, ...over,
});

describeEachDialect('session and logout storage conformance', (s) => {
  const { dialect, it } = s;

  it('appendOnce: a repeated or raced append of the same id queues it once; new ids in the same batch are added', async () => {
    const db = s.opened.db;
    await Promise.all(Array.from({ length: 5 }, () => directoryEventsRepo.appendOnce(db, dialect, [row('bcl:a'), row('bcl:b')])));
    await directoryEventsRepo.appendOnce(db, dialect, [row('bcl:a'), row('bcl:c')]);
    await directoryEventsRepo.appendOnce(db, dialect, []);
    const ids = (await db.selectFrom('directory_events').select('id').where('directory_id', '=', 'backchannel-logout').execute()).map((r) => r.id).sort();
    assert.deepEqual(ids, ['bcl:a', 'bcl:b', 'bcl:c']);
  });

  it('pageOpen: open sessions only, by email, connection or sub, oldest first, keyset-paged', async () => {
    const db = s.opened.db;
    await appSessionsRepo.insert(db, session('s1'));
    await appSessionsRepo.insert(db, session('s2'));
    await appSessionsRepo.insert(db, session('s3', { created_at: now + 1, connection_id: 'c2' }));
    await appSessionsRepo.insert(db, session('s4', { email: 'bob@acme.com' }));
    await appSessionsRepo.insert(db, session('s5', { ended_at: now, end_reason: 'admin' }));
    await appSessionsRepo.insert(db, session('s6', { expires_at: now - 1 }));
    await appSessionsRepo.insert(db, session('s7', { product: 'hr' }));
    const q = { tenant: 'acme.com', product: 'crm', now };
    const first = await appSessionsRepo.pageOpen(db, { ...q, email: 'ann@acme.com', limit: 2 });
    assert.deepEqual(first.map((r) => r.sid), ['s1', 's2']);
    const last = first[first.length - 1]!;
    const rest = await appSessionsRepo.pageOpen(db, { ...q, email: 'ann@acme.com', limit: 2, after: { createdAt: last.created_at, sid: last.sid } });
    assert.deepEqual(rest.map((r) => r.sid), ['s3']);
    assert.deepEqual((await appSessionsRepo.pageOpen(db, { ...q, connectionId: 'c2', limit: 10 })).map((r) => r.sid), ['s3']);
    assert.deepEqual((await appSessionsRepo.pageOpen(db, { ...q, sub: 'sub-s4', limit: 10 })).map((r) => r.sid), ['s4']);
    assert.deepEqual((await appSessionsRepo.pageOpen(db, { ...q, limit: 10 })).map((r) => r.sid), ['s1', 's2', 's4', 's3']);
  });

  it('a connection keeps its own back-channel logout URL (migration 022), null by default', async () => {
    const db = s.opened.db;
    const base = {
      tenant: 'acme.com', product: 'crm', kind: 'saml' as const, name: 'x', description: '', idp_entity_id: 'https://idp/x', idp_key: 'k', redirect_urls: '[]',
      default_redirect_url: 'https://app.example/cb', settings: '{}', client_secret_enc: 'v1.x', active: 1, sort_order: 0, created_at: now, updated_at: now,
    };
    await connectionsRepo.insert(db, { ...base, id: 'conn-a' });
    assert.equal((await connectionsRepo.findById(db, 'conn-a'))?.backchannel_logout_uri, null);
    const long = `https://app.example/${'x'.repeat(2000)}`;
    await connectionsRepo.update(db, 'conn-a', { backchannel_logout_uri: long });
    assert.equal((await connectionsRepo.findById(db, 'conn-a'))?.backchannel_logout_uri, long);
  });
});
