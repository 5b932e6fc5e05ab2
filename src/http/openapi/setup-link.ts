/**
 * The setup-link API (`/api/setup/:token/…`) for the OpenAPI document. The token in the path is the only
 * credential (OpenAPI has no path-parameter security scheme, so it is a described parameter and `security: []`).
 */
import * as z from 'zod';
import { CreateConnectionInput, UpdateConnectionInput } from '../../sso/connection-input.ts';
import { ConnectionVersionView, DraftInput, VersionSwitchView } from '../../sso/connection-drafts.ts';
import { ConnectionHealthView } from '../../vendor-events/connection-health.ts';
import { ConnectionTestView } from '../../setup-links/tests.ts';
import { DirectoryActivityView, LinkDirectoryView } from '../../setup-links/view.ts';
import { ScimRequestPageView } from '../../directory-sync/inspector/requests.ts';
import { DIRECTORY_TYPES } from '../../directory-sync/directories.ts';
import { RoleMappingsBody, RoleMappingsView, RolePreviewView } from '../../directory-sync/role-mappings.ts';
import { data, dataList, empty, json, page, q, type JsonSchema, type Op } from './spec.ts';

/** What the link fixes (tenant, product, redirect URLs) is not part of the body: sent, it is ignored or refused. */
const LinkConnectionInput = CreateConnectionInput.omit({ tenant: true, product: true, defaultRedirectUrl: true, redirectUrl: true });
const LinkConnectionUpdate = UpdateConnectionInput.omit({ tenant: true, product: true, defaultRedirectUrl: true, redirectUrl: true, clientSecret: true });
const connection: JsonSchema = { $ref: '#/components/schemas/Connection' };
const oneConnection: JsonSchema = { type: 'object', properties: { data: connection }, required: ['data'] };
const directory = data(LinkDirectoryView);
const SP = z.object({ entityId: z.string(), acsUrl: z.string(), sloUrl: z.string(), metadataUrl: z.string(), metadataDownloadUrl: z.string(), certificateUrl: z.string(), oidcRedirectUri: z.string() });

export const namedSchemas = { LinkDirectory: LinkDirectoryView, DirectoryActivity: DirectoryActivityView };

export const LinkInfo = z.object({
  service: z.enum(['sso', 'dsync']), tenant: z.string(), product: z.string(), productName: z.string(), name: z.string(), description: z.string(), validTill: z.number().int(),
  sp: SP.optional(), redirectUrl: z.array(z.string()).optional(), tested: z.boolean().optional(), intent: z.enum(['setup', 'certificate_renewal']).optional(), clientID: z.string().nullable().optional(),
}).meta({ title: 'SetupLinkInfo' });

const T = '/api/setup/:token';

export const setupLinkOps: Op[] = [
  { method: 'GET', path: T, summary: 'What the link is for: service, tenant, product, and the SP values to give the IdP', responses: { 200: json('The link.', data(LinkInfo)) } },

  { method: 'GET', path: `${T}/sso-connection`, summary: 'The tenant+product\'s connections (never a client secret)', responses: { 200: json('The connections.', { type: 'object', properties: { data: { type: 'array', items: connection } }, required: ['data'] }) } },
  { method: 'GET', path: `${T}/sso-connection/:clientID`, summary: 'One connection', responses: { 200: json('The connection.', oneConnection) } },
  { method: 'GET', path: `${T}/sso-connection/:clientID/health`, summary: 'A connection\'s health', responses: { 200: json('Health.', data(ConnectionHealthView)) } },
  { method: 'POST', path: `${T}/sso-connection`, summary: 'Create a connection for the link\'s tenant+product', body: { schema: LinkConnectionInput }, responses: { 200: json('Updated in place.', oneConnection), 201: json('Created.', oneConnection) } },
  { method: 'PATCH', path: `${T}/sso-connection`, summary: 'Update a connection (`clientID` in the body)', body: { schema: LinkConnectionUpdate }, responses: { 200: json('The connection.', oneConnection) } },
  { method: 'DELETE', path: `${T}/sso-connection`, summary: 'Delete a connection', query: q('clientID!'), responses: { 204: empty('Deleted.') } },
  { method: 'POST', path: `${T}/sso-connection/:clientID/test`, summary: 'Start a live test sign-in', responses: { 201: json('The test and the URL to open.', data(z.object({ testId: z.string(), url: z.string() }))) } },
  { method: 'GET', path: `${T}/tests/:testId/start`, summary: 'Open a test sign-in: on to the IdP', responses: { 200: page('An auto-posting form to the IdP.'), 302: { description: 'To the IdP.', kind: 'redirect' } } },
  { method: 'GET', path: `${T}/tests/:testId`, summary: 'A test sign-in\'s result and plain-language diagnosis', responses: { 200: json('The result.', data(ConnectionTestView)) } },
  { method: 'GET', path: `${T}/links`, summary: 'The one-click and invite login links to hand to users', responses: { 200: json('The links.', data(z.object({ oneClickUrl: z.string(), inviteUrl: z.string(), tested: z.boolean() }))) } },
  { method: 'GET', path: `${T}/sso-connection/:clientID/draft`, summary: 'The connection\'s draft', responses: { 200: json('The draft (404 when there is none).', data(ConnectionVersionView)) } },
  { method: 'POST', path: `${T}/sso-connection/:clientID/draft`, summary: 'Save a draft', body: { schema: DraftInput.omit({ clientID: true, clientSecret: true }) }, responses: { 200: json('Updated.', data(ConnectionVersionView)), 201: json('Created.', data(ConnectionVersionView)) } },
  { method: 'DELETE', path: `${T}/sso-connection/:clientID/draft`, summary: 'Discard the draft', responses: { 204: empty('Discarded.') } },
  { method: 'POST', path: `${T}/sso-connection/:clientID/draft/test`, summary: 'Test the draft', responses: { 201: json('The test, the draft version under test and the URL to open.', data(z.object({ testId: z.string(), version: z.number().int(), url: z.string() }))) } },
  { method: 'POST', path: `${T}/sso-connection/:clientID/draft/promote`, summary: 'Promote the draft', responses: { 200: json('The version now live.', data(VersionSwitchView)) } },
  { method: 'POST', path: `${T}/sso-connection/:clientID/rollback`, summary: 'Roll back to the previous version', responses: { 200: json('The version now live.', data(VersionSwitchView)) } },
  { method: 'GET', path: `${T}/sso-connection/:clientID/versions`, summary: 'The connection\'s versions', responses: { 200: json('The versions, newest first.', dataList(ConnectionVersionView)) } },

  { method: 'GET', path: `${T}/directory-sync`, summary: 'The tenant+product\'s directories', responses: { 200: json('The directories (no secrets), with their activity.', dataList(LinkDirectoryView)) } },
  { method: 'GET', path: `${T}/directory-sync/:id`, summary: 'One directory', responses: { 200: json('The directory.', directory) } },
  { method: 'GET', path: `${T}/directory-sync/:id/requests`, summary: 'The SCIM inspector for the directory', query: q('method', 'status', 'since', 'limit', 'cursor'), responses: { 200: json('A page of recorded requests, newest first.', ScimRequestPageView) } },
  { method: 'POST', path: `${T}/directory-sync`, summary: 'Create a directory (its SCIM secret is shown once, here)', body: { schema: z.object({ name: z.string().max(200).optional(), type: z.enum(DIRECTORY_TYPES).optional() }) }, responses: { 201: json('The directory with `scim.secret`.', directory) } },
  { method: 'POST', path: `${T}/directory-sync/:id/rotate-secret`, summary: 'Rotate the SCIM secret (shown once)', responses: { 200: json('The directory with its new `scim.secret`.', directory) } },
  { method: 'DELETE', path: `${T}/directory-sync/:id`, summary: 'Delete a directory', responses: { 204: empty('Deleted.') } },

  { method: 'GET', path: `${T}/role-mappings`, summary: 'Group-to-role mappings of the link\'s tenant+product', responses: { 200: json('The mappings.', data(RoleMappingsView)) } },
  { method: 'PUT', path: `${T}/role-mappings`, summary: 'Replace the mappings', body: { schema: RoleMappingsBody }, responses: { 200: json('The mappings.', data(RoleMappingsView)) } },
  { method: 'POST', path: `${T}/role-mappings/preview`, summary: 'Dry run of mappings', body: { schema: RoleMappingsBody }, responses: { 200: json('Who would get which roles.', data(RolePreviewView)) } },
];
