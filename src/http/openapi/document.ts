/**
 * Builds the OpenAPI 3.1 document (`GET /api/openapi.json`, decision 0032) from the surfaces' operation rows: the
 * request bodies and queries are the zod schemas the services parse them with, the answers the zod views the
 * tests check real answers against, so the document cannot drift from the code without a test failing.
 */
import { type Answer, type JsonSchema, type Op, type Surface, answerSchemaOf, jsonSchemaOf, referencedComponents } from './spec.ts';
import { errorSchemas, securitySchemes } from './components.ts';
import { namedSchemas as ssoSchemas, ssoOps } from './management-sso.ts';
import { dsyncOps, moreOps, namedSchemas as dsyncSchemas, tenancyOps } from './management-dsync.ts';
import { LinkInfo, namedSchemas as linkSchemas, setupLinkOps } from './setup-link.ts';
import { namedSchemas as oauthSchemas, oauthOps, opsOps, samlOps } from './oauth.ts';
import { namedSchemas as scimSchemas, scimOps } from './scim.ts';

const problem = { schema: 'Problem', contentType: 'application/problem+json' } as const;

export const SURFACES: readonly Surface[] = [
  { tag: 'Management API', description: '`/api/v1/*` for the vendor\'s backend, with Jackson\'s paths, shapes and statuses. Errors are problem JSON with a stable `code`.', security: [{ apiKey: [] }], errors: { statuses: [400, 401, 403, 404, 409, 429], ...problem }, ops: [...ssoOps, ...tenancyOps, ...dsyncOps, ...moreOps] },
  { tag: 'App-facing OAuth 2.0 / OIDC', description: 'What the SaaS app calls: authorize, token, userinfo, revocation, introspection, logout, discovery. JSON endpoints answer OAuth errors (RFC 6749 §5.2); browser endpoints answer pages, or redirect with `error=` to a verified redirect URI.', security: [], errors: { statuses: [400, 401, 429], schema: 'OAuthError', contentType: 'application/json' }, ops: oauthOps },
  { tag: 'SAML SP and login links', description: 'What IdPs and browsers reach: the ACS, Single Logout, metadata, the upstream OIDC callback, one-click and invite links.', security: [], errors: { statuses: [], ...problem }, ops: samlOps },
  { tag: 'SCIM 2.0', description: 'One SCIM endpoint per directory, bearer-authenticated with its secret. Resource paths are matched in any case and with a trailing slash. Errors are SCIM errors with `status` as a string.', security: [{ scimBearer: [] }], errors: { statuses: [400, 401, 404, 409, 413, 429], schema: 'ScimError', contentType: 'application/scim+json' }, ops: scimOps },
  { tag: 'Setup-link API', description: 'What the setup-link page calls, authorised by the link\'s token in the path alone; tenant, product and service come from the link. Errors are problem JSON in the customer\'s words.', security: [], errors: { statuses: [400, 401, 403, 404, 409, 410, 429], ...problem }, ops: setupLinkOps },
  { tag: 'Operations', description: 'Health, readiness and metrics for the operator.', security: [], errors: { statuses: [], ...problem }, ops: opsOps },
];

const NAMED: Record<string, Parameters<typeof jsonSchemaOf>[0]> = { ...errorSchemas, ...ssoSchemas, ...dsyncSchemas, ...oauthSchemas, ...scimSchemas, ...linkSchemas, SetupLinkInfo: LinkInfo };

const STATUS_TEXT: Record<number, string> = { 400: 'The request is not valid.', 401: 'Not authenticated.', 403: 'Not allowed.', 404: 'Not found.', 409: 'Conflicts with what exists.', 410: 'Gone (the link expired or was revoked).', 413: 'The body is too large.', 429: 'Too many requests.' };

/** `/api/v1/tenants/:tenant` → `/api/v1/tenants/{tenant}`. */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const operationId = (method: string, path: string) => `${method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`;

function parametersOf(op: Op, path: string): JsonSchema[] {
  const fromPath = [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map(([, name]) => ({
    name, in: 'path', required: true, schema: { type: 'string' },
    ...(name === 'token' ? { description: 'The setup link\'s token: the only credential this API takes.' } : {}),
  }));
  let fromQuery: JsonSchema[] = [];
  if (op.query && 'safeParse' in op.query) {
    const s = jsonSchemaOf(op.query, 'input') as { properties: Record<string, JsonSchema>; required?: string[] };
    fromQuery = Object.entries(s.properties).map(([name, schema]) => ({ name, in: 'query', required: s.required?.includes(name) ?? false, schema }));
  } else if (op.query) {
    fromQuery = Object.entries(op.query as Record<string, { description?: string; required?: boolean; schema?: JsonSchema }>).map(([name, p]) => ({
      name, in: 'query', required: p.required ?? false, schema: p.schema ?? { type: 'string' }, ...(p.description ? { description: p.description } : {}),
    }));
  }
  return [...fromPath, ...fromQuery];
}

const KIND_CONTENT: Record<string, [string, JsonSchema] | undefined> = {
  html: ['text/html', { type: 'string' }], xml: ['application/xml', { type: 'string' }], text: ['text/plain', { type: 'string' }],
  css: ['text/css', { type: 'string' }], js: ['application/javascript', { type: 'string' }], pem: ['application/x-x509-ca-cert', { type: 'string' }],
};

function responseOf(a: Answer): JsonSchema {
  if ('json' in a) return { description: a.description, content: { [a.contentType ?? 'application/json']: { schema: answerSchemaOf(a.json) } } };
  if (a.kind === 'redirect') return { description: a.description, headers: { Location: { schema: { type: 'string' }, description: 'Where the browser goes next.' } } };
  const content = KIND_CONTENT[a.kind];
  return { description: a.description, ...(content ? { content: { [content[0]]: { schema: content[1] } } } : {}) };
}

function operationOf(surface: Surface, op: Op, path: string): JsonSchema {
  const responses: Record<string, JsonSchema> = Object.fromEntries(Object.entries(op.responses).map(([status, a]) => [status, responseOf(a)]));
  if (op.errors !== false) {
    for (const status of surface.errors.statuses) {
      responses[status] ??= { $ref: `#/components/responses/${surface.errors.schema}${status}` };
    }
  }
  const params = parametersOf(op, path);
  return {
    operationId: operationId(op.method, path),
    tags: [surface.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    ...(path !== op.path ? { description: `${op.description ? `${op.description} ` : ''}Also served at this path for SAML Jackson compatibility (same as \`${openApiPath(op.path)}\`).` } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(op.body ? { requestBody: { required: op.body.required ?? true, content: { [op.body.form ? 'application/x-www-form-urlencoded' : 'application/json']: { schema: jsonSchemaOf(op.body.schema, 'input') } } } } : {}),
    responses,
    security: op.security ?? surface.security,
  };
}

/** Every error response a surface refers to, by name (`Problem404`, `ScimError401`…). */
function errorResponses(): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const s of SURFACES) {
    for (const status of s.errors.statuses) {
      out[`${s.errors.schema}${status}`] = { description: STATUS_TEXT[status] ?? 'Error.', content: { [s.errors.contentType]: { schema: { $ref: `#/components/schemas/${s.errors.schema}` } } } };
    }
  }
  return out;
}

export interface DocumentOptions {
  externalUrl: string;
  version: string;
}

/** The OpenAPI 3.1 document, for the deployment at `externalUrl`. */
export function buildOpenApiDocument(opts: DocumentOptions): Record<string, unknown> {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const surface of SURFACES) {
    for (const op of surface.ops) {
      for (const path of [op.path, ...(op.aliases ?? [])]) {
        const p = (paths[openApiPath(path)] ??= {});
        p[op.method.toLowerCase()] = operationOf(surface, op, path);
      }
    }
  }
  const schemas = Object.fromEntries(Object.entries(NAMED).map(([name, s]) => [name, jsonSchemaOf(s, 'output')]));
  const missing = [...referencedComponents].filter((name) => !schemas[name]);
  if (missing.length) throw new Error(`Answer views referred to but not among the components: ${missing.join(', ')} (add them to a surface's namedSchemas).`);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Gatehouse API',
      version: opts.version,
      description: 'Enterprise SSO (SAML 2.0, OIDC) and Directory Sync (SCIM 2.0) for SaaS apps. Paths and shapes are compatible with SAML Jackson.',
    },
    servers: [{ url: opts.externalUrl }],
    tags: SURFACES.map((s) => ({ name: s.tag, description: s.description })),
    paths,
    components: {
      schemas,
      responses: errorResponses(),
      securitySchemes,
    },
  };
}
