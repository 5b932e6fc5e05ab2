/** The management API's tenancy, Directory Sync, events, sessions and role-mapping operations for the OpenAPI document. */
import * as z from 'zod';
import { AddDomainInput, CreateProductInput, CreateTenantInput, UpdateProductInput, UpdateTenantInput } from '../../tenancy/input.ts';
import { DomainView, ProductView, TenantView } from '../../tenancy/views.ts';
import { CreateDirectoryInput, UpdateDirectoryInput } from '../../directory-sync/directories.ts';
import { DirectoryView, PulledGroup, PulledUser, pulledPage } from '../../directory-sync/directory-view.ts';
import { ReconciliationQuery, ReconciliationRowView, ReconciliationView } from '../../directory-sync/reconciliation.ts';
import { RoleMappingScope, RoleMappingsView, RolePreviewRowView, RolePreviewView, SaveRoleMappingsInput } from '../../directory-sync/role-mappings.ts';
import { ScimRequestPageView, ScimRequestView } from '../../directory-sync/inspector/requests.ts';
import { ProductRoleView, RoleMappingView } from '../../tenancy/views.ts';
import { EndUserInput, SessionListQuery, SessionView } from '../../app-logout/session-admin.ts';
import { data, dataList, empty, json, q, type JsonSchema, type Op } from './spec.ts';


const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const one = (name: string): JsonSchema => ({ type: 'object', properties: { data: ref(name) }, required: ['data'] });
const many = (name: string, cursor?: 'nextCursor' | 'pageToken'): JsonSchema => ({
  type: 'object', properties: { data: { type: 'array', items: ref(name) }, ...(cursor ? { [cursor]: { type: ['string', 'null'] } } : {}) }, required: ['data'],
});
const paging = q('limit', 'after');
/** A webhook event with its delivery state, as the event log answers it (`events/log.ts#toApiEvent`). */
const WebhookEventView = z.looseObject({
  id: z.string(), event: z.string(), directory_id: z.string(), status: z.enum(['pending', 'delivered', 'failed']), delivered: z.boolean(), attempts: z.number().int(),
  webhook_endpoint: z.string(), created_at: z.string(), delivered_at: z.string().nullable(), next_attempt_at: z.string().nullable(), last_status: z.number().int().nullable(), last_error: z.string().nullable(), payload: z.unknown(),
}).meta({ title: 'WebhookEvent' });

export const namedSchemas = {
  Product: ProductView, ProductRole: ProductRoleView, Tenant: TenantView, Domain: DomainView, Directory: DirectoryView, DirectoryUser: PulledUser, DirectoryGroup: PulledGroup,
  AppSession: SessionView, WebhookEvent: WebhookEventView, ScimRequest: ScimRequestView, ScimRequestPage: ScimRequestPageView,
  RoleMapping: RoleMappingView, RoleMappings: RoleMappingsView, RolePreview: RolePreviewView, RolePreviewRow: RolePreviewRowView,
  Reconciliation: ReconciliationView, ReconciliationRow: ReconciliationRowView,
};
const replayed = data(z.object({ replayed: z.number().int() }));
/** Pull and event reads name their directory by id, or by tenant+product. */
const dir = q('directoryId', 'tenant', 'product');
const pullPaging = { ...dir, ...q('pageToken', 'pageOffset', 'pageLimit', 'limit') };

export const tenancyOps: Op[] = [
  { method: 'POST', path: '/api/v1/products', summary: 'Create a product', body: { schema: CreateProductInput }, responses: { 201: json('The product.', one('Product')) } },
  { method: 'GET', path: '/api/v1/products', summary: 'List products', query: paging, responses: { 200: json('A page of products.', many('Product', 'nextCursor')) } },
  { method: 'GET', path: '/api/v1/products/:product', summary: 'Read a product', responses: { 200: json('The product.', one('Product')) } },
  { method: 'PATCH', path: '/api/v1/products/:product', summary: 'Update a product', body: { schema: UpdateProductInput }, responses: { 200: json('The product.', one('Product')) } },
  { method: 'DELETE', path: '/api/v1/products/:product', summary: 'Delete a product', responses: { 204: empty('Deleted.') } },
  { method: 'POST', path: '/api/v1/tenants', summary: 'Create a tenant', body: { schema: CreateTenantInput }, responses: { 201: json('The tenant.', one('Tenant')) } },
  { method: 'GET', path: '/api/v1/tenants', summary: 'List tenants', query: paging, responses: { 200: json('A page of tenants.', many('Tenant', 'nextCursor')) } },
  { method: 'GET', path: '/api/v1/tenants/:tenant', summary: 'Read a tenant', responses: { 200: json('The tenant.', one('Tenant')) } },
  { method: 'PATCH', path: '/api/v1/tenants/:tenant', summary: 'Update a tenant', body: { schema: UpdateTenantInput }, responses: { 200: json('The tenant.', one('Tenant')) } },
  { method: 'DELETE', path: '/api/v1/tenants/:tenant', summary: 'Delete a tenant', responses: { 204: empty('Deleted.') } },
  { method: 'GET', path: '/api/v1/tenants/:tenant/domains', summary: 'A tenant\'s email domains', responses: { 200: json('The domains.', many('Domain')) } },
  { method: 'POST', path: '/api/v1/tenants/:tenant/domains', summary: 'Add an email domain (verified by a DNS TXT record)', body: { schema: AddDomainInput }, responses: { 201: json('The domain, with the TXT record to publish.', one('Domain')) } },
  { method: 'POST', path: '/api/v1/tenants/:tenant/domains/:domain/verify', summary: 'Check a domain\'s TXT record now', responses: { 200: json('The domain.', one('Domain')) } },
  { method: 'DELETE', path: '/api/v1/tenants/:tenant/domains/:domain', summary: 'Remove an email domain', responses: { 204: empty('Removed.') } },
];

export const dsyncOps: Op[] = [
  { method: 'POST', path: '/api/v1/dsync', summary: 'Create a directory (its SCIM secret is shown once, here)', description: 'The webhook may also be given as `webhook: {endpoint, secret}`.', body: { schema: CreateDirectoryInput }, responses: { 201: json('The directory, with `scim.secret`.', one('Directory')) } },
  { method: 'GET', path: '/api/v1/dsync', summary: 'Directories of a tenant+product', query: q('tenant', 'product!'), responses: { 200: json('The directories, newest first.', many('Directory')) } },
  { method: 'GET', path: '/api/v1/dsync/product', summary: 'Directories of a product', query: q('product!'), responses: { 200: json('The directories.', many('Directory')) } },
  { method: 'GET', path: '/api/v1/dsync/:directoryId', summary: 'Read a directory', responses: { 200: json('The directory (no secrets).', one('Directory')) } },
  { method: 'PATCH', path: '/api/v1/dsync/:directoryId', summary: 'Update a directory (name, webhook, deactivation)', body: { schema: UpdateDirectoryInput }, responses: { 200: json('The directory.', one('Directory')) } },
  { method: 'DELETE', path: '/api/v1/dsync/:directoryId', summary: 'Delete a directory', responses: { 200: json('`{data: {}}`.', data(z.object({}))) } },
  { method: 'POST', path: '/api/v1/dsync/:directoryId/scim-secret', summary: 'Rotate the SCIM secret (shown once)', responses: { 200: json('The directory with its new `scim.secret`.', one('Directory')) } },
  { method: 'GET', path: '/api/v1/dsync/:directoryId/requests', summary: 'The SCIM inspector: recent requests to the directory (decision 0027)', query: q('method', 'status', 'since', 'limit', 'cursor'), responses: { 200: json('A page of recorded requests, newest first.', ScimRequestPageView) } },
  { method: 'GET', path: '/api/v1/dsync/users', summary: 'Pull a directory\'s users', query: pullPaging, responses: { 200: json('A page of users.', pulledPage(PulledUser)) } },
  { method: 'GET', path: '/api/v1/dsync/users/:userId', summary: 'Pull one user', query: dir, responses: { 200: json('The user.', one('DirectoryUser')) } },
  { method: 'GET', path: '/api/v1/dsync/groups', summary: 'Pull a directory\'s groups', query: pullPaging, responses: { 200: json('A page of groups.', pulledPage(PulledGroup)) } },
  { method: 'GET', path: '/api/v1/dsync/groups/:groupId', summary: 'Pull one group', query: dir, responses: { 200: json('The group.', one('DirectoryGroup')) } },
  { method: 'GET', path: '/api/v1/dsync/groups/:groupId/members', summary: 'Pull a group\'s members', query: pullPaging, responses: { 200: json('A page of members (`pageToken` continues it).', z.object({ data: z.array(z.object({ user_id: z.string() })), pageToken: z.string().nullable() })) } },
  { method: 'GET', path: '/api/v1/dsync/events', summary: 'A directory\'s webhook events and their deliveries', query: { ...pullPaging, ...q('status') }, responses: { 200: json('A page of events, the cursor, and counts by status.', { type: 'object', properties: { data: { type: 'array', items: ref('WebhookEvent') }, pageToken: { type: ['string', 'null'] }, counts: { type: 'object', additionalProperties: { type: 'integer' } } }, required: ['data', 'pageToken'] }) } },
  { method: 'DELETE', path: '/api/v1/dsync/events', summary: 'Delete a directory\'s event log', query: q('directoryId!'), responses: { 200: json('`{data: null}`.', { type: 'object', properties: { data: { type: 'null' } } }) } },
  { method: 'GET', path: '/api/v1/dsync/events/:eventId', summary: 'One webhook event', responses: { 200: json('The event.', one('WebhookEvent')) } },
  { method: 'POST', path: '/api/v1/dsync/events/:eventId/replay', summary: 'Deliver an event again (same event id)', responses: { 200: json('How many events were queued again.', replayed) } },
  { method: 'POST', path: '/api/v1/dsync/events/:eventId/retry', summary: 'Retry a pending event now', responses: { 200: json('The event, due now.', data(z.object({ id: z.string(), next_attempt_at: z.string().meta({ format: 'date-time' }) }))) } },
  { method: 'POST', path: '/api/v1/dsync/events/replay', summary: 'Replay a directory\'s events (all, or the ids given)', body: { schema: z.object({ directoryId: z.string(), ids: z.array(z.string()).optional() }) }, responses: { 200: json('How many events were queued again.', replayed) } },
];

export const moreOps: Op[] = [
  { method: 'GET', path: '/api/v1/events', summary: 'The vendor event stream (connection lifecycle, certificates, login failures)', query: q('tenant', 'product', 'types', 'after', 'limit'), responses: { 200: json('A page of events and the cursor to continue after.', z.object({ data: z.array(z.looseObject({ id: z.string(), type: z.string(), tenant: z.string().nullable(), product: z.string().nullable(), createdAt: z.string(), data: z.unknown() })), nextCursor: z.string().nullable() })) } },
  { method: 'GET', path: '/api/v1/sessions', summary: 'Open app sessions of a tenant+product (decision 0025)', query: SessionListQuery, responses: { 200: json('A page of sessions.', many('AppSession', 'nextCursor')) } },
  { method: 'POST', path: '/api/v1/sessions/end', summary: 'End every session of a user (by email or sub)', body: { schema: EndUserInput }, responses: { 200: json('How many sessions ended, and which.', { type: 'object', properties: { data: { type: 'object', properties: { ended: { type: 'integer' }, sessions: { type: 'array', items: ref('AppSession') } }, required: ['ended', 'sessions'] } }, required: ['data'] }) } },
  { method: 'GET', path: '/api/v1/sessions/:sid', summary: 'Read an app session', responses: { 200: json('The session.', one('AppSession')) } },
  { method: 'DELETE', path: '/api/v1/sessions/:sid', summary: 'End an app session (tokens refused, back-channel logout sent)', responses: { 204: empty('Ended.') } },
  { method: 'GET', path: '/api/v1/reconciliation', summary: 'SSO sign-ins and directory users side by side (JSON, or CSV with `format=csv`)', query: ReconciliationQuery.extend({ format: z.enum(['json', 'csv']).optional() }), responses: { 200: { description: 'The reconciliation (`text/csv` when asked for).', json: data(ReconciliationView) } } },
  { method: 'GET', path: '/api/v1/role-mappings', summary: 'Group-to-role mappings of a tenant+product', query: RoleMappingScope, responses: { 200: json('The mappings, the product\'s roles and the groups the IdP is known to send.', data(RoleMappingsView)) } },
  { method: 'PUT', path: '/api/v1/role-mappings', summary: 'Replace the group-to-role mappings', body: { schema: SaveRoleMappingsInput }, responses: { 200: json('The mappings, as saved.', data(RoleMappingsView)) } },
  { method: 'POST', path: '/api/v1/role-mappings/preview', summary: 'Dry run of mappings against the directory', body: { schema: SaveRoleMappingsInput }, responses: { 200: json('Who would get which roles.', data(RolePreviewView)) } },
];
