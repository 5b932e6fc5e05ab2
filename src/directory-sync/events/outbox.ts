/**
 * The outbox side of events: SCIM handlers collect events while they change data and append them in
 * the same transaction (so an event exists if and only if its change committed), then nudge the
 * local deliverer (./outbox-signal.ts). Directories without a webhook URL produce no events (apps use the pull API).
 * A handler whose last write needs nothing read after it hands that write to the batch (`alongWith`): on PostgreSQL
 * the write and the outbox rows then go as one statement (decision 0045).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.ts';
import { directoryEventsRepo, type DirectoryRow } from '../../storage/index.ts';
import type { NewDirectoryEvent, ResourceWrite } from '../../storage/repositories/directory-events.ts';
import type { RoleSettings } from '../../storage/repositories/directory-users.ts';
import type { DialectName } from '../../storage/dialect.ts';
import { webhookEvent, type DirectoryEventType, type WebhookEvent } from './payloads.ts';
import { groupless, rolesOfUsers } from './user-roles.ts';
import { traitsOf } from '../../storage/dialect.ts';
import { newResourceId } from '../ids.ts';

const isUserEvent = (b: WebhookEvent) => b.event.startsWith('user.') || b.event.startsWith('group.user_');

export class EventBatch {
  readonly rows: NewDirectoryEvent[] = [];
  /** The events of `rows`, serialised into their payloads at write time, once user events carry their roles. */
  private readonly bodies: WebhookEvent[] = [];
  /** The change's last write, sent with the events (`alongWith`), and what its failure means. */
  private last: { write: ResourceWrite; onError: (err: unknown) => never } | null = null;
  /** Indexes of events about a user in no group (a create): their roles depend on the product alone. */
  private readonly groupless = new Set<number>();
  /** The product's roles and the tenant's mapping, when the change read them with its row lock. */
  private roleSettings: RoleSettings | undefined;
  constructor(private readonly dir: DirectoryRow, private readonly now: number, private readonly retryForMs: number) {}

  /** Whether this directory records events at all: callers skip the reads that only an event needs. */
  get recorded(): boolean {
    return Boolean(this.dir.webhook_url);
  }

  /** Adds an event; `opts.groupless`: it is about a user in no group (just created), whose roles need no read. */
  add(event: DirectoryEventType, resourceKey: string, data: Record<string, unknown>, opts: { groupless?: boolean } = {}): void {
    if (!this.recorded) return;
    // Time-ordered (UUIDv7, like resource ids): the unique index on the event id then grows at its end, as seq's
    // does, instead of dirtying a random page of a large index on every append (decision 0044).
    const id = newResourceId(this.now);
    if (opts.groupless) this.groupless.add(this.rows.length);
    this.bodies.push(webhookEvent(this.dir, id, event, data, this.now));
    this.rows.push({
      id,
      directory_id: this.dir.id,
      resource_key: resourceKey,
      event,
      payload: '',
      status: 'pending',
      attempts: 0,
      next_attempt_at: this.now,
      deadline_at: this.now + this.retryForMs,
      lease_owner: null,
      lease_until: null,
      last_status: null,
      last_error: null,
      created_at: this.now,
      delivered_at: null,
    });
  }

  /** The role settings the change read with its row lock (…findForUpdateWithRoles): user events need no read of their own. */
  knowRoleSettings(settings: RoleSettings): void {
    this.roleSettings = settings;
  }

  /**
   * Makes `write` (built on the transaction's `db`) the change's last write: it is sent with the events by `write()`,
   * in one statement where the dialect allows. Nothing may read what it writes before then. `onError` turns its
   * failure (a unique violation) into the answer's error.
   */
  alongWith(write: ResourceWrite, onError: (err: unknown) => never): void {
    if (this.last) throw new Error('EventBatch.alongWith: one write per change');
    this.last = { write, onError };
  }

  async write(trx: Kysely<Database>, dialect: DialectName): Promise<void> {
    const last = this.last;
    this.last = null;
    if (this.rows.length === 0) {
      if (last) await last.write.execute().catch(last.onError);
      return;
    }
    // User events (user.*, group.user_*) carry the user's roles after this change (decision 0028). Where the events
    // and the change's write are one statement, that statement decides the roles of users in no group (decision 0045).
    const inStatement = last !== null && traitsOf(dialect).writesInOneStatement;
    const read = (b: WebhookEvent, i: number) => isUserEvent(b) && !(inStatement && this.groupless.has(i));
    const roles = await rolesOfUsers(trx, this.dir, this.bodies.filter(read).map((b) => String(b.data.id)), this.roleSettings);
    const values = this.bodies.map((b, i) => {
      const row = this.rows[i]!;
      if (isUserEvent(b) && !read(b, i)) return { ...row, payload: groupless(trx, this.dir, b) };
      row.payload = JSON.stringify(roles && isUserEvent(b) ? { ...b, data: { ...b.data, roles: roles.get(String(b.data.id)) ?? [] } } : b);
      return row;
    });
    if (!last) return directoryEventsRepo.append(trx, this.rows);
    return directoryEventsRepo.appendWith(trx, dialect, last.write, values).catch(last.onError);
  }
}
