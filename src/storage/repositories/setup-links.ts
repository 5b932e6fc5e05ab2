/** Named queries for setup links and their test runs. Links are found by token hash only. */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import type { SetupLinksTable, SetupLinkTestsTable } from '../schema-setup-links.ts';
import { progressWhere, type ProgressFilter } from './setup-link-progress.ts';

export type SetupLinkRow = Selectable<SetupLinksTable>;
export type SetupLinkTestRow = Selectable<SetupLinkTestsTable>;

export const setupLinksRepo = {
  findByTokenHash: (db: Kysely<Database>, hash: string) => db.selectFrom('setup_links').selectAll().where('token_hash', '=', hash).executeTakeFirst(),
  findById: (db: Kysely<Database>, id: string) => db.selectFrom('setup_links').selectAll().where('id', '=', id).executeTakeFirst(),
  findByScope: (db: Kysely<Database>, service: SetupLinkRow['service'], tenant: string, product: string) =>
    db.selectFrom('setup_links').selectAll().where('service', '=', service).where('tenant', '=', tenant).where('product', '=', product).executeTakeFirst(),
  /** Replaces any link of the same scope with `row`, in one transaction (the unique scope constraint backs it). */
  async replace(db: Kysely<Database>, row: SetupLinkRow): Promise<void> {
    await db.transaction().execute(async (tx) => {
      const old = await tx.selectFrom('setup_links').select('id').where('service', '=', row.service).where('tenant', '=', row.tenant).where('product', '=', row.product).execute();
      if (old.length) await tx.deleteFrom('setup_link_tests').where('link_id', 'in', old.map((o) => o.id)).execute();
      await tx.deleteFrom('setup_links').where('service', '=', row.service).where('tenant', '=', row.tenant).where('product', '=', row.product).execute();
      await tx.insertInto('setup_links').values(row).execute();
    });
  },
  /** New token in place: the old hash stops matching at once, on every instance. */
  async rotateToken(db: Kysely<Database>, id: string, tokenHash: string, tokenEnc: string, now: number): Promise<boolean> {
    const r = await db.updateTable('setup_links').set({ token_hash: tokenHash, token_enc: tokenEnc, updated_at: now }).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  async delete(db: Kysely<Database>, id: string): Promise<boolean> {
    const r = await db.deleteFrom('setup_links').where('id', '=', id).executeTakeFirst();
    await db.deleteFrom('setup_link_tests').where('link_id', '=', id).execute();
    return Number(r.numDeletedRows) > 0;
  },
  list: (db: Kysely<Database>, q: { service: SetupLinkRow['service']; product?: string; tenant?: string; progress?: ProgressFilter; offset: number; limit: number }) => {
    let s = db.selectFrom('setup_links').selectAll().where('service', '=', q.service);
    if (q.product) s = s.where('product', '=', q.product);
    if (q.tenant) s = s.where('tenant', '=', q.tenant);
    if (q.progress) s = s.where((eb) => progressWhere(eb, q.progress!));
    return s.orderBy('created_at', 'desc').orderBy('id').offset(q.offset).limit(q.limit).execute();
  },
  count: async (db: Kysely<Database>, q: { service: SetupLinkRow['service']; product?: string; tenant?: string; progress?: ProgressFilter }) => {
    let s = db.selectFrom('setup_links').select((eb) => eb.fn.countAll<number>().as('n')).where('service', '=', q.service);
    if (q.product) s = s.where('product', '=', q.product);
    if (q.tenant) s = s.where('tenant', '=', q.tenant);
    if (q.progress) s = s.where((eb) => progressWhere(eb, q.progress!));
    return Number((await s.executeTakeFirstOrThrow()).n);
  },
};

export const setupLinkTestsRepo = {
  insert: (db: Kysely<Database>, row: Insertable<SetupLinkTestsTable>) => db.insertInto('setup_link_tests').values(row).execute(),
  find: (db: Kysely<Database>, linkId: string, id: string) => db.selectFrom('setup_link_tests').selectAll().where('link_id', '=', linkId).where('id', '=', id).executeTakeFirst(),
  findById: (db: Kysely<Database>, id: string) => db.selectFrom('setup_link_tests').selectAll().where('id', '=', id).executeTakeFirst(),
  async complete(db: Kysely<Database>, id: string, status: 'succeeded' | 'failed', result: unknown, now: number): Promise<void> {
    await db.updateTable('setup_link_tests').set({ status, result: JSON.stringify(result), completed_at: now }).where('id', '=', id).where('status', '=', 'pending').execute();
  },
  anySucceeded: async (db: Kysely<Database>, linkId: string) =>
    Boolean(await db.selectFrom('setup_link_tests').select('id').where('link_id', '=', linkId).where('status', '=', 'succeeded').executeTakeFirst()),
};
