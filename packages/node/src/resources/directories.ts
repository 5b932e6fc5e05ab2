/**
 * Directory Sync (`/api/v1/dsync`): directories, and the pull API over what SCIM clients wrote into them (users,
 * groups, members) and over their webhook event log, each list an async iterator over pages (`pageToken` cursors).
 */
import type { Call } from '../http.ts';
import { Paged } from '../pagination.ts';
import type { AnswerOf, CreateDirectoryInput, Directory, DirectoryEventLogEntry, DirectoryGroup, DirectoryUser, GroupMember, UpdateDirectoryInput } from '../types.ts';

/** Names a directory: by its id, or as the (first) directory of a tenant+product. */
export type DirectorySelector = { directoryId: string; tenant?: undefined; product?: undefined } | { directoryId?: undefined; tenant: string; product: string };

/** Paging of the pull API: items per page (1–1000, default 100) and where to start. */
export interface PullOptions {
  limit?: number;
  pageToken?: string;
}

const selectorQuery = (s: DirectorySelector) => (s.directoryId !== undefined ? { directoryId: s.directoryId } : { tenant: s.tenant, product: s.product });

/** The cursor of a pull-API page (`pageToken`; an empty or missing one ends the list). */
function nextOf(page: { pageToken?: string | null }): string | null {
  return page.pageToken ? page.pageToken : null;
}

export class DirectoryUsers {
  readonly #call: Call;
  constructor(call: Call) {
    this.#call = call;
  }

  /** Every user of the directory: `for await (const user of gatehouse.directories.users.list({directoryId}))`. */
  list(opts: DirectorySelector & PullOptions): Paged<DirectoryUser> {
    return new Paged(async (pageToken) => {
      const page = await this.#call('get', '/api/v1/dsync/users', { query: { ...selectorQuery(opts), limit: opts.limit, pageToken: pageToken ?? undefined } });
      return { items: page.data, next: nextOf(page) };
    }, opts.pageToken ?? null);
  }

  async get(userId: string, directory: DirectorySelector): Promise<DirectoryUser> {
    return (await this.#call('get', '/api/v1/dsync/users/{userId}', { path: { userId }, query: selectorQuery(directory) })).data;
  }
}

export class DirectoryGroups {
  readonly #call: Call;
  constructor(call: Call) {
    this.#call = call;
  }

  /** Every group of the directory, page by page. */
  list(opts: DirectorySelector & PullOptions): Paged<DirectoryGroup> {
    return new Paged(async (pageToken) => {
      const page = await this.#call('get', '/api/v1/dsync/groups', { query: { ...selectorQuery(opts), limit: opts.limit, pageToken: pageToken ?? undefined } });
      return { items: page.data, next: nextOf(page) };
    }, opts.pageToken ?? null);
  }

  async get(groupId: string, directory: DirectorySelector): Promise<DirectoryGroup> {
    return (await this.#call('get', '/api/v1/dsync/groups/{groupId}', { path: { groupId }, query: selectorQuery(directory) })).data;
  }

  /** The group's members (`{user_id}`), page by page. */
  members(groupId: string, opts: DirectorySelector & PullOptions): Paged<GroupMember> {
    return new Paged(async (pageToken) => {
      const page = await this.#call('get', '/api/v1/dsync/groups/{groupId}/members', { path: { groupId }, query: { ...selectorQuery(opts), limit: opts.limit, pageToken: pageToken ?? undefined } });
      return { items: page.data, next: nextOf(page) };
    }, opts.pageToken ?? null);
  }
}

export class DirectoryEventLog {
  readonly #call: Call;
  constructor(call: Call) {
    this.#call = call;
  }

  /** The directory's webhook events with their delivery state, newest first, page by page (`status` filters). */
  list(opts: DirectorySelector & PullOptions & { status?: 'pending' | 'delivered' | 'failed' }): Paged<DirectoryEventLogEntry> {
    return new Paged(async (pageToken) => {
      const page = await this.#call('get', '/api/v1/dsync/events', { query: { ...selectorQuery(opts), limit: opts.limit, status: opts.status, pageToken: pageToken ?? undefined } });
      return { items: page.data, next: nextOf(page) };
    }, opts.pageToken ?? null);
  }

  async get(eventId: string): Promise<DirectoryEventLogEntry> {
    return (await this.#call('get', '/api/v1/dsync/events/{eventId}', { path: { eventId } })).data;
  }

  /** Delivers an event again, with the same event id (receivers de-duplicate on it). */
  async replay(eventId: string): Promise<AnswerOf<'/api/v1/dsync/events/{eventId}/replay', 'post'>> {
    return this.#call('post', '/api/v1/dsync/events/{eventId}/replay', { path: { eventId } });
  }
}

export class Directories {
  readonly #call: Call;
  readonly users: DirectoryUsers;
  readonly groups: DirectoryGroups;
  /** The webhook event log (what was sent to your webhook and how it went); not the vendor event stream. */
  readonly events: DirectoryEventLog;
  constructor(call: Call) {
    this.#call = call;
    this.users = new DirectoryUsers(call);
    this.groups = new DirectoryGroups(call);
    this.events = new DirectoryEventLog(call);
  }

  /**
   * Creates a directory: the answer's `scim.endpoint` and `scim.secret` go into the customer's IdP. The secret is
   * shown this once (rotate it with `rotateScimSecret`). Changes go to `webhook_url`, signed with `webhook_secret`.
   */
  async create(input: CreateDirectoryInput): Promise<Directory> {
    return (await this.#call('post', '/api/v1/dsync', { body: input })).data;
  }

  /** The directories of a tenant+product, newest first. */
  async list(query: { tenant: string; product: string }): Promise<Directory[]> {
    return (await this.#call('get', '/api/v1/dsync', { query })).data;
  }

  async get(directoryId: string): Promise<Directory> {
    return (await this.#call('get', '/api/v1/dsync/{directoryId}', { path: { directoryId } })).data;
  }

  async update(directoryId: string, input: UpdateDirectoryInput): Promise<Directory> {
    return (await this.#call('patch', '/api/v1/dsync/{directoryId}', { path: { directoryId }, body: input })).data;
  }

  async delete(directoryId: string): Promise<void> {
    await this.#call('delete', '/api/v1/dsync/{directoryId}', { path: { directoryId } });
  }

  /** A new SCIM secret (the old one stops working); the answer's `scim.secret` is shown this once. */
  async rotateScimSecret(directoryId: string): Promise<Directory> {
    return (await this.#call('post', '/api/v1/dsync/{directoryId}/scim-secret', { path: { directoryId } })).data;
  }
}
