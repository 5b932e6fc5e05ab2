/**
 * The static SCIM discovery documents (RFC 7643 §5–7): ServiceProviderConfig, ResourceTypes and
 * Schemas. Built once at load; only `meta.location` depends on the directory.
 */
import * as z from 'zod';
import { CORE_GROUP, CORE_USER, ENTERPRISE_USER, LIST_RESPONSE } from './attributes.ts';
import { MAX_COUNT } from './list.ts';

type Attr = Record<string, unknown>;

const attr = (name: string, over: Attr = {}): Attr => ({
  name, type: 'string', multiValued: false, description: '', required: false, caseExact: false,
  mutability: 'readWrite', returned: 'default', uniqueness: 'none', ...over,
});
const sub = (names: string[], over: Record<string, Attr> = {}) => names.map((n) => attr(n, over[n] ?? {}));
const multi = (name: string, subs: string[] = ['value', 'display', 'type', 'primary']) =>
  attr(name, { type: 'complex', multiValued: true, subAttributes: sub(subs, { primary: { type: 'boolean' } }) });

const USER_SCHEMA = {
  id: CORE_USER,
  name: 'User',
  description: 'User Account',
  attributes: [
    attr('userName', { required: true, uniqueness: 'server' }),
    attr('name', { type: 'complex', subAttributes: sub(['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix']) }),
    ...['displayName', 'nickName', 'profileUrl', 'title', 'userType', 'preferredLanguage', 'locale', 'timezone'].map((n) => attr(n)),
    attr('active', { type: 'boolean' }),
    attr('password', { mutability: 'writeOnly', returned: 'never' }),
    multi('emails'), multi('phoneNumbers'), multi('ims'), multi('photos'),
    attr('addresses', { type: 'complex', multiValued: true, subAttributes: sub(['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country', 'type', 'primary'], { primary: { type: 'boolean' } }) }),
    attr('groups', { type: 'complex', multiValued: true, mutability: 'readOnly', subAttributes: sub(['value', '$ref', 'display', 'type']) }),
    multi('entitlements'), multi('roles'), multi('x509Certificates'),
  ],
};

const ENTERPRISE_SCHEMA = {
  id: ENTERPRISE_USER,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    ...['employeeNumber', 'costCenter', 'organization', 'division', 'department'].map((n) => attr(n)),
    attr('manager', { type: 'complex', subAttributes: sub(['value', '$ref', 'displayName']) }),
  ],
};

const GROUP_SCHEMA = {
  id: CORE_GROUP,
  name: 'Group',
  description: 'Group',
  attributes: [
    attr('displayName', { required: true }),
    attr('members', { type: 'complex', multiValued: true, subAttributes: sub(['value', '$ref', 'display', 'type']) }),
  ],
};

const SCHEMAS = [USER_SCHEMA, ENTERPRISE_SCHEMA, GROUP_SCHEMA];

const RESOURCE_TYPES = [
  { schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'], id: 'User', name: 'User', endpoint: '/Users', description: 'User Account', schema: CORE_USER, schemaExtensions: [{ schema: ENTERPRISE_USER, required: false }] },
  { schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'], id: 'Group', name: 'Group', endpoint: '/Groups', description: 'Group', schema: CORE_GROUP, schemaExtensions: [] },
];

const SERVICE_PROVIDER_CONFIG = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
  documentationUri: 'https://gatehouse.dev/docs/directory-sync',
  patch: { supported: true },
  bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
  filter: { supported: true, maxResults: MAX_COUNT },
  changePassword: { supported: false },
  sort: { supported: false },
  etag: { supported: false },
  authenticationSchemes: [{ type: 'oauthbearertoken', name: 'OAuth Bearer Token', description: 'The directory\'s SCIM secret as a bearer token.', primary: true }],
};

const list = <T>(resources: T[]) => ({ schemas: [LIST_RESPONSE], totalResults: resources.length, startIndex: 1, itemsPerPage: resources.length, Resources: resources });

export const serviceProviderConfig = (base: string) => ({ ...SERVICE_PROVIDER_CONFIG, meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` } });

export const resourceTypes = (base: string) => list(RESOURCE_TYPES.map((r) => ({ ...r, meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/${r.id}` } })));

export const schemas = (base: string) => list(SCHEMAS.map((s) => ({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'], ...s, meta: { resourceType: 'Schema', location: `${base}/Schemas/${s.id}` } })));

export const schemaById = (base: string, id: string) => schemas(base).Resources.find((s) => s.id.toLowerCase() === id.toLowerCase());
export const resourceTypeById = (base: string, id: string) => resourceTypes(base).Resources.find((r) => r.id.toLowerCase() === id.toLowerCase());

// The documents above as zod views, for the OpenAPI document (decision 0041): fixed by this file, so closed.
const scimMeta = z.object({ resourceType: z.string(), location: z.string() });
const SubAttributeView = z.object({
  name: z.string(), type: z.string(), multiValued: z.boolean(), description: z.string(), required: z.boolean(), caseExact: z.boolean(),
  mutability: z.string(), returned: z.string(), uniqueness: z.string(),
});
const AttributeView = SubAttributeView.extend({ subAttributes: z.array(SubAttributeView).optional() });
export const ScimSchemaView = z.object({ schemas: z.array(z.string()), id: z.string().describe('The schema URN.'), name: z.string(), description: z.string(), attributes: z.array(AttributeView), meta: scimMeta }).meta({ title: 'ScimSchema' });
export const ScimResourceTypeView = z.object({
  schemas: z.array(z.string()), id: z.string(), name: z.string(), endpoint: z.string(), description: z.string(), schema: z.string(),
  schemaExtensions: z.array(z.object({ schema: z.string(), required: z.boolean() })), meta: scimMeta,
}).meta({ title: 'ScimResourceType' });
const supported = z.object({ supported: z.boolean() });
export const ScimServiceProviderConfigView = z.object({
  schemas: z.array(z.string()), documentationUri: z.string(), patch: supported, bulk: supported.extend({ maxOperations: z.number().int(), maxPayloadSize: z.number().int() }),
  filter: supported.extend({ maxResults: z.number().int() }), changePassword: supported, sort: supported, etag: supported,
  authenticationSchemes: z.array(z.object({ type: z.string(), name: z.string(), description: z.string(), primary: z.boolean() })), meta: scimMeta,
}).meta({ title: 'ScimServiceProviderConfig' });
