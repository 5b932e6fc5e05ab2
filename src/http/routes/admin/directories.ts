/**
 * Admin API handlers of the Directory Sync screens: directories, their users, groups, members and webhook
 * events, through the same services as `/api/v1/dsync` (which check the caller and audit). The SCIM secret is
 * shown once, on creation or rotation; webhook secrets never (both on reads too under JACKSON_COMPAT, for admins).
 */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { authorizeDirectoryRead, createDirectory, deleteDirectory, directoryView, pageDirectories, readDirectory, rotateScimSecret, updateDirectory } from '../../../directory-sync/directories.ts';
import { pullGroupMembers, pullGroups, pullUser, pullUsers } from '../../../directory-sync/pull.ts';
import { listEvents } from '../../../directory-sync/events/log.ts';
import { replayDirectoryEvent, retryPendingEventNow } from '../../../directory-sync/event-replay.ts';
import { listScimRequests } from '../../../directory-sync/inspector/requests.ts';
import { isTenantProductKey } from '../../../storage/repositories/keyset.ts';
import { decodeCursor, pageLimit, pageOf } from '../../../admin/paging.ts';
import { callerOf } from '../../caller.ts';
import { params as P, query, type Handler } from '../../route-table.ts';

/** The Directory Sync services page with `pageToken`; the admin API calls it a cursor. */
const withCursor = <T extends { pageToken: string | null }>(r: T) => {
  const { pageToken, ...rest } = r;
  return { ...rest, nextCursor: pageToken };
};
const pull = (req: FastifyRequest, directoryId: string) => {
  const q = query(req);
  return { directoryId, limit: String(pageLimit(q.limit)), ...(q.cursor ? { pageToken: q.cursor } : {}) };
};

export function adminDirectoryHandlers(ctx: AppContext) {
  const h = (f: Handler) => f;
  /** Reads of one directory's users, groups and events: the caller may read that directory. */
  const readable = async (req: FastifyRequest) => {
    await authorizeDirectoryRead(ctx, callerOf(req), { directoryId: P(req).id! });
    return P(req).id!;
  };
  return {
    list: h(async (req) => {
      const q = query(req);
      const limit = pageLimit(q.limit);
      const rows = await pageDirectories(ctx, callerOf(req), { tenant: q.tenant || undefined, product: q.product || undefined, limit: limit + 1, after: decodeCursor(q.cursor, isTenantProductKey) });
      return pageOf(rows, limit, (r) => directoryView(ctx, callerOf(req), r), (r) => [r.tenant, r.product, r.id]);
    }),
    create: h(async (req, reply) => reply.code(201).send({ data: await createDirectory(ctx, callerOf(req), req.body) })),
    get: h(async (req) => ({ data: await readDirectory(ctx, callerOf(req), P(req).id!) })),
    update: h(async (req) => ({ data: await updateDirectory(ctx, callerOf(req), P(req).id!, req.body) })),
    rotateSecret: h(async (req) => ({ data: await rotateScimSecret(ctx, callerOf(req), P(req).id!) })),
    remove: h(async (req, reply) => {
      await deleteDirectory(ctx, callerOf(req), P(req).id!);
      return reply.code(204).send();
    }),
    users: h(async (req) => withCursor(await pullUsers(ctx, pull(req, await readable(req))))),
    user: h(async (req) => pullUser(ctx, P(req).userId!, { directoryId: await readable(req) })),
    groups: h(async (req) => withCursor(await pullGroups(ctx, pull(req, await readable(req))))),
    members: h(async (req) => withCursor(await pullGroupMembers(ctx, P(req).groupId!, pull(req, await readable(req))))),
    events: h(async (req) => withCursor(await listEvents(ctx, { ...pull(req, await readable(req)), status: query(req).status }))),
    requests: h(async (req) => listScimRequests(ctx, callerOf(req), P(req).id!, query(req))),
    replayEvent: h(async (req) => replayDirectoryEvent(ctx, callerOf(req), P(req).eventId!, P(req).id!)),
    retryEvent: h(async (req) => retryPendingEventNow(ctx, callerOf(req), P(req).eventId!, P(req).id!)),
  };
}
