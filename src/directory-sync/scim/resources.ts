/**
 * SCIM resources in and out: reading a User or Group body into the attributes we store (canonical
 * names, string booleans coerced, read-only and secret attributes dropped), rendering stored rows as
 * SCIM JSON, and `attributes` / `excludedAttributes` projection. Pure.
 */
import { GatehouseError } from '../../errors.ts';
import type { DirectoryUserRow, DirectoryGroupRow } from '../../storage/index.ts';
import type { MemberView } from '../../storage/repositories/directory-groups.ts';
import {
  CORE_GROUP, CORE_USER, ENTERPRISE_USER, canonicalResource, coerceBoolean, isObject, resolveAttrPath, type ResourceKind,
} from './attributes.ts';
import { readMembers, type MemberInput } from './patch.ts';

const invalidValue = (detail: string): never => {
  throw new GatehouseError('SCIM_INVALID_VALUE', detail);
};

/** Attributes never stored: read-only ones the server computes, and the password (Okta sends one; we never keep it). */
const NOT_STORED = new Set(['id', 'meta', 'schemas', 'groups', 'password', 'members']);
const MAX_KEY = 191;

export interface UserValues {
  userName: string;
  userNameKey: string;
  externalId: string | null;
  displayName: string | null;
  active: boolean;
  /** Everything stored, canonical, including userName/active/externalId/displayName. */
  attrs: Record<string, unknown>;
}

const optionalString = (v: unknown, name: string, max = Infinity): string | null => {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' && typeof v !== 'number') return invalidValue(`"${name}" must be a string.`);
  const s = String(v);
  if (s.length > max) invalidValue(`"${name}" is longer than ${max} characters.`);
  return s;
};

/** Validates stored-form attributes of a user (after a POST/PUT body was canonicalised or a PATCH applied). */
export function userValues(attrs: Record<string, unknown>): UserValues {
  const userName = attrs.userName;
  if (typeof userName !== 'string' || userName.trim() === '') invalidValue('"userName" is required.');
  const un = (userName as string).trim();
  if (un.length > MAX_KEY) invalidValue(`"userName" is longer than ${MAX_KEY} characters.`);
  let active = true;
  if (attrs.active !== undefined) {
    const b = coerceBoolean(attrs.active);
    if (b === undefined) invalidValue('"active" must be a boolean.');
    active = b!;
  }
  const out = { ...attrs, userName: un, active };
  const externalId = optionalString(attrs.externalId, 'externalId', MAX_KEY);
  const displayName = optionalString(attrs.displayName, 'displayName');
  return { userName: un, userNameKey: un.toLowerCase(), externalId, displayName, active, attrs: out };
}

/** Reads a POST/PUT User body. */
export function readUserBody(body: unknown): UserValues {
  if (!isObject(body)) throw new GatehouseError('SCIM_INVALID_SYNTAX', 'The body must be a JSON object.');
  const attrs = canonicalResource('User', body);
  for (const k of NOT_STORED) delete attrs[k];
  return userValues(attrs);
}

export interface GroupValues {
  displayName: string;
  externalId: string | null;
  attrs: Record<string, unknown>;
}

export function groupValues(attrs: Record<string, unknown>): GroupValues {
  const dn = attrs.displayName;
  if (typeof dn !== 'string' || dn.trim() === '') invalidValue('"displayName" is required.');
  const externalId = optionalString(attrs.externalId, 'externalId', MAX_KEY);
  return { displayName: dn as string, externalId, attrs: { ...attrs } };
}

/** Reads a POST/PUT Group body; `members` is undefined when the body does not carry the attribute. */
export function readGroupBody(body: unknown): GroupValues & { members: MemberInput[] | undefined } {
  if (!isObject(body)) throw new GatehouseError('SCIM_INVALID_SYNTAX', 'The body must be a JSON object.');
  const attrs = canonicalResource('Group', body);
  const rawMembers = attrs.members;
  for (const k of NOT_STORED) delete attrs[k];
  const members = rawMembers === undefined ? undefined : Array.isArray(rawMembers) ? dedupe(readMembers(rawMembers)) : invalidValue('"members" must be an array.');
  return { ...groupValues(attrs), members };
}

export function dedupe(members: MemberInput[]): MemberInput[] {
  const seen = new Map<string, MemberInput>();
  for (const m of members) if (!seen.has(m.value)) seen.set(m.value, m);
  return [...seen.values()];
}

const iso = (ms: number) => new Date(ms).toISOString();

export interface UserGroup {
  value: string;
  display: string;
}

/** A stored user as a SCIM User resource. */
export function renderUser(row: DirectoryUserRow, groups: UserGroup[], base: string): Record<string, unknown> {
  const attrs = JSON.parse(row.raw) as Record<string, unknown>;
  return {
    schemas: ENTERPRISE_USER in attrs ? [CORE_USER, ENTERPRISE_USER] : [CORE_USER],
    id: row.id,
    ...attrs,
    groups: groups.map((g) => ({ value: g.value, display: g.display, $ref: `${base}/Groups/${g.value}` })),
    meta: { resourceType: 'User', created: iso(row.created_at), lastModified: iso(row.updated_at), location: `${base}/Users/${row.id}`, version: `W/"${row.version}"` },
  };
}

/**
 * The same User as JSON text, without parsing the stored JSON: the default path of list pages.
 * Equal to JSON.stringify(renderUser(…)).
 */
export function renderUserJson(row: DirectoryUserRow, groups: UserGroup[], base: string): string {
  const enterprise = row.raw.includes(`"${ENTERPRISE_USER}"`);
  const inner = row.raw.length > 2 ? `${row.raw.slice(1, -1)},` : '';
  const loc = `${base}/Users/${row.id}`;
  const g = JSON.stringify(groups.map((x) => ({ value: x.value, display: x.display, $ref: `${base}/Groups/${x.value}` })));
  const meta = JSON.stringify({ resourceType: 'User', created: iso(row.created_at), lastModified: iso(row.updated_at), location: loc, version: `W/"${row.version}"` });
  return `{"schemas":${enterprise ? `["${CORE_USER}","${ENTERPRISE_USER}"]` : `["${CORE_USER}"]`},"id":${JSON.stringify(row.id)},${inner}"groups":${g},"meta":${meta}}`;
}

/** A stored group as a SCIM Group resource; `members` is omitted when null (not loaded). */
export function renderGroup(row: DirectoryGroupRow, members: MemberView[] | null, base: string): Record<string, unknown> {
  const attrs = JSON.parse(row.raw) as Record<string, unknown>;
  return {
    schemas: [CORE_GROUP],
    id: row.id,
    ...attrs,
    ...(members
      ? {
          members: members.map((m) => ({
            value: m.member_value,
            display: m.display ?? m.user_display ?? m.user_name ?? undefined,
            ...(m.user_name !== null ? { $ref: `${base}/Users/${m.member_value}` } : {}),
          })),
        }
      : {}),
    meta: { resourceType: 'Group', created: iso(row.created_at), lastModified: iso(row.updated_at), location: `${base}/Groups/${row.id}`, version: `W/"${row.version}"` },
  };
}

export interface Projection {
  attributes: string[] | null;
  excluded: string[] | null;
}

/** Reads `attributes` / `excludedAttributes` (comma-separated; `emails[type eq "work"]` counts as `emails`). */
export function readProjection(q: Record<string, unknown>): Projection {
  const list = (v: unknown) =>
    typeof v === 'string' && v.trim()
      ? v.split(',').map((s) => s.trim().replace(/\[.*$/, '')).filter(Boolean)
      : null;
  return { attributes: list(q.attributes), excluded: list(q.excludedAttributes) };
}

/** True when the projection leaves out `name` (used to skip loading members or groups). */
export function excludes(p: Projection, name: string): boolean {
  const n = name.toLowerCase();
  if (p.excluded?.some((e) => e.toLowerCase() === n)) return true;
  if (p.attributes) return !p.attributes.some((a) => a.toLowerCase() === n || a.toLowerCase().startsWith(`${n}.`) || a.toLowerCase().endsWith(`:${n}`));
  return false;
}

const ALWAYS = new Set(['id', 'schemas', 'meta']);

/** Applies the projection to a rendered resource (RFC 7644 §3.9). */
export function project(kind: ResourceKind, resource: Record<string, unknown>, p: Projection): Record<string, unknown> {
  if (!p.attributes && !p.excluded) return resource;
  let out: Record<string, unknown>;
  if (p.attributes) {
    out = {};
    for (const k of ALWAYS) if (k in resource) out[k] = resource[k];
    for (const a of p.attributes) copyPath(kind, resource, out, a);
  } else out = { ...resource };
  for (const e of p.excluded ?? []) {
    const ref = resolveAttrPath(kind, e);
    if (!ref || ALWAYS.has(ref.path[0]!)) continue;
    const holder = ref.schema === 'enterprise' ? (isObject(out[ENTERPRISE_USER]) ? (out[ENTERPRISE_USER] = { ...(out[ENTERPRISE_USER] as object) }) as Record<string, unknown> : null) : out;
    if (!holder) continue;
    if (ref.path.length === 1) delete holder[ref.path[0]!];
    else if (isObject(holder[ref.path[0]!])) {
      const sub = { ...(holder[ref.path[0]!] as Record<string, unknown>) };
      delete sub[ref.path[1]!];
      holder[ref.path[0]!] = sub;
    }
  }
  return out;
}

function copyPath(kind: ResourceKind, from: Record<string, unknown>, to: Record<string, unknown>, attr: string) {
  if (kind === 'User' && attr.toLowerCase() === ENTERPRISE_USER.toLowerCase()) {
    if (from[ENTERPRISE_USER] !== undefined) to[ENTERPRISE_USER] = from[ENTERPRISE_USER];
    return;
  }
  const ref = resolveAttrPath(kind, attr);
  if (!ref) return;
  const src = ref.schema === 'enterprise' ? (from[ENTERPRISE_USER] as Record<string, unknown> | undefined) : from;
  if (!isObject(src)) return;
  const [top, sub] = ref.path as [string, string | undefined];
  if (src[top] === undefined) return;
  const dst = ref.schema === 'enterprise' ? ((to[ENTERPRISE_USER] as Record<string, unknown>) ??= {}) : to;
  if (sub === undefined) dst[top] = src[top];
  else if (Array.isArray(src[top])) dst[top] = (src[top] as unknown[]).map((v) => (isObject(v) ? { [sub]: v[sub] } : v));
  else if (isObject(src[top])) dst[top] = { ...((dst[top] as object) ?? {}), [sub]: (src[top] as Record<string, unknown>)[sub] };
}
