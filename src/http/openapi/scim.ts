/**
 * SCIM 2.0 (`/api/scim/v2.0/:directoryId/…`) for the OpenAPI document. One wildcard route serves every resource
 * (paths in any case, `/serviceConfiguration` as an alias); the document lists the canonical paths.
 */
import * as z from 'zod';
import { ScimGroup, ScimUser, scimListOf } from '../../directory-sync/scim/answers.ts';
import { ScimResourceTypeView, ScimSchemaView, ScimServiceProviderConfigView } from '../../directory-sync/scim/discovery.ts';
import { empty, json, jsonSchemaOf, q, type JsonSchema, type Op } from './spec.ts';

export const namedSchemas = { ScimUser, ScimGroup, ScimServiceProviderConfig: ScimServiceProviderConfigView, ScimSchema: ScimSchemaView, ScimResourceType: ScimResourceTypeView };

const S = '/api/scim/v2.0/:directoryId';
const SCIM = 'application/scim+json';
const user: JsonSchema = { $ref: '#/components/schemas/ScimUser' };
const group: JsonSchema = { $ref: '#/components/schemas/ScimGroup' };
/** A ListResponse of `item`: scimListOf's schema, with the items given by reference. */
const list = (item: JsonSchema): JsonSchema => {
  const base = jsonSchemaOf(scimListOf(z.any()), 'output') as { properties: Record<string, unknown> };
  return { ...base, properties: { ...base.properties, Resources: { type: 'array', items: item } } };
};
const listQuery = q('filter', 'startIndex', 'count', 'attributes', 'excludedAttributes');
const projection = q('attributes', 'excludedAttributes');
/** RFC 7644 §3.5.2 PATCH body. Operation names are matched in any case. */
const PatchOp = z.looseObject({ schemas: z.array(z.string()), Operations: z.array(z.looseObject({ op: z.string(), path: z.string().optional(), value: z.unknown().optional() })) });
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const sj = (d: string, s: JsonSchema) => json(d, s, SCIM);

export const scimOps: Op[] = [
  { method: 'GET', path: `${S}/Users`, summary: 'List or filter users', query: listQuery, responses: { 200: sj('A ListResponse; `totalResults` counts every match.', list(user)) } },
  { method: 'POST', path: `${S}/Users`, summary: 'Create a user', body: { schema: ScimUser.partial().extend({ userName: z.string() }), required: true }, responses: { 201: sj('The user (`Location` header).', user) } },
  { method: 'GET', path: `${S}/Users/:id`, summary: 'Read a user', query: projection, responses: { 200: sj('The user.', user) } },
  { method: 'PUT', path: `${S}/Users/:id`, summary: 'Replace a user', body: { schema: ScimUser.partial().extend({ userName: z.string() }), required: true }, responses: { 200: sj('The user.', user) } },
  { method: 'PATCH', path: `${S}/Users/:id`, summary: 'Patch a user', description: '204 No Content, or 200 with the resource when `attributes`/`excludedAttributes` ask for it or for Entra directories.', query: projection, body: { schema: PatchOp, required: true }, responses: { 200: sj('The user.', user), 204: empty('Patched.') } },
  { method: 'DELETE', path: `${S}/Users/:id`, summary: 'Delete a user', responses: { 204: empty('Deleted.') } },
  { method: 'GET', path: `${S}/Groups`, summary: 'List or filter groups', query: listQuery, responses: { 200: sj('A ListResponse.', list(group)) } },
  { method: 'POST', path: `${S}/Groups`, summary: 'Create a group', body: { schema: ScimGroup.partial().extend({ displayName: z.string() }), required: true }, responses: { 201: sj('The group (`Location` header).', group) } },
  { method: 'GET', path: `${S}/Groups/:id`, summary: 'Read a group', query: projection, responses: { 200: sj('The group.', group) } },
  { method: 'PUT', path: `${S}/Groups/:id`, summary: 'Replace a group', body: { schema: ScimGroup.partial().extend({ displayName: z.string() }), required: true }, responses: { 200: sj('The group.', group) } },
  { method: 'PATCH', path: `${S}/Groups/:id`, summary: 'Patch a group (members added before they exist are resolved when they appear)', query: projection, body: { schema: PatchOp, required: true }, responses: { 200: sj('The group, when asked for.', group), 204: empty('Patched.') } },
  { method: 'DELETE', path: `${S}/Groups/:id`, summary: 'Delete a group', responses: { 204: empty('Deleted.') } },
  { method: 'GET', path: `${S}/ServiceProviderConfig`, summary: 'Service provider configuration (also at /serviceConfiguration)', responses: { 200: sj('The configuration.', ref('ScimServiceProviderConfig')) } },
  { method: 'GET', path: `${S}/Schemas`, summary: 'Schemas (a ListResponse; `id` = schema URN)', responses: { 200: sj('The schemas.', list(ref('ScimSchema'))) } },
  { method: 'GET', path: `${S}/Schemas/:id`, summary: 'One schema', responses: { 200: sj('The schema.', ref('ScimSchema')) } },
  { method: 'GET', path: `${S}/ResourceTypes`, summary: 'Resource types (User first)', responses: { 200: sj('The resource types.', list(ref('ScimResourceType'))) } },
  { method: 'GET', path: `${S}/ResourceTypes/:id`, summary: 'One resource type', responses: { 200: sj('The resource type.', ref('ScimResourceType')) } },
];
