/**
 * A directory user's open-session lookup compiled once per shape (appSessionsRepo.findOpen, decision 0062) on SQLite,
 * PostgreSQL and MySQL/MariaDB: for every count of emails and NameID keys it finds exactly what
 * `appSessionsRepo.findOpenBuilt` (Kysely, every call) finds, in the same order, with the same SQL; the other selectors are the repository's.
 */
import assert from 'node:assert/strict';
import { appSessionsRepo, type AppSessionRow, type AppSessionSelector } from '../../src/storage/index.ts';
import { describeEachDialect } from '../support/each-dialect.ts';

const now = 1_790_000_000_000;

describeEachDialect('compiled session lookup conformance', (s) => {
  const { it } = s;

  it('finds what the repository finds, for every shape, on the root and in a transaction', async () => {
    const db = s.opened.db;
    const session = (sid: string, o: Partial<AppSessionRow>): AppSessionRow => ({ sid, connection_id: 'c1', tenant: 'acme.com', product: 'crm', client_id: 'cl', sub: 's', nameid: 'n', nameid_key: `key-${sid}`, nameid_format: null, session_index: null, email: null, created_at: now, expires_at: now + 60_000, ended_at: null, groups: null, end_reason: null, ...o });
    const rows = [
      session('a1', { email: 'ann@acme.com', created_at: now - 3 }),
      session('a2', { nameid_key: 'k-ann', created_at: now - 2 }),
      session('a3', { email: 'ann+2@acme.com', nameid_key: 'k-ann-2', created_at: now - 1 }),
      session('ended', { email: 'ann@acme.com', ended_at: now - 10 }),
      session('expired', { email: 'ann@acme.com', expires_at: now }),
      session('other-product', { email: 'ann@acme.com', product: 'hr' }),
      session('other-tenant', { nameid_key: 'k-ann', tenant: 'other.com' }),
      session('bob', { email: 'bob@acme.com', nameid_key: 'k-bob' }),
      session('Ünï', { email: 'ünï@acme.com', created_at: now + 1 }),
    ];
    for (const r of rows) await appSessionsRepo.insert(db, r);
    const emails = ['ann@acme.com', 'ann+2@acme.com', 'ünï@acme.com', 'nobody@acme.com', 'x@acme.com'];
    const keys = ['k-ann', 'k-ann-2', 'k-none', 'k-bob', 'k-y'];
    const selectors: AppSessionSelector[] = [{ sid: 'a1' }, { connectionId: 'c1', nameidKey: 'k-bob' }];
    for (let e = 0; e <= 5; e++) for (let k = 0; k <= 5; k++) selectors.push({ tenant: 'acme.com', product: 'crm', emails: emails.slice(0, e), nameidKeys: keys.slice(0, k) });
    selectors.push({ tenant: 'acme.com', product: 'crm', emails: ['bob@acme.com'], nameidKeys: ['k-ann'] });
    for (const sel of selectors) {
      const expected = (await appSessionsRepo.findOpenBuilt(db, sel, now)).map((r) => r.sid);
      assert.deepEqual((await appSessionsRepo.findOpen(db, sel, now)).map((r) => r.sid), expected, JSON.stringify(sel));
      await db.transaction().execute(async (trx) => assert.deepEqual((await appSessionsRepo.findOpen(trx, sel, now)).map((r) => r.sid), expected, `in a transaction: ${JSON.stringify(sel)}`));
    }
    const full = await appSessionsRepo.findOpen(db, { tenant: 'acme.com', product: 'crm', emails: ['ann@acme.com', 'ünï@acme.com'], nameidKeys: ['k-ann', 'k-ann-2'] }, now);
    assert.deepEqual(full.map((r) => r.sid), ['a1', 'a2', 'a3', 'Ünï']);
    assert.deepEqual(full[0], rows[0], 'every column as stored');

    // The same statement text as the repository's, counted once.
    const sel = { tenant: 'acme.com', product: 'crm', emails: ['ann@acme.com'], nameidKeys: ['k-ann', 'k-none'] };
    const sent: string[] = [];
    s.opened.statements.tap = (text) => sent.push(text);
    try {
      await appSessionsRepo.findOpenBuilt(db, sel, now);
      await appSessionsRepo.findOpen(db, sel, now);
    } finally {
      s.opened.statements.tap = null;
    }
    assert.equal(sent.length, 2);
    assert.equal(sent[1], sent[0]);
  });
});
