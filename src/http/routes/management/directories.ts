/** Management API handlers for Directory Sync: directories, the pull API and webhook events (Jackson v1 shapes). */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { GatehouseError } from '../../../errors.ts';
import { authorizeDirectoryRead, createDirectory, deleteDirectory, listDirectories, readDirectory, rotateScimSecret, updateDirectory } from '../../../directory-sync/directories.ts';
import { pullGroup, pullGroupMembers, pullGroups, pullUser, pullUsers } from '../../../directory-sync/pull.ts';
import { getEvent, listEvents } from '../../../directory-sync/events/log.ts';
import { replayDirectoryEvent, replayDirectoryEvents, retryPendingEventNow } from '../../../directory-sync/event-replay.ts';
import { deleteDirectoryEvents } from '../../../directory-sync/event-cleanup.ts';
import { listScimRequests } from '../../../directory-sync/inspector/requests.ts';
import { callerOf } from '../../caller.ts';
import { body, params, query, type Handler } from '../../route-table.ts';

export function directoryHandlers(ctx: AppContext) {
  const h = (f: Handler) => f;
  const id = (req: FastifyRequest) => params(req).directoryId!;
  /** Pull and event reads name their directory in the query; the service checks the caller may read it. */
  const readable = (req: FastifyRequest) => authorizeDirectoryRead(ctx, callerOf(req), query(req));
  return {
    create: h(async (req, reply) => reply.code(201).send({ data: await createDirectory(ctx, callerOf(req), req.body) })),
    list: h(async (req) => ({ data: await listDirectories(ctx, callerOf(req), query(req)) })),
    listOfProduct: h(async (req) => ({ data: await listDirectories(ctx, callerOf(req), { product: query(req).product }) })),
    get: h(async (req) => ({ data: await readDirectory(ctx, callerOf(req), id(req)) })),
    update: h(async (req) => ({ data: await updateDirectory(ctx, callerOf(req), id(req), req.body) })),
    // Jackson answers a directory delete with 200 {data: {}}.
    remove: h(async (req) => (await deleteDirectory(ctx, callerOf(req), id(req)), { data: {} })),
    rotateSecret: h(async (req) => ({ data: await rotateScimSecret(ctx, callerOf(req), id(req)) })),
    requests: h(async (req) => listScimRequests(ctx, callerOf(req), id(req), query(req))),

    users: h(async (req) => (await readable(req), pullUsers(ctx, query(req)))),
    user: h(async (req) => (await readable(req), pullUser(ctx, params(req).userId!, query(req)))),
    groups: h(async (req) => (await readable(req), pullGroups(ctx, query(req)))),
    group: h(async (req) => (await readable(req), pullGroup(ctx, params(req).groupId!, query(req)))),
    members: h(async (req) => (await readable(req), pullGroupMembers(ctx, params(req).groupId!, query(req)))),

    events: h(async (req) => (await readable(req), listEvents(ctx, query(req)))),
    event: h(async (req) => {
      const eventId = params(req).eventId!;
      await authorizeDirectoryRead(ctx, callerOf(req), { eventId });
      return getEvent(ctx, eventId);
    }),
    // Jackson answers `{data: null}`.
    removeEvents: h(async (req) => (await deleteDirectoryEvents(ctx, callerOf(req), query(req).directoryId), { data: null })),
    replayEvent: h(async (req) => replayDirectoryEvent(ctx, callerOf(req), params(req).eventId!)),
    retryEvent: h(async (req) => retryPendingEventNow(ctx, callerOf(req), params(req).eventId!)),
    replayEvents: h(async (req) => {
      const b = { ...query(req), ...body(req) } as Record<string, unknown>;
      if (typeof b.directoryId !== 'string') throw new GatehouseError('API_VALIDATION', '"directoryId" is required.', { field: 'directoryId' });
      return replayDirectoryEvents(ctx, callerOf(req), b.directoryId, Array.isArray(b.ids) ? b.ids.map(String) : null);
    }),
  };
}
