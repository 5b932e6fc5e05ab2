/**
 * The SCIM surface's hooks for the inspector (docs/decisions/0027-scim-inspector.md): the error the serializer
 * answered with and the answer's text are kept on the request; once the answer is sent, its facts (the handler's
 * report, the leniencies the input needed, the refusal) go to the recorder, which writes in the background.
 * Requests refused before the token was accepted are recorded only for a directory that exists, and sparingly.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { ERRORS, type GatehouseError } from '../errors.ts';
import { normalize } from '../directory-sync/scim/errors.ts';
import { requestNotes } from '../directory-sync/scim/leniency.ts';
import type { ResourceKind } from '../directory-sync/scim/attributes.ts';

declare module 'fastify' {
  interface FastifyRequest {
    scimError: GatehouseError | null;
    scimAnswer: string | null;
  }
}

const KINDS: Record<string, ResourceKind> = { users: 'User', groups: 'Group' };

/** Keeps what the SCIM error serializer answered, for the recorder. */
export function keepScimError(req: FastifyRequest, err: unknown): void {
  req.scimError = normalize(err);
}

function facts(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, directory: { id: string; type: string }) {
  const sub = (req.params as Record<string, string>)['*'] ?? '';
  const kind = KINDS[sub.split('/').filter(Boolean)[0]?.toLowerCase() ?? ''];
  const query = (req.query ?? {}) as Record<string, unknown>;
  const e = req.scimError;
  return {
    directoryId: directory.id,
    directoryType: directory.type,
    at: ctx.now(),
    method: req.method,
    path: `/${sub}`,
    query,
    status: reply.statusCode,
    requestBody: req.body,
    responseText: req.scimAnswer ?? '',
    outcome: req.scimScope?.report.outcome ?? null,
    notes: kind ? requestNotes({ kind, method: req.method, body: req.body, filter: typeof query.filter === 'string' ? query.filter : undefined }) : [],
    refusal: e ? { code: e.code, detail: e.detail ?? ERRORS[e.code].message } : null,
  };
}

export function scimRecording(ctx: AppContext, app: FastifyInstance): void {
  app.decorateRequest('scimError', null);
  app.decorateRequest('scimAnswer', null);
  if (!ctx.scimRequestLog.enabled) return;
  // Entries still being written when the server stops are finished before the database closes (main.ts: app.close() first).
  app.addHook('onClose', async () => ctx.scimRequestLog.settled());
  // Callback hooks: one promise fewer per SCIM request each (decision 0044).
  app.addHook('onSend', (req, _reply, payload, done) => {
    req.scimAnswer = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
    done(null, payload);
  });
  app.addHook('onResponse', (req, reply, done) => {
    const scope = req.scimScope;
    if (scope) {
      ctx.scimRequestLog.record(facts(ctx, req, reply, scope.directory));
      return done();
    }
    // Refused before the token was accepted: only a directory that exists (the bearer hook just read it), sparingly.
    const id = (req.params as { directoryId?: string }).directoryId ?? '';
    if (!id || id.length > 191) return done();
    ctx.directoryCache.find(id).then(
      (directory) => {
        if (directory && ctx.scimRequestLog.mayRecordUnauthenticated(directory.id, ctx.now())) ctx.scimRequestLog.record(facts(ctx, req, reply, directory));
        done();
      },
      () => done(),
    );
  });
}
