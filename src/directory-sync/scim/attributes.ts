/**
 * The SCIM attribute catalog (RFC 7643 core User with the enterprise extension, and Group): canonical
 * spellings, so that what IdPs send in any case (`Primary`, `name.FamilyName`, `Department`) is stored
 * and matched under one name. Pure.
 */

export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export type ResourceKind = 'User' | 'Group';

const MULTI_SUB = ['value', 'display', 'type', 'primary', '$ref'];

/** Top-level attributes of a User; complex ones list their sub-attributes. */
const USER_ATTRS: Record<string, string[] | null> = {
  userName: null,
  name: ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'],
  displayName: null,
  nickName: null,
  profileUrl: null,
  title: null,
  userType: null,
  preferredLanguage: null,
  locale: null,
  timezone: null,
  active: null,
  password: null,
  emails: MULTI_SUB,
  phoneNumbers: MULTI_SUB,
  ims: MULTI_SUB,
  photos: MULTI_SUB,
  addresses: ['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country', 'type', 'primary'],
  groups: MULTI_SUB,
  entitlements: MULTI_SUB,
  roles: MULTI_SUB,
  x509Certificates: MULTI_SUB,
  externalId: null,
  id: null,
  meta: ['resourceType', 'created', 'lastModified', 'location', 'version'],
  schemas: null,
};

const ENTERPRISE_ATTRS: Record<string, string[] | null> = {
  employeeNumber: null,
  costCenter: null,
  organization: null,
  division: null,
  department: null,
  manager: ['value', '$ref', 'displayName'],
};

const GROUP_ATTRS: Record<string, string[] | null> = {
  displayName: null,
  members: ['value', '$ref', 'display', 'type'],
  externalId: null,
  id: null,
  meta: ['resourceType', 'created', 'lastModified', 'location', 'version'],
  schemas: null,
};

/** Multi-valued attributes (arrays of objects). */
export const MULTI_VALUED = new Set(['emails', 'phoneNumbers', 'ims', 'photos', 'addresses', 'groups', 'entitlements', 'roles', 'x509Certificates', 'members']);

const lowerIndex = (names: Iterable<string>) => new Map([...names].map((n) => [n.toLowerCase(), n]));
const USER_INDEX = lowerIndex(Object.keys(USER_ATTRS));
const ENTERPRISE_INDEX = lowerIndex(Object.keys(ENTERPRISE_ATTRS));
const GROUP_INDEX = lowerIndex(Object.keys(GROUP_ATTRS));
const SUB_INDEX = new Map<string, Map<string, string>>(
  [...Object.entries(USER_ATTRS), ...Object.entries(ENTERPRISE_ATTRS), ...Object.entries(GROUP_ATTRS)]
    .filter(([, subs]) => subs)
    .map(([name, subs]) => [name, lowerIndex(subs!)]),
);

/** A resolved attribute path: which schema, and the canonical segments (`['name', 'familyName']`). */
export interface AttrRef {
  schema: 'core' | 'enterprise';
  path: string[];
}

/** The canonical spelling of a top-level attribute (unknown names are kept as sent). */
export function canonicalTop(kind: ResourceKind, name: string, schema: AttrRef['schema'] = 'core'): string {
  const index = schema === 'enterprise' ? ENTERPRISE_INDEX : kind === 'User' ? USER_INDEX : GROUP_INDEX;
  return index.get(name.toLowerCase()) ?? name;
}

/** The canonical spelling of a sub-attribute of `parent`. */
export function canonicalSub(parent: string, name: string): string {
  return SUB_INDEX.get(parent)?.get(name.toLowerCase()) ?? (name.toLowerCase() === '$ref' ? '$ref' : name);
}

/** True when `name` is an enterprise-extension attribute and not a core one (Entra sends `manager` without the URN). */
export const isBareEnterpriseAttr = (kind: ResourceKind, name: string) =>
  kind === 'User' && !USER_INDEX.has(name.toLowerCase()) && ENTERPRISE_INDEX.has(name.toLowerCase());

export const isEnterpriseUrn = (s: string) => s.toLowerCase() === ENTERPRISE_USER.toLowerCase();

/**
 * Resolves `userName`, `name.FamilyName`, `emails.Value`, `urn:…:core:2.0:User:userName`,
 * `urn:…:enterprise:2.0:User:manager.value`. Returns null for a URN of a schema we do not know.
 */
export function resolveAttrPath(kind: ResourceKind, raw: string): AttrRef | null {
  let schema: AttrRef['schema'] = 'core';
  let rest = raw;
  if (/^urn:/i.test(raw)) {
    const lower = raw.toLowerCase();
    const core = (kind === 'User' ? CORE_USER : CORE_GROUP).toLowerCase();
    if (lower.startsWith(`${ENTERPRISE_USER.toLowerCase()}:`) && kind === 'User') {
      schema = 'enterprise';
      rest = raw.slice(ENTERPRISE_USER.length + 1);
    } else if (lower.startsWith(`${core}:`)) {
      rest = raw.slice(core.length + 1);
    } else return null;
  }
  const segs = rest.split('.').filter(Boolean);
  if (segs.length === 0) return null;
  const top = canonicalTop(kind, segs[0]!, schema);
  return { schema, path: [top, ...segs.slice(1).map((s) => canonicalSub(top, s))] };
}

/** True for a plain JSON object. */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** "True"/"False" (any case) as booleans, the way Entra and Microsoft's tests send them. */
export function coerceBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const l = v.trim().toLowerCase();
    if (l === 'true') return true;
    if (l === 'false') return false;
  }
  return undefined;
}

/** Canonicalises the keys of one value of a complex attribute (`Primary` → `primary`, `"True"` → true). */
function canonicalComplex(parent: string, value: unknown): unknown {
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue;
    const key = canonicalSub(parent, k);
    out[key] = key === 'primary' ? (coerceBoolean(v) ?? v) : v;
  }
  return out;
}

/** Canonicalises one top-level attribute's value. */
export function canonicalValue(name: string, value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined).map((v) => canonicalComplex(name, v));
  if (isObject(value)) return canonicalComplex(name, value);
  return value;
}

/**
 * Canonicalises a whole resource body: known names in their RFC spelling, nulls dropped (RFC 7643 §2.5:
 * null means unassigned), the enterprise extension under its URN with canonical keys.
 */
export function canonicalResource(kind: ResourceKind, body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (v === null || v === undefined) continue;
    if (kind === 'User' && isEnterpriseUrn(k)) {
      if (!isObject(v)) continue;
      const ext: Record<string, unknown> = { ...(isObject(out[ENTERPRISE_USER]) ? (out[ENTERPRISE_USER] as Record<string, unknown>) : {}) };
      for (const [ek, evalue] of Object.entries(v)) {
        if (evalue === null || evalue === undefined) continue;
        const name = canonicalTop(kind, ek, 'enterprise');
        ext[name] = canonicalValue(name, evalue);
      }
      out[ENTERPRISE_USER] = ext;
      continue;
    }
    const name = canonicalTop(kind, k);
    out[name] = canonicalValue(name, v);
  }
  return out;
}
