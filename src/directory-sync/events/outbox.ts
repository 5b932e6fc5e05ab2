/**
 * The outbox side of events: SCIM handlers collect events while they change data and append them in
 * the same transaction (so an event exists if and only if its change committed), then nudge the
 * local deliverer (./outbox-signal.ts). Directories without a webhook URL produce no events (apps use the pull API).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.ts';
import { directoryEventsRepo, type DirectoryRow } from '../../storage/index.ts';
import type { NewDirectoryEvent } from '../../storage/repositories/directory-events.ts';
import { webhookEvent, type DirectoryEventType } from './payloads.ts';

export class EventBatch {
  readonly rows: NewDirectoryEvent[] = [];
  constructor(private readonly dir: DirectoryRow, private readonly now: number, private readonly retryForMs: number) {}

  /** Whether this directory records events at all: callers skip the reads that only an event needs. */
  get recorded(): boolean {
    return Boolean(this.dir.webhook_url);
  }

  add(event: DirectoryEventType, resourceKey: string, data: Record<string, unknown>): void {
    if (!this.recorded) return;
    const id = randomUUID();
    this.rows.push({
      id,
      directory_id: this.dir.id,
      resource_key: resourceKey,
      event,
      payload: JSON.stringify(webhookEvent(this.dir, id, event, data, this.now)),
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
    await directoryEventsRepo.append(trx, this.rows);
  }
}
