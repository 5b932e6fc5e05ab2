/**
 * 007 — indexes that keep an outbox claim proportional to the batch it takes, not to the backlog.
 *
 * A claim walks pending events in seq order (directory_events_pending) and stops at its batch size;
 * for each candidate, "is an earlier event of this resource still pending?" is one probe of
 * directory_events_resource_pending instead of a walk over the resource's whole history. The two
 * indexes of 002 they replace made SQLite collect and sort every due event for every claim (7 ms with
 * 2,000 pending, 11.5 ms per claim in the SCIM benchmark); with both old and new present, SQLite picked
 * a plan 30× slower still, so the old ones go. Dropping an index changes no query's result: instances
 * of the previous release keep working during a deploy.
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const outboxClaimIndexes = (t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema.createIndex('directory_events_pending').on('directory_events').columns(['status', 'seq']).execute();
    await db.schema.createIndex('directory_events_resource_pending').on('directory_events').columns(['directory_id', 'resource_key', 'status', 'seq']).execute();
    for (const old of ['directory_events_due', 'directory_events_resource']) {
      const drop = db.schema.dropIndex(old);
      await (t.name === 'mysql' ? drop.on('directory_events') : drop).execute(); // only MySQL names the table
    }
  },
});
