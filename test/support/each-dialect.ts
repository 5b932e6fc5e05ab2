/**
 * One harness for the storage conformance suites: `describeEachDialect(title, body)` runs `body` once per
 * dialect (SQLite, PostgreSQL, MySQL/MariaDB; TEST_DIALECTS narrows it) on a fresh database of its own, migrated
 * unless told otherwise. `it` skips, loudly through createTestDatabase, when the server is unreachable outside CI.
 */
import { after, before, describe, test } from 'node:test';
import { openDatabase, migrateToLatest, type OpenedDatabase } from '../../src/storage/index.ts';
import type { DialectName } from '../../src/storage/dialect.ts';
import { createTestDatabase, testDialects, type TestDatabase } from './databases.ts';

export interface DialectSuite {
  dialect: DialectName;
  /** The open database (valid inside tests). */
  readonly opened: OpenedDatabase;
  it(name: string, fn: () => Promise<void>): void;
}

export function describeEachDialect(title: string, body: (suite: DialectSuite) => void, options: { migrate?: boolean; poolSize?: number } = {}): void {
  for (const dialect of testDialects()) {
    describe(`${title}: ${dialect}`, () => {
      let tdb: TestDatabase | null = null;
      let opened: OpenedDatabase | undefined;
      before(async () => {
        tdb = await createTestDatabase(dialect);
        if (!tdb) return;
        opened = await openDatabase(tdb.url, options.poolSize ?? 5);
        if (options.migrate ?? true) await migrateToLatest(opened.db, dialect);
      });
      after(async () => {
        if (!tdb) return;
        await opened?.close();
        await tdb.drop();
      });
      body({
        dialect,
        get opened() {
          if (!opened) throw new Error(`${dialect}: the database is not open`);
          return opened;
        },
        it: (name, fn) => test(name, async (t) => (tdb ? fn() : t.skip(`${dialect} server unreachable`))),
      });
    });
  }
}
