/** The management API's SSO side (`/api/v1/sso*`, `/api/v1/saml/config`, traces, setup links, Identity Federation) for the OpenAPI document. */
import * as z from 'zod';
import { CreateConnectionInput, UpdateConnectionInput } from '../../sso/connection-input.ts';
import { ConnectionView } from '../../sso/connection-view.ts';
import { ConnectionVersionView, DraftInput, VersionSwitchView } from '../../sso/connection-drafts.ts';
import { ConnectionHealthView } from '../../vendor-events/connection-health.ts';
import { ConnectionTestView } from '../../setup-links/tests.ts';
import { VendorTestStartView } from '../../setup-links/draft-tests.ts';
import { JacksonTracePageView, JacksonTraceView } from '../../admin/product-traces.ts';
import { SsoTraceView } from '../../admin/traces.ts';
import { CreateDsyncSetupLinkInput, CreateSsoSetupLinkInput } from '../../setup-links/input.ts';
import { SetupProgressView, SetupLinkView } from '../../setup-links/view.ts';
import { CreatePortalLinkInput } from '../../portal/links.ts';
import { CreateAppInput, CreateOidcAppInput, FederationOidcAppView, FederationSamlAppView, UpdateAppInput, UpdateOidcAppInput } from '../../federation/app-input.ts';
import { data, dataList, empty, json, jsonSchemaOf, q, type Op } from './spec.ts';

const byClient = q('clientID!');
const selector = q('tenant', 'product', 'clientID', 'sort');
const connectionList = { type: 'array', items: { $ref: '#/components/schemas/Connection' } };
const connection = { $ref: '#/components/schemas/Connection' };
const clientIdBody = z.object({ clientID: z.string() });
const linkId = z.object({ id: z.string() });

export const namedSchemas = {
  Connection: ConnectionView, ConnectionHealth: ConnectionHealthView, ConnectionVersion: ConnectionVersionView, VersionSwitch: VersionSwitchView,
  ConnectionTest: ConnectionTestView, VendorTestStart: VendorTestStartView, SsoTrace: SsoTraceView, JacksonSsoTrace: JacksonTraceView,
  SetupLink: SetupLinkView, SetupProgress: SetupProgressView, FederationSamlApp: FederationSamlAppView, FederationOidcApp: FederationOidcAppView,
};
/** `{data: {}}`, Jackson's answer to a delete. */
const emptyData = data(z.object({}));
const federationApp = z.union([FederationSamlAppView, FederationOidcAppView]);

export const ssoOps: Op[] = [
  { method: 'POST', path: '/api/v1/sso', summary: 'Create a SAML or OIDC connection', description: 'Jackson answers 200 to a create (new, or updated in place). `redirectUrl` is an array or a JSON-array string.', body: { schema: CreateConnectionInput }, responses: { 200: json('The connection, with `clientSecret`.', connection) }, aliases: ['/api/v1/saml/config'] },
  { method: 'GET', path: '/api/v1/sso', summary: 'List connections of a tenant+product (or one by clientID)', query: selector, responses: { 200: json('The connections; OIDC ones never echo `oidcClientSecret`.', connectionList) } },
  { method: 'PATCH', path: '/api/v1/sso', summary: 'Update a connection', body: { schema: UpdateConnectionInput }, responses: { 204: empty('Updated.') }, aliases: ['/api/v1/saml/config'] },
  { method: 'DELETE', path: '/api/v1/sso', summary: 'Delete connections (by clientID+clientSecret, or tenant+product)', query: q('clientID', 'clientSecret', 'tenant', 'product'), responses: { 204: empty('Deleted.') }, aliases: ['/api/v1/saml/config'] },
  { method: 'GET', path: '/api/v1/saml/config', summary: 'Jackson\'s legacy read: the newest connection, or `{}`', query: selector, responses: { 200: json('One connection, or `{}` when there is none.', { anyOf: [connection, { type: 'object', maxProperties: 0 }] }) } },
  { method: 'GET', path: '/api/v1/sso/links', summary: 'One-click and invite login links of a tenant+product', query: q('tenant!', 'product'), responses: { 200: json('The links.', data(z.object({ oneClickUrl: z.string(), inviteUrl: z.string() }))) } },
  { method: 'GET', path: '/api/v1/sso/health', summary: 'A connection\'s health at a glance (decision 0022)', query: byClient, responses: { 200: json('Health.', data(ConnectionHealthView)) } },
  { method: 'GET', path: '/api/v1/sso/exists', summary: 'Whether a connection matches', query: selector, responses: { 204: empty('At least one connection matches.'), 404: json('None matches (`{}`).', z.object({})) }, aliases: ['/api/v1/saml/config/exists'] },
  { method: 'GET', path: '/api/v1/sso/product', summary: 'Connections of a product, across tenants', query: q('product!', 'pageOffset', 'pageLimit'), responses: { 200: json('The connections.', connectionList) } },
  { method: 'GET', path: '/api/v1/sso/drafts', summary: 'A connection\'s draft version (decision 0020)', query: byClient, responses: { 200: json('The draft (404 when there is none).', data(ConnectionVersionView)) } },
  { method: 'POST', path: '/api/v1/sso/drafts', summary: 'Save a draft of the IdP side of a connection', body: { schema: DraftInput }, responses: { 200: json('The draft, updated.', data(ConnectionVersionView)), 201: json('The draft, created.', data(ConnectionVersionView)) } },
  { method: 'DELETE', path: '/api/v1/sso/drafts', summary: 'Discard a connection\'s draft', query: byClient, responses: { 204: empty('Discarded.') } },
  { method: 'POST', path: '/api/v1/sso/drafts/test', summary: 'Start a test sign-in with the draft', body: { schema: clientIdBody }, responses: { 201: json('The test, with the URL to open.', data(VendorTestStartView)) } },
  { method: 'POST', path: '/api/v1/sso/drafts/promote', summary: 'Promote the draft to the live version', body: { schema: clientIdBody }, responses: { 200: json('The promoted version.', data(VersionSwitchView)) } },
  { method: 'POST', path: '/api/v1/sso/rollback', summary: 'Roll a connection back to its previous version', body: { schema: clientIdBody }, responses: { 200: json('The version now live.', data(VersionSwitchView)) } },
  { method: 'GET', path: '/api/v1/sso/versions', summary: 'A connection\'s versions', query: byClient, responses: { 200: json('The versions, newest first.', dataList(ConnectionVersionView)) } },
  { method: 'GET', path: '/api/v1/sso/tests/:testId', summary: 'A test sign-in\'s result', responses: { 200: json('The result, with a plain-language diagnosis.', data(ConnectionTestView)) } },
  { method: 'POST', path: '/api/v1/sso/test', summary: 'Start a test sign-in with the live version (decision 0022)', body: { schema: clientIdBody }, responses: { 201: json('The test, with the URL to open.', data(VendorTestStartView)) } },

  { method: 'GET', path: '/api/v1/sso-traces', summary: 'One SSO trace', query: q('id!'), responses: { 200: json('The trace.', data(JacksonTraceView)) } },
  { method: 'GET', path: '/api/v1/sso-traces/product', summary: 'SSO traces of a product', query: q('product!', 'pageOffset', 'pageLimit', 'pageToken'), responses: { 200: json('A page of traces (`pageToken` continues it).', JacksonTracePageView) } },
  { method: 'DELETE', path: '/api/v1/sso-traces/product', summary: 'Delete a product\'s SSO traces', query: q('product!'), responses: { 204: empty('Deleted.') } },
  { method: 'GET', path: '/api/v1/sso-traces/product/count', summary: 'Count a product\'s SSO traces', query: q('product!'), responses: { 200: json('The count.', z.object({ count: z.number().int() })) } },

  ...(['sso', 'dsync'] as const).flatMap((s): Op[] => {
    const what = s === 'sso' ? 'SSO' : 'Directory Sync';
    const link = { $ref: '#/components/schemas/SetupLink' };
    return [
      { method: 'POST', path: `/api/v1/${s}/setuplinks`, summary: `Create a ${what} setup link`, body: { schema: s === 'sso' ? CreateSsoSetupLinkInput : CreateDsyncSetupLinkInput }, responses: { 200: json('The existing live link (unless `regenerate`).', { type: 'object', properties: { data: link }, required: ['data'] }), 201: json('The link, created.', { type: 'object', properties: { data: link }, required: ['data'] }) } },
      { method: 'GET', path: `/api/v1/${s}/setuplinks`, summary: `Read a ${what} setup link (by id, or tenant+product)`, query: q('id', 'tenant', 'product'), responses: { 200: json('The link.', { type: 'object', properties: { data: link }, required: ['data'] }) } },
      { method: 'GET', path: `/api/v1/${s}/setuplinks/product`, summary: `${what} setup links of a product`, query: q('product!', 'tenant', 'status', 'pageOffset', 'pageLimit'), responses: { 200: json('A page of links.', { type: 'object', properties: { data: { type: 'array', items: link } }, required: ['data'] }) } },
      { method: 'POST', path: `/api/v1/${s}/setuplinks/regenerate`, summary: `Regenerate a ${what} setup link (the old URL stops working at once)`, body: { schema: linkId }, responses: { 200: json('The link with its new URL.', { type: 'object', properties: { data: link }, required: ['data'] }) } },
      { method: 'DELETE', path: `/api/v1/${s}/setuplinks`, summary: `Delete a ${what} setup link`, query: q('id', 'tenant', 'product'), responses: { 200: json('`{data: {}}`.', emptyData) } },
    ];
  }),

  {
    method: 'POST', path: '/api/v1/portal/links', summary: 'Create a single-use link to the embeddable portal for one tenant, product and intent (decision 0033)', body: { schema: CreatePortalLinkInput },
    responses: { 201: json('The URL (opened once; again: 410) and when it expires.', data(z.object({ url: z.string(), expiresAt: z.string() }))) },
  },

  { method: 'POST', path: '/api/v1/identity-federation', summary: 'Create an Identity Federation app (SAML or OIDC; decision 0015)', body: { schema: { anyOf: [CreateAppInput, CreateOidcAppInput].map((s) => jsonSchemaOf(s, 'input')) } }, responses: { 201: json('The app.', data(federationApp)) } },
  { method: 'GET', path: '/api/v1/identity-federation', summary: 'Read an Identity Federation app', query: q('id', 'tenant', 'product'), responses: { 200: json('The app.', data(federationApp)) } },
  { method: 'PATCH', path: '/api/v1/identity-federation', summary: 'Update an Identity Federation app', body: { schema: { anyOf: [UpdateAppInput, UpdateOidcAppInput].map((s) => jsonSchemaOf(s, 'input')) } }, responses: { 200: json('The app.', data(federationApp)) } },
  { method: 'DELETE', path: '/api/v1/identity-federation', summary: 'Delete an Identity Federation app', query: q('id', 'tenant', 'product'), responses: { 200: json('`{data: {}}`.', emptyData) } },
  { method: 'GET', path: '/api/v1/identity-federation/product', summary: 'Identity Federation apps of a product', query: q('product!', 'pageOffset', 'pageLimit'), responses: { 200: json('The apps.', dataList(federationApp)) } },
  { method: 'GET', path: '/api/v1/identity-federation/metadata', summary: 'The federation IdP\'s metadata, as XML and its parts', query: q('appId'), responses: { 200: json('The metadata.', data(z.object({ xml: z.string(), entityId: z.string(), ssoUrl: z.string(), x509cert: z.string() }))) } },
];
