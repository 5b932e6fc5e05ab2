/**
 * Directory Sync storage conformance: the same tests on SQLite, PostgreSQL and MySQL/MariaDB —
 * userName uniqueness under a race, SCIM filters compiled to each dialect's SQL (JSON paths,
 * multi-valued attributes, memberships), memberships, and the outbox claim (exactly once under
 * concurrent claimers, in order per resource, leases that expire).
 */
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { migrateToLatest, directoriesRepo, directoryUsersRepo, directoryGroupsRepo, directoryEventsRepo, isUniqueViolation, type DirectoryUserRow } from '../../src/storage/index.ts';
import type { DeliveryOutcome, NewDirectoryEvent } from '../../src/storage/repositories/directory-events.ts';
import { parseScimFilter } from '../../src/directory-sync/scim/filter.ts';
import { compileScimFilter } from '../../src/directory-sync/scim/filter-sql.ts';
import { describeEachDialect } from '../support/each-dialect.ts';
import { traitsOf } from '../../src/storage/dialect.ts';

const now = 1_790_000_000_000;
const DIR = 'dir-1';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const user = (id: string, userName: string, attrs: Record<string, unknown>, over: Partial<DirectoryUserRow> = {}): DirectoryUserRow => ({
  id, directory_id: DIR, user_name: userName, user_name_key: userName.toLowerCase(), external_id: (attrs.externalId as string) ?? null,
  display_name: (attrs.displayName as string) ?? null, active: attrs.active === false ? 0 : 1, raw: JSON.stringify({ userName, ...attrs }),
  created_at: now, updated_at: now, version: 1, ...over,
});

const event = (id: string, resource: string, over: Partial<NewDirectoryEvent> = {}): NewDirectoryEvent => ({
  id, directory_id: DIR, resource_key: resource, event: 'user.created', payload: '{}', status: 'pending', attempts: 0,
  next_attempt_at: now, deadline_at: now + 86_400_000, lease_owner: null, lease_until: null, last_status: null, last_error: null,
  created_at: now, delivered_at: null, ...over,
});

describeEachDialect('directory storage conformance', (s) => {
  const { dialect, it } = s;
  it('directories round-trip', async () => {
    await directoriesRepo.insert(s.opened.db, { id: DIR, tenant: 'acme.com', product: 'crm', name: 'Acme ✓', type: 'okta-scim-v2', webhook_url: '', webhook_secret_enc: '', scim_secret_hash: 'h'.repeat(43), scim_secret_sealed: `v1.0123abcd.${'s'.repeat(300)}`, log_webhook_events: 0, deactivated: 0, created_at: now, updated_at: now });
    assert.equal((await directoriesRepo.findById(s.opened.db, DIR))?.name, 'Acme ✓');
    assert.equal((await directoriesRepo.findById(s.opened.db, DIR))?.scim_secret_sealed, `v1.0123abcd.${'s'.repeat(300)}`, 'the sealed SCIM secret (migration 011) round-trips');
    assert.equal((await directoriesRepo.listByTenantProduct(s.opened.db, 'acme.com', 'crm')).length, 1);
  });

  it('userName is unique per directory, case-insensitively, even when raced', async () => {
    const results = await Promise.allSettled(['Ann@Acme.com', 'ann@acme.com', 'ANN@ACME.COM', 'ann@Acme.com'].map((n, i) => directoryUsersRepo.insert(s.opened.db, user(`race-${i}`, n, {}))));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    assert.ok(results.filter((r) => r.status === 'rejected').every((r) => isUniqueViolation((r as PromiseRejectedResult).reason)));
    // Another directory may have the same userName.
    await directoryUsersRepo.insert(s.opened.db, user('other-dir-ann', 'ann@acme.com', {}, { directory_id: 'dir-2' }));
    await directoryUsersRepo.delete(s.opened.db, DIR, (await directoryUsersRepo.findByUserName(s.opened.db, DIR, 'ANN@acme.com'))!.id);
  });

  it('SCIM filters compile to this dialect and count exactly', async () => {
    await directoryUsersRepo.insert(s.opened.db, user('u1', 'Bjørn@example.com', { displayName: 'Bjørn Å', active: true, externalId: 'ext-1', name: { givenName: 'Bjørn', familyName: 'Employee' }, emails: [{ value: 'bjorn@example.com', type: 'work', primary: true }, { value: 'b@home.org', type: 'home' }], [ENT]: { department: 'R&D', employeeNumber: '42' } }, { created_at: now - 2000 }));
    await directoryUsersRepo.insert(s.opened.db, user('u2', 'carl@example.org', { displayName: 'Carl', active: false, name: { givenName: 'Carl', familyName: 'Employee' }, emails: [{ value: 'carl@example.org', type: 'work', primary: false }], title: '100%_sure' }, { created_at: now - 1000 }));
    await directoryUsersRepo.insert(s.opened.db, user('u3', 'dora@example.net', { displayName: 'Dora', name: { familyName: 'Other' }, emails: 'not-an-array' }));
    const cases: [string, string[]][] = [
      ['userName eq "BJØRN@example.com"', ['u1']],
      ['userName sw "c"', ['u2']],
      ['externalId eq "ext-1"', ['u1']],
      ['displayName co "ør"', ['u1']],
      ['active eq false', ['u2']],
      ['active eq true and not (displayName eq "Dora")', ['u1']],
      ['name.FamilyName eq Employee and (emails.Value co example.com or emails.Value co example.org)', ['u1', 'u2']],
      ['emails[type eq "work" and primary eq true]', ['u1']],
      ['emails[type eq "work"].value ew ".org"', ['u2']],
      ['emails.value eq "B@HOME.ORG"', ['u1']],
      ['emails pr', ['u1', 'u2']],
      ['title co "0%_"', ['u2']],
      ['title co "0%x"', []],
      ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "r&d"', ['u1']],
      [`meta.created gt ${new Date(now - 1500).toISOString().replace('Z', '0000Z')}`, ['u2', 'u3']],
      [`meta.lastModified le "${new Date(now).toISOString()}"`, ['u1', 'u2', 'u3']],
      ['id eq "u3" or userName eq "carl@example.org"', ['u2', 'u3']],
      ['name.givenName pr', ['u1', 'u2']],
    ];
    for (const [text, expected] of cases) {
      const where = compileScimFilter(parseScimFilter(text, 'User'), 'User', traitsOf(dialect).json);
      const rows = await directoryUsersRepo.list(s.opened.db, DIR, where, 0, 100);
      assert.deepEqual(rows.map((r) => r.id).sort(), expected, text);
      assert.equal(await directoryUsersRepo.count(s.opened.db, DIR, where), expected.length, `count: ${text}`);
    }
    assert.equal(await directoryUsersRepo.count(s.opened.db, DIR, null), 3);
    assert.deepEqual((await directoryUsersRepo.list(s.opened.db, DIR, null, 1, 1)).map((r) => r.id), ['u2'], 'pages in creation order');
    assert.deepEqual((await directoryUsersRepo.findByIds(s.opened.db, DIR, ['u3', 'u1', 'nope'])).map((r) => r.id).sort(), ['u1', 'u3']);
    assert.deepEqual(await directoryUsersRepo.findByIds(s.opened.db, 'another-directory', ['u1']), [], 'another directory never sees these users');
  });

  it('memberships: add, find, list with user names, filter groups and users by membership', async () => {
    const g = { id: 'g1', directory_id: DIR, display_name: 'Eng', external_id: null, raw: '{"displayName":"Eng"}', created_at: now, updated_at: now, version: 1 };
    await directoryGroupsRepo.insert(s.opened.db, g);
    await directoryGroupsRepo.insert(s.opened.db, { ...g, id: 'g2', display_name: 'Ops', raw: '{"displayName":"Ops"}' });
    assert.deepEqual((await directoryGroupsRepo.findByIds(s.opened.db, DIR, ['g2', 'g1', 'nope'])).map((r) => r.display_name), ['Eng', 'Ops']);
    assert.deepEqual(await directoryGroupsRepo.findByIds(s.opened.db, 'another-directory', ['g1']), []);
    assert.deepEqual(await directoryGroupsRepo.findByIds(s.opened.db, DIR, []), []);
    await directoryGroupsRepo.addMembers(s.opened.db, ['u1', 'u2', 'ghost'].map((v) => ({ group_id: 'g1', directory_id: DIR, member_value: v, display: v === 'ghost' ? 'Ghost' : null, created_at: now })));
    assert.deepEqual([...(await directoryGroupsRepo.memberValuesIn(s.opened.db, 'g1', ['u1', 'ghost', 'u3']))].sort(), ['ghost', 'u1']);
    const members = await directoryGroupsRepo.membersOf(s.opened.db, DIR, ['g1']);
    assert.deepEqual(members.map((m) => [m.member_value, m.display ?? m.user_display]).sort(), [['ghost', 'Ghost'], ['u1', 'Bjørn Å'], ['u2', 'Carl']]);
    await assert.rejects(directoryGroupsRepo.addMembers(s.opened.db, [{ group_id: 'g1', directory_id: DIR, member_value: 'u1', display: null, created_at: now }]), (e) => isUniqueViolation(e));
    const byMember = compileScimFilter(parseScimFilter('members.value eq "u2"', 'Group'), 'Group', traitsOf(dialect).json);
    assert.deepEqual((await directoryGroupsRepo.list(s.opened.db, DIR, byMember, 0, 10)).map((r) => r.id), ['g1']);
    const usersInEng = compileScimFilter(parseScimFilter('groups[display eq "eng"]', 'User'), 'User', traitsOf(dialect).json);
    assert.deepEqual((await directoryUsersRepo.list(s.opened.db, DIR, usersInEng, 0, 10)).map((r) => r.id).sort(), ['u1', 'u2']);
    assert.deepEqual((await directoryUsersRepo.groupsOf(s.opened.db, DIR, ['u1'])).map((r) => r.display_name), ['Eng']);
    await directoryGroupsRepo.removeMembers(s.opened.db, 'g1', ['u1', 'ghost']);
    assert.deepEqual(await directoryGroupsRepo.allMemberValues(s.opened.db, 'g1'), ['u2']);
  });

  it('the outbox hands each due event to exactly one of several concurrent claimers', async () => {
    await directoryEventsRepo.append(s.opened.db, Array.from({ length: 60 }, (_, i) => event(`e${i}`, `u:${i}`)));
    const claims = await Promise.all([0, 1, 2, 3].map((i) => directoryEventsRepo.claim(s.opened.db, dialect, `c${i}`, now, 30_000, 25)));
    const ids = claims.flat().map((e) => e.id);
    assert.ok(claims.every((c) => c.length <= 25), `no claim leases more than its limit (${claims.map((c) => c.length).join(', ')})`);
    assert.equal(ids.length, 60);
    assert.equal(new Set(ids).size, 60);
    assert.deepEqual(await directoryEventsRepo.claim(s.opened.db, dialect, 'late', now + 1, 30_000, 100), []);
    await directoryEventsRepo.settle(s.opened.db, 'c0', claims[0]!.map((e) => ({ seq: e.seq, result: 'delivered' as const, status: 200, at: now })), []);
    // Settling with someone else's claim id changes nothing.
    await directoryEventsRepo.settle(s.opened.db, 'intruder', claims[1]!.map((e) => ({ seq: e.seq, result: 'delivered' as const, status: 200, at: now })), []);
    assert.equal((await directoryEventsRepo.countByStatus(s.opened.db, DIR)).delivered ?? 0, claims[0]!.length);
  });

  it('a killed claimer\'s events are claimed again when its lease ends', async () => {
    const t = now + 60_000; // every lease above has ended
    const again = await directoryEventsRepo.claim(s.opened.db, dialect, 'rescuer', t, 30_000, 100);
    assert.equal(again.length, 60 - ((await directoryEventsRepo.countByStatus(s.opened.db, DIR)).delivered ?? 0));
    await directoryEventsRepo.settle(s.opened.db, 'rescuer', again.map((e) => ({ seq: e.seq, result: 'delivered' as const, status: 200, at: t })), again.map((e) => ({ event_id: e.id, directory_id: DIR, attempt: 1, status_code: 200, latency_ms: 3, response_excerpt: 'ok', error: null, created_at: t })));
    assert.equal((await directoryEventsRepo.countByStatus(s.opened.db, DIR)).delivered, 60);
    assert.equal((await directoryEventsRepo.attemptsOf(s.opened.db, [again[0]!.id])).length, 1);
  });

  it('events of one resource are claimed in order: a later one waits while an earlier one is leased or backing off', async () => {
    const t = now + 120_000;
    await directoryEventsRepo.append(s.opened.db, [event('r1', 'u:x', { created_at: t }), event('r2', 'u:x', { created_at: t }), event('r3', 'u:y', { created_at: t })]);
    const first = await directoryEventsRepo.claim(s.opened.db, dialect, 'a', t, 30_000, 1);
    assert.deepEqual(first.map((e) => e.id), ['r1']);
    const second = await directoryEventsRepo.claim(s.opened.db, dialect, 'b', t, 30_000, 10);
    assert.deepEqual(second.map((e) => e.id), ['r3'], 'r2 waits for r1');
    await directoryEventsRepo.settle(s.opened.db, 'a', [{ seq: first[0]!.seq, result: 'retry', status: 503, error: 'HTTP 503', nextAttemptAt: t + 5000 }], []);
    assert.deepEqual(await directoryEventsRepo.claim(s.opened.db, dialect, 'c', t + 1, 30_000, 10), [], 'r2 waits while r1 backs off');
    const later = await directoryEventsRepo.claim(s.opened.db, dialect, 'd', t + 5000, 30_000, 10);
    assert.deepEqual(later.map((e) => e.id), ['r1', 'r2'], 'both, in order, once r1 is due');
    await directoryEventsRepo.settle(s.opened.db, 'd', [{ seq: later[0]!.seq, result: 'failed', status: 500, error: 'HTTP 500' }, { seq: later[1]!.seq, result: 'released' }], []);
    assert.deepEqual((await directoryEventsRepo.claim(s.opened.db, dialect, 'e', t + 5001, 30_000, 10)).map((e) => e.id), ['r2'], 'a failed event no longer blocks');
    assert.equal(await directoryEventsRepo.replay(s.opened.db, DIR, ['r1'], t + 6000, t + 86_400_000), 1);
    assert.equal((await directoryEventsRepo.findById(s.opened.db, 'r1'))?.status, 'pending');
  });

  it('recording outcomes again (its first COMMIT\'s answer was lost) applies nothing twice and stores each attempt once', async () => {
    const t = now + 200_000;
    const leased = { directory_id: 'dir-3', created_at: t, lease_owner: 'kept', lease_until: t + 30_000 };
    await directoryEventsRepo.append(s.opened.db, [event('k1', 'u:k1', leased), event('k2', 'u:k2', leased), event('k3', 'u:k3', { ...leased, lease_owner: 'newer-claim' })]);
    const seqOf = async (id: string) => (await directoryEventsRepo.findById(s.opened.db, id))!.seq;
    const attempt = (id: string) => ({ event_id: id, directory_id: 'dir-3', attempt: 1, status_code: 200, latency_ms: 4, response_excerpt: 'ok', error: null, created_at: t + 5 });
    const outcomes = await Promise.all(['k1', 'k2', 'k3'].map(async (id) => ({ seq: await seqOf(id), result: 'delivered' as const, status: 200, at: t + 5 })));
    const attempts = ['k1', 'k2', 'k3'].map(attempt);
    assert.equal(await directoryEventsRepo.settle(s.opened.db, 'kept', outcomes, attempts), 2, 'k3 was claimed by someone else: only k1 and k2 are ours');
    assert.equal(await directoryEventsRepo.settle(s.opened.db, 'kept', outcomes, attempts, { again: true }), 0, 'the second try finds nothing still ours');
    for (const id of ['k1', 'k2']) {
      const row = await directoryEventsRepo.findById(s.opened.db, id);
      assert.deepEqual([row?.status, row?.attempts, row?.lease_owner], ['delivered', 1, null]);
    }
    assert.equal((await directoryEventsRepo.findById(s.opened.db, 'k3'))?.lease_owner, 'newer-claim', 'a late record leaves the newer claim alone');
    assert.deepEqual((await directoryEventsRepo.attemptsOf(s.opened.db, ['k1', 'k2', 'k3'])).map((a) => a.event_id).sort(), ['k1', 'k2', 'k3'], 'each attempt stored once; k3\'s attempt did happen, so it is logged');
    await directoryEventsRepo.settle(s.opened.db, 'newer-claim', [{ ...outcomes[2]!, at: t + 9 }], [{ ...attempt('k3'), attempt: 1, created_at: t + 9 }], { again: true });
    assert.equal((await directoryEventsRepo.attemptsOf(s.opened.db, ['k3'])).length, 2, 'another try of the same event at another time is a different attempt');
  });

  it('a change reads its user or group locked: a second change waits for the first to commit', async () => {
    const db = s.opened.db;
    type Locking = { id: string; table: 'directory_users' | 'directory_groups'; find: (trx: typeof db, directoryId: string, id: string) => Promise<{ version: number } | undefined> };
    const resources: Locking[] = [
      { id: 'u3', table: 'directory_users', find: (trx, dir, id) => directoryUsersRepo.findForUpdate(trx, dialect, dir, id) },
      { id: 'g2', table: 'directory_groups', find: (trx, dir, id) => directoryGroupsRepo.findForUpdate(trx, dialect, dir, id) },
    ];
    for (const { id, table, find } of resources) {
      assert.equal(await db.transaction().execute((trx) => find(trx, 'another-directory', id)), undefined, 'scoped by directory');
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let locked!: (version: number) => void;
      const lockedAt = new Promise<number>((r) => (locked = r));
      const first = db.transaction().execute(async (trx) => {
        const row = (await find(trx, DIR, id))!;
        locked(row.version);
        await held;
        await trx.updateTable(table).set({ version: row.version + 1 }).where('id', '=', id).execute();
      });
      const before = await lockedAt;
      const second = db.transaction().execute(async (trx) => (await find(trx, DIR, id))!.version);
      setTimeout(release, 50);
      await first;
      assert.equal(await second, before + 1, 'the second reader saw the first change committed');
    }
  });

  it('a directory\'s activity, and the outbox backlog across directories', async () => {
    assert.deepEqual(await directoriesRepo.activity(s.opened.db, DIR), { users: 3, groups: 2, lastChangeAt: now });
    assert.deepEqual(await directoriesRepo.activity(s.opened.db, 'no-such-directory'), { users: 0, groups: 0, lastChangeAt: null });
    assert.deepEqual(await directoryEventsRepo.backlog(s.opened.db), { pending: 3, failed: 0, oldestPendingAt: now + 120_000 });
  });

  it('a round of mixed outcomes is recorded column for column, with its attempts in the round\'s order', async () => {
    const t = now + 300_000;
    const leased = { directory_id: 'dir-4', created_at: t, lease_owner: 'mixed', lease_until: t + 30_000, attempts: 2, last_status: 502, last_error: 'HTTP 502' };
    const ids = ['m1', 'm2', 'm3', 'm4', 'm5'];
    await directoryEventsRepo.append(s.opened.db, ids.map((id) => event(id, `u:${id}`, leased)));
    const seq = async (id: string) => (await directoryEventsRepo.findById(s.opened.db, id))!.seq;
    const outcomes: DeliveryOutcome[] = [
      { seq: await seq('m1'), result: 'delivered', status: 200, at: t + 7 },
      { seq: await seq('m2'), result: 'delivered', status: 200, at: t + 9 },
      { seq: await seq('m3'), result: 'retry', status: null, error: 'connection refused', nextAttemptAt: t + 4000 },
      { seq: await seq('m4'), result: 'failed', status: 410, error: 'HTTP 410' },
      { seq: await seq('m5'), result: 'released' },
    ];
    const attempts = [['m4', 410], ['m1', 200], ['m3', null], ['m2', 200]].map(([id, code], i) => ({
      event_id: id as string, directory_id: 'dir-4', attempt: 3, status_code: code as number | null, latency_ms: i, response_excerpt: code ? `answer ${i}` : null, error: code ? null : 'connection refused', created_at: t + i,
    }));
    assert.equal(await directoryEventsRepo.settle(s.opened.db, 'mixed', outcomes, attempts), 5);
    const rows = await Promise.all(ids.map(async (id) => {
      const r = (await directoryEventsRepo.findById(s.opened.db, id))!;
      return [r.status, r.attempts, r.last_status, r.last_error, r.next_attempt_at === null ? null : Number(r.next_attempt_at), r.delivered_at === null ? null : Number(r.delivered_at), r.lease_owner, r.lease_until];
    }));
    assert.deepEqual(rows, [
      ['delivered', 3, 200, null, now, t + 9, null, null], // every delivery of a status records the round's latest answer time
      ['delivered', 3, 200, null, now, t + 9, null, null],
      ['pending', 3, null, 'connection refused', t + 4000, null, null, null],
      ['failed', 3, 410, 'HTTP 410', now, null, null, null],
      ['pending', 2, 502, 'HTTP 502', now, null, null, null], // released: only the lease goes
    ]);
    const logged = (await directoryEventsRepo.attemptsOf(s.opened.db, ids)).map((a) => [a.event_id, a.attempt, a.status_code, a.latency_ms, a.response_excerpt, a.error, Number(a.created_at)]);
    assert.deepEqual(logged, attempts.map((a) => [a.event_id, a.attempt, a.status_code, a.latency_ms, a.response_excerpt, a.error, a.created_at]), 'stored in the order given (the log lists by seq)');
  });

  it('PostgreSQL: a claim\'s lease is written beside the event (a heap-only tuple: half of each outbox page kept free)', async () => {
    if (dialect !== 'postgres') return;
    const db = s.opened.db;
    const { rows } = await sql<{ reloptions: string[] | null }>`select reloptions from pg_class where relname = 'directory_events'`.execute(db);
    assert.deepEqual(rows[0]?.reloptions, ['fillfactor=50']);
  });

  it('several events appended with their change keep their payloads byte for byte, in order', async () => {
    const db = s.opened.db;
    const inTx = <T>(fn: (d: typeof db) => Promise<T>) => (traitsOf(dialect).writesInOneStatement ? fn(db) : db.transaction().execute(fn));
    const payloads = [
      JSON.stringify({ name: 'Zoë "Z" O\'Brien', path: 'C:\\dir\\x', note: 'line\nbreak\ttab', emoji: '👩🏽‍💻', sep: '\u2028', lone: '\ud800' }),
      '{"already":"escaped \\u00e9 \\\\ \\"q\\""}',
      JSON.stringify({ members: Array.from({ length: 50 }, (_, i) => ({ value: `u${i}`, display: `Ünïcødé ${i} \\ "` })) }),
    ];
    const rows = payloads.map((payload, i) => event(`bb-${i}`, 'g:bb', { directory_id: 'dir-5', event: 'group.user_added', payload }));
    await inTx((d) => directoryEventsRepo.appendWith(d, dialect, directoryUsersRepo.insertWrite(d, user('bb1', 'bb1@example.com', {})), rows));
    const stored = await Promise.all(rows.map(async (r) => (await directoryEventsRepo.findById(db, r.id as string))!));
    assert.deepEqual(stored.map((e) => e.payload), payloads);
    assert.ok(stored[0]!.seq < stored[1]!.seq && stored[1]!.seq < stored[2]!.seq, 'seq follows the batch');
  });

  it('a change and its outbox rows: appended together, or neither when the change fails (decision 0045)', async () => {
    const db = s.opened.db;
    const inTx = <T>(fn: (d: typeof db) => Promise<T>) => (traitsOf(dialect).writesInOneStatement ? fn(db) : db.transaction().execute(fn));
    await inTx((d) => directoryEventsRepo.appendWith(d, dialect, directoryUsersRepo.insertWrite(d, user('aw1', 'aw1@example.com', {})), [event('aw-e1', 'u:aw1')]));
    assert.equal((await directoryUsersRepo.findById(db, DIR, 'aw1'))?.user_name, 'aw1@example.com');
    assert.equal((await directoryEventsRepo.findById(db, 'aw-e1'))?.resource_key, 'u:aw1');
    // A duplicate userName fails the write: no event is left behind.
    await assert.rejects(inTx((d) => directoryEventsRepo.appendWith(d, dialect, directoryUsersRepo.insertWrite(d, user('aw2', 'AW1@example.com', {})), [event('aw-e2', 'u:aw2')])), (e) => isUniqueViolation(e));
    assert.equal(await directoryEventsRepo.findById(db, 'aw-e2'), undefined);
    assert.equal(await directoryUsersRepo.findById(db, DIR, 'aw2'), undefined);
    // An update with its event; and with none, the write alone.
    await inTx((d) => directoryEventsRepo.appendWith(d, dialect, directoryUsersRepo.updateWrite(d, DIR, 'aw1', { user_name: 'aw1@example.com', user_name_key: 'aw1@example.com', external_id: 'x', display_name: 'AW', active: 0, raw: '{}', updated_at: now + 1, version: 2 }), [event('aw-e3', 'u:aw1', { event: 'user.updated' })]));
    assert.equal((await directoryUsersRepo.findById(db, DIR, 'aw1'))?.version, 2);
    assert.equal((await directoryEventsRepo.findById(db, 'aw-e3'))?.event, 'user.updated');
    await inTx((d) => directoryEventsRepo.appendWith(d, dialect, directoryUsersRepo.updateWrite(d, DIR, 'aw1', { user_name: 'aw1@example.com', user_name_key: 'aw1@example.com', external_id: 'x', display_name: 'AW', active: 1, raw: '{}', updated_at: now + 2, version: 3 }), []));
    assert.equal((await directoryUsersRepo.findById(db, DIR, 'aw1'))?.version, 3);
    // The row lock with the role settings user events need.
    const locked = await db.transaction().execute((trx) => directoryUsersRepo.findForUpdateWithRoles(trx, dialect, DIR, 'aw1', { tenant: 'acme.com', product: 'no-such-product' }));
    assert.deepEqual(locked?.roleSettings, { roles: null, mappings: null });
    assert.deepEqual(locked?.row, await directoryUsersRepo.findById(db, DIR, 'aw1'));
    assert.equal(await db.transaction().execute((trx) => directoryUsersRepo.findForUpdateWithRoles(trx, dialect, 'another-directory', 'aw1', { tenant: 'acme.com', product: 'crm' })), undefined);
    await directoryUsersRepo.delete(db, DIR, 'aw1');
  });

  it('adding members adds only those not there yet, and says which are users', async () => {
    const db = s.opened.db;
    const g = { id: 'g-new', directory_id: DIR, display_name: 'New', external_id: null, raw: '{"displayName":"New"}', created_at: now, updated_at: now, version: 1 };
    await directoryGroupsRepo.insert(db, g);
    const row = (v: string) => ({ group_id: 'g-new', directory_id: DIR, member_value: v, display: null, created_at: now });
    const first = await db.transaction().execute((trx) => directoryGroupsRepo.addNewMembers(trx, dialect, DIR, 'g-new', ['u2', 'not-yet'].map(row)));
    assert.deepEqual([...first.added].sort(), ['not-yet', 'u2']);
    const again = await db.transaction().execute((trx) => directoryGroupsRepo.addNewMembers(trx, dialect, DIR, 'g-new', ['u2', 'u3', 'not-yet'].map(row)));
    assert.deepEqual([...again.added], ['u3'], 'members already there are not added again');
    if (again.users) {
      assert.equal(again.users.get('u3')?.user_name, 'dora@example.net');
      assert.equal(first.users!.get('not-yet'), null, 'a member that is no user (yet) is known as such');
    }
    assert.deepEqual((await directoryGroupsRepo.allMemberValues(db, 'g-new')).sort(), ['not-yet', 'u2', 'u3']);
    assert.equal(await directoryGroupsRepo.delete(db, DIR, 'g-new'), true);
  });

  it('deleting a directory removes everything it holds', async () => {
    assert.equal(await directoriesRepo.delete(s.opened.db, DIR), true);
    assert.equal(await directoryUsersRepo.count(s.opened.db, DIR, null), 0);
    assert.equal(await directoryGroupsRepo.count(s.opened.db, DIR, null), 0);
    assert.deepEqual(await directoryEventsRepo.countByStatus(s.opened.db, DIR), {});
    assert.equal(await directoryUsersRepo.count(s.opened.db, 'dir-2', null), 1);
  });
}, { poolSize: 8 });
