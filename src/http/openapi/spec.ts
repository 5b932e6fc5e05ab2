/**
 * How a surface describes its operations for the OpenAPI document (decision 0032): each row names the method and
 * path of a route-table row, its summary, its query parameters, and the same zod schemas the services validate the
 * body with and build the answer from. `document.ts` turns the rows into OpenAPI 3.1; `routes-covered.test.ts` holds
 * the rows and the registered routes to each other.
 */
import * as z from 'zod';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type JsonSchema = Record<string, unknown>;

/** What one answer carries: a JSON body (zod or plain JSON Schema), a page, a redirect, a file, or nothing. */
export type Answer =
  | { description: string; json: z.ZodType | JsonSchema; contentType?: string }
  | { description: string; kind: 'html' | 'redirect' | 'empty' | 'xml' | 'text' | 'css' | 'js' | 'pem' };

export interface Op {
  method: Method;
  /** The route table's path, `:param` style. */
  path: string;
  summary: string;
  description?: string;
  /** Query parameters: the zod schema the service parses the query with, or names (see `q`). */
  query?: z.ZodObject | Record<string, { description?: string; required?: boolean; schema?: JsonSchema }>;
  /** The request body: the zod schema the service parses it with. `form` = application/x-www-form-urlencoded. */
  body?: { schema: z.ZodType | JsonSchema; form?: boolean; required?: boolean };
  responses: Record<number, Answer>;
  /** Overrides the surface's security (e.g. `[]` for public endpoints). */
  security?: Record<string, string[]>[];
  /** `false` when the surface's error shape does not apply (browser endpoints answer pages). */
  errors?: false;
  /** Another path this operation is also served at (Jackson compatibility), listed as its own operation. */
  aliases?: string[];
}

/** One surface: a tag, its security, the error shape its serializer answers with, and its operations. */
export interface Surface {
  tag: string;
  description: string;
  security: Record<string, string[]>[];
  /** The error statuses every operation may answer, with the shape (a components/schemas name). */
  errors: { statuses: number[]; schema: 'Problem' | 'OAuthError' | 'ScimError'; contentType: string };
  ops: Op[];
}

/** Names of the components that answers refer to by `$ref` (`document.ts` checks each is in `components.schemas`). */
export const referencedComponents = new Set<string>();

/**
 * An answer view nested in another (a connection in a version, a role in a mapping) becomes a `$ref` to its component:
 * a titled view is a component, named by its title (`.meta({ title: 'Connection' })`). The root stays inline (that is
 * the component itself); an answer that is one whole view refers to it through `answerSchemaOf`.
 */
function refNestedViews(ctx: { zodSchema: unknown; jsonSchema: Record<string, unknown>; path: (string | number)[] }): void {
  if (ctx.path.length === 0) return;
  const title = z.globalRegistry.get(ctx.zodSchema as z.ZodType)?.title;
  if (typeof title !== 'string') return;
  // What the use says of it (`.describe()` on the view) stays beside the reference.
  const description = z.globalRegistry.get(ctx.zodSchema as z.ZodType)?.description;
  for (const k of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[k];
  ctx.jsonSchema.$ref = `#/components/schemas/${title}`;
  if (description) ctx.jsonSchema.description = description;
  referencedComponents.add(title);
}

/** JSON Schema of a zod schema: the request side (`input`) of what a body parser accepts, the `output` of an answer. */
export function jsonSchemaOf(schema: z.ZodType | JsonSchema, io: 'input' | 'output'): JsonSchema {
  if (!(schema instanceof z.ZodType)) return schema;
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12', ...(io === 'output' ? { override: refNestedViews } : {}) }) as JsonSchema;
  return rest;
}

export const json = (description: string, schema: z.ZodType | JsonSchema, contentType?: string): Answer => ({ description, json: schema, ...(contentType ? { contentType } : {}) });
export const page = (description: string): Answer => ({ description, kind: 'html' });
export const redirect = (description: string): Answer => ({ description, kind: 'redirect' });
export const empty = (description: string): Answer => ({ description, kind: 'empty' });

/** An answer's schema: a titled view by reference to its component, anything else written out. */
export function answerSchemaOf(schema: z.ZodType | JsonSchema): JsonSchema {
  const title = schema instanceof z.ZodType ? z.globalRegistry.get(schema)?.title : undefined;
  if (typeof title !== 'string') return jsonSchemaOf(schema, 'output');
  referencedComponents.add(title);
  return { $ref: `#/components/schemas/${title}` };
}

/** `{data: <x>}`, Jackson's envelope. */
export const data = (schema: z.ZodType | JsonSchema): JsonSchema => ({ type: 'object', properties: { data: answerSchemaOf(schema) }, required: ['data'] });
export const dataList = (schema: z.ZodType | JsonSchema): JsonSchema => ({ type: 'object', properties: { data: { type: 'array', items: answerSchemaOf(schema) } }, required: ['data'] });

/** Query parameters from names; the ones ending in `!` are required. */
export function q(...names: string[]): NonNullable<Op['query']> {
  return Object.fromEntries(names.map((n) => [n.replace(/!$/, ''), { required: n.endsWith('!') }]));
}
