/**
 * The outbox side of events: SCIM handlers collect events while they change data and append them in
 * the same transaction (so an event exists if and only if its change committed), then nudge the
 * local deliverer (./outbox-signal.ts). Directories without a webhook URL produce no events (apps use the pull API).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.ts';
import { directoryEventsRepo, type DirectoryRow } from '../../storage/index.ts';
import type { NewDirectoryEvent } from '../../storage/repositories/directory-events.ts';
import { webhookEvent, type DirectoryEventType, type WebhookEvent } from './payloads.ts';
import { rolesOfUsers } from './user-roles.ts';
import { newResourceId } from '../ids.ts';

export class EventBatch {
  readonly rows: NewDirectoryEvent[] = [];
  /** The events of `rows`, serialised into their payloads at write time, once user events carry their roles. */
  private readonly bodies: WebhookEvent[] = [];
  constructor(private readonly dir: DirectoryRow, private readonly now: number, private readonly retryForMs: number) {}

  /** Whether this directory records events at all: callers skip the reads that only an event needs. */
  get recorded(): boolean {
    return Boolean(this.dir.webhook_url);
  }

  add(event: DirectoryEventType, resourceKey: string, data: Record<string, unknown>): void {
    if (!this.recorded) return;
    // Time-ordered (UUIDv7, like resource ids): the unique index on the event id then grows at its end, as seq's
    // does, instead of dirtying a random page of a large index on every append (decision 0044).
    const id = newResourceId(this.now);
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

  async write(trx: Kysely<Database>): Promise<void> {
    if (this.rows.length === 0) return;
    // User events (user.*, group.user_*) carry the user's roles after this change (decision 0028).
    const userIds = this.bodies.filter((b) => b.event.startsWith('user.') || b.event.startsWith('group.user_')).map((b) => String(b.data.id));
    const roles = await rolesOfUsers(trx, this.dir, userIds);
    this.bodies.forEach((b, i) => {
      const data = roles && (b.event.startsWith('user.') || b.event.startsWith('group.user_')) ? { ...b.data, roles: roles.get(String(b.data.id)) ?? [] } : b.data;
      this.rows[i]!.payload = JSON.stringify({ ...b, data });
    });
    await directoryEventsRepo.append(trx, this.rows);
  }
}
