/**
 * Route table of the SCIM 2.0 surface: `/api/scim/v2.0/<directoryId>/…` with bearer auth, SCIM
 * errors, and the leniency real clients need: resource paths in any case and with a trailing slash,
 * `/serviceConfiguration` as an alias, any content type parsed as JSON (`application/scim+json`,
 * `application/json`, or none).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { GatehouseError } from '../../errors.ts';
import { scimBearerAuth } from '../../directory-sync/scim/auth.ts';
import { sendScimError } from '../../directory-sync/scim/errors.ts';
import { jsonNestedDeeperThan, MAX_JSON_DEPTH } from '../malformed-input.ts';
import { project, readProjection } from '../../directory-sync/scim/resources.ts';
import { createUser, deleteUser, getUser, listUsers, patchUser, replaceUser } from '../../directory-sync/scim/users.ts';
import { createGroup, deleteGroup, getGroup, listGroups, patchGroup, replaceGroup } from '../../directory-sync/scim/groups.ts';
import { resourceTypeById, resourceTypes, schemaById, schemas, serviceProviderConfig } from '../../directory-sync/scim/discovery.ts';
import type { ScimScope } from '../../directory-sync/scim/scope.ts';
import { recordScimRequest } from '../../setup-links/scim-progress.ts';
import { keepScimError, scimRecording } from '../scim-recording.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface Call {
  scope: ScimScope;
  id: string;
  req: FastifyRequest;
  reply: FastifyReply;
}
type Handler = (c: Call) => Promise<unknown>;

const q = (c: Call) => (c.req.query ?? {}) as Record<string, unknown>;
const wantsResource = (c: Call) => {
  const p = readProjection(q(c));
  return p.attributes !== null || p.excluded !== null;
};
const created = (c: Call, body: Record<string, unknown>) => c.reply.code(201).header('location', (body.meta as { location: string }).location).send(body);
const noContent = (c: Call) => c.reply.code(204).send();
const discovered = (c: Call, what: 'ServiceProviderConfig' | 'Schemas' | 'ResourceTypes') => c.scope.report.done({ kind: 'discovery', what });
const notFound = (what: string): never => {
  throw new GatehouseError('SCIM_NOT_FOUND', `${what} not found.`);
};

/** U+0000, or half of a surrogate pair: PostgreSQL cannot store them, and neither it nor MySQL reads them back as JSON. */
const UNSTORABLE = /\0|\p{Cs}/u;

/** Whether a parsed JSON value has an unstorable character in a string or a key. */
function holdsUnstorable(v: unknown): boolean {
  if (typeof v === 'string') return UNSTORABLE.test(v);
  if (Array.isArray(v)) return v.some(holdsUnstorable);
  if (typeof v === 'object' && v !== null) return Object.entries(v).some(([k, x]) => UNSTORABLE.test(k) || holdsUnstorable(x));
  return false;
}

export function scimRoutes(ctx: AppContext, rateLimit: object) {
  /** Which handler serves `<resource>` and `<resource>/<id>`, by method. Resource names are matched lower-cased. */
  const TABLE: Record<string, Partial<Record<Method, Handler>>> = {
    users: {
      GET: (c) => listUsers(ctx, c.scope, q(c)),
      POST: async (c) => created(c, await createUser(ctx, c.scope, c.req.body)),
    },
    'users/:id': {
      GET: (c) => getUser(ctx, c.scope, c.id, readProjection(q(c))),
      PUT: (c) => replaceUser(ctx, c.scope, c.id, c.req.body),
      PATCH: async (c) => {
        const render = await patchUser(ctx, c.scope, c.id, c.req.body);
        // 204 (Microsoft's collection); 200 with the resource when asked for, or for Entra directories (as Microsoft documents).
        if (wantsResource(c)) return project('User', await render(), readProjection(q(c)));
        return c.scope.directory.type === 'azure-scim-v2' ? render() : noContent(c);
      },
      DELETE: async (c) => {
        await deleteUser(ctx, c.scope, c.id);
        return noContent(c);
      },
    },
    groups: {
      GET: (c) => listGroups(ctx, c.scope, q(c)),
      POST: async (c) => created(c, await createGroup(ctx, c.scope, c.req.body)),
    },
    'groups/:id': {
      GET: (c) => getGroup(ctx, c.scope, c.id, readProjection(q(c))),
      PUT: (c) => replaceGroup(ctx, c.scope, c.id, c.req.body),
      PATCH: async (c) => {
        const render = await patchGroup(ctx, c.scope, c.id, c.req.body);
        return wantsResource(c) ? render(readProjection(q(c))) : noContent(c);
      },
      DELETE: async (c) => {
        await deleteGroup(ctx, c.scope, c.id);
        return noContent(c);
      },
    },
    serviceproviderconfig: { GET: async (c) => (discovered(c, 'ServiceProviderConfig'), serviceProviderConfig(c.scope.base)) },
    serviceconfiguration: { GET: async (c) => (discovered(c, 'ServiceProviderConfig'), serviceProviderConfig(c.scope.base)) },
    schemas: { GET: async (c) => (discovered(c, 'Schemas'), schemas(c.scope.base)) },
    'schemas/:id': { GET: async (c) => (discovered(c, 'Schemas'), schemaById(c.scope.base, c.id) ?? notFound(`Schema ${c.id}`)) },
    resourcetypes: { GET: async (c) => (discovered(c, 'ResourceTypes'), resourceTypes(c.scope.base)) },
    'resourcetypes/:id': { GET: async (c) => (discovered(c, 'ResourceTypes'), resourceTypeById(c.scope.base, c.id) ?? notFound(`ResourceType ${c.id}`)) },
  };

  async function dispatch(req: FastifyRequest, reply: FastifyReply) {
    const segs = ((req.params as Record<string, string>)['*'] ?? '').split('/').filter(Boolean);
    if (segs.length === 0 || segs.length > 2) return notFound(`No SCIM resource at ${req.url.split('?')[0]}`);
    const key = segs.length === 1 ? segs[0]!.toLowerCase() : `${segs[0]!.toLowerCase()}/:id`;
    const route = TABLE[key] ?? notFound(`No SCIM resource at ${req.url.split('?')[0]}`);
    const handler = route[req.method as Method];
    if (!handler) throw new GatehouseError('SCIM_NOT_SUPPORTED', `${req.method} is not supported on this resource.`, { status: 405 });
    reply.type('application/scim+json');
    return handler({ scope: req.scimScope!, id: segs[1] ?? '', req, reply });
  }

  return async (app: FastifyInstance) => {
    app.decorateRequest('scimScope', null);
    app.setErrorHandler((err, req, reply) => (keepScimError(req, err), sendScimError(reply, err)));
    scimRecording(ctx, app);
    // SCIM clients send application/scim+json, application/json, or no type at all: parse every body as JSON.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 6 * 1024 * 1024 }, (_req, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') return done(null, undefined);
      if (jsonNestedDeeperThan(text)) return done(new GatehouseError('SCIM_INVALID_SYNTAX', `The request body is nested more than ${MAX_JSON_DEPTH} levels deep.`), undefined);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return done(new GatehouseError('SCIM_INVALID_SYNTAX', 'The request body is not valid JSON.'), undefined);
      }
      // Such a character stored in a user's JSON made every later JSON filter of the directory fail on PostgreSQL and MySQL.
      // A UTF-8 body can only carry them as \u escapes: look for those first, so ordinary bodies are not walked.
      if (/\\u(?:0000|[dD][89a-fA-F])/.test(text) && holdsUnstorable(parsed)) {
        return done(new GatehouseError('SCIM_INVALID_VALUE', 'The body contains U+0000 or an unpaired surrogate (\\u0000, \\ud800…\\udfff alone), which no attribute can hold.'), undefined);
      }
      done(null, parsed);
    });
    app.addHook('onRequest', scimBearerAuth(ctx));
    // The setup link's progress (first request, first push): after the answer, so the IdP never waits for it.
    app.addHook('onResponse', (req, reply, done) => {
      if (!req.scimScope) return done();
      void recordScimRequest(ctx, req.scimScope.directory, req.method, reply.statusCode).then(() => done());
    });
    const opts = { config: { rateLimit } };
    const methods: Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
    app.route({ method: methods, url: '/api/scim/v2.0/:directoryId/*', ...opts, handler: dispatch });
    app.route({ method: methods, url: '/api/scim/v2.0/:directoryId', ...opts, handler: async () => notFound('No SCIM resource at the directory root') });
  };
}
