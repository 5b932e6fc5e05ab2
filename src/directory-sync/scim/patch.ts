/**
 * SCIM PATCH (RFC 7644 §3.5.2) as real IdPs send it: op names in any case, path-less `replace`/`add`
 * with a value object whose keys may be dotted (`name.givenName`) or URN-prefixed, string booleans,
 * value filters in paths (`emails[type eq "work"].value`, `members[value eq "…"]`), member add/remove
 * by value array. `applyScimPatch` is pure: it returns the new attributes and, for groups, the
 * membership changes for the caller to apply in SQL (a group may have many thousands of members).
 */
import { GatehouseError } from '../../errors.ts';
import {
  ENTERPRISE_USER, MULTI_VALUED, canonicalSub, canonicalValue, coerceBoolean, isBareEnterpriseAttr, isObject, resolveAttrPath,
  type AttrRef, type ResourceKind,
} from './attributes.ts';
import { parseScimFilter, type FilterNode } from './filter.ts';
import { matchesFilter } from './match.ts';

export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path?: string;
  value?: unknown;
}

export interface MemberInput {
  value: string;
  display: string | null;
}

export type MemberChange =
  | { kind: 'add'; members: MemberInput[] }
  | { kind: 'remove'; values: string[] }
  | { kind: 'removeWhere'; filter: FilterNode }
  | { kind: 'removeAll' }
  | { kind: 'replace'; members: MemberInput[] };

export interface PatchResult {
  resource: Record<string, unknown>;
  members: MemberChange[];
}

const bad = (code: 'SCIM_INVALID_VALUE' | 'SCIM_INVALID_PATH' | 'SCIM_NO_TARGET' | 'SCIM_INVALID_SYNTAX', detail: string): never => {
  throw new GatehouseError(code, detail);
};

/** Validates a PatchOp body into operations. Throws before anything is applied. */
export function readPatchBody(body: unknown): PatchOperation[] {
  if (!isObject(body)) return bad('SCIM_INVALID_SYNTAX', 'The PATCH body must be a JSON object with "Operations".');
  const ops = body.Operations ?? body.operations;
  if (!Array.isArray(ops) || ops.length === 0) return bad('SCIM_INVALID_SYNTAX', '"Operations" must be a non-empty array.');
  if (ops.length > 1000) return bad('SCIM_INVALID_VALUE', 'At most 1000 operations per PATCH.');
  return ops.map((o, i) => {
    if (!isObject(o)) return bad('SCIM_INVALID_SYNTAX', `Operations[${i}] must be an object.`);
    const op = typeof o.op === 'string' ? o.op.toLowerCase() : '';
    if (op !== 'add' && op !== 'replace' && op !== 'remove') return bad('SCIM_INVALID_VALUE', `Operations[${i}].op must be add, replace or remove.`);
    if (o.path !== undefined && o.path !== null && typeof o.path !== 'string') return bad('SCIM_INVALID_PATH', `Operations[${i}].path must be a string.`);
    const path = typeof o.path === 'string' && o.path.trim() !== '' ? o.path.trim() : undefined;
    if (op !== 'remove' && o.value === undefined) return bad('SCIM_INVALID_VALUE', `Operations[${i}] (${op}) needs a value.`);
    return { op, path, value: o.value };
  });
}

interface PatchPath {
  attr: AttrRef; // top-level (+ sub when no filter: `name.givenName`)
  filter?: FilterNode; // relative to one value of a multi-valued attribute
  sub?: string; // after the filter: `emails[…].value`
}

/** Parses `attr`, `attr.sub`, `attr[filter]`, `attr[filter].sub`, with or without a schema URN. */
export function parsePatchPath(kind: ResourceKind, path: string): PatchPath {
  const open = path.indexOf('[');
  if (open < 0) {
    const attr = resolveAttrPath(kind, path) ?? bad('SCIM_INVALID_PATH', `The path "${path}" names an unknown schema.`);
    return { attr: fixBareEnterprise(kind, attr) };
  }
  const close = path.lastIndexOf(']');
  if (close < open) return bad('SCIM_INVALID_PATH', `The path "${path}" is not valid.`);
  const rest = path.slice(close + 1);
  if (rest && !/^\.[\w$]+$/.test(rest)) return bad('SCIM_INVALID_PATH', `The path "${path}" is not valid.`);
  let node: FilterNode;
  try {
    node = parseScimFilter(path.slice(0, close + 1), kind);
  } catch {
    return bad('SCIM_INVALID_PATH', `The value filter in "${path}" is not valid.`);
  }
  if (node.op !== 'has') return bad('SCIM_INVALID_PATH', `The path "${path}" is not valid.`);
  const attr = fixBareEnterprise(kind, node.attr);
  return { attr, filter: node.filter, sub: rest ? canonicalSub(attr.path[0]!, rest.slice(1)) : undefined };
}

function fixBareEnterprise(kind: ResourceKind, attr: AttrRef): AttrRef {
  if (attr.schema === 'core' && isBareEnterpriseAttr(kind, attr.path[0]!)) return { ...attr, schema: 'enterprise' };
  return attr;
}

/** The object that holds the attribute: the resource itself or its enterprise extension. */
function container(res: Record<string, unknown>, attr: AttrRef, create: boolean): Record<string, unknown> | undefined {
  if (attr.schema === 'core') return res;
  if (!isObject(res[ENTERPRISE_USER])) {
    if (!create) return undefined;
    res[ENTERPRISE_USER] = {};
  }
  return res[ENTERPRISE_USER] as Record<string, unknown>;
}

const clone = <T>(v: T): T => (v === undefined ? v : structuredClone(v));

function normalizeScalar(name: string, v: unknown): unknown {
  if (name === 'active') {
    const b = coerceBoolean(v);
    if (b === undefined) bad('SCIM_INVALID_VALUE', '"active" must be a boolean.');
    return b;
  }
  return v;
}

/** Reads members from a value: an array of {value, display}, one object, or a bare id string. */
export function readMembers(value: unknown): MemberInput[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((m) => {
    if (typeof m === 'string' && m.trim()) return { value: m.trim(), display: null };
    if (isObject(m)) {
      const c = canonicalValue('members', m) as Record<string, unknown>;
      const v = c.value;
      if ((typeof v === 'string' && v.trim()) || typeof v === 'number') {
        const display = typeof c.display === 'string' ? c.display : typeof (m as Record<string, unknown>).displayName === 'string' ? String((m as Record<string, unknown>).displayName) : null;
        return { value: String(v).trim(), display };
      }
    }
    return bad('SCIM_INVALID_VALUE', 'Each member needs a "value" (the user id).');
  });
}

/** `value eq "a"` or an `or` of those → the list of values; anything else → null. */
function valuesOf(f: FilterNode): string[] | null {
  if (f.op === 'eq' && f.attr.path.length === 1 && f.attr.path[0] === 'value' && typeof f.value === 'string') return [f.value];
  if (f.op === 'or') {
    const parts = f.filters.map(valuesOf);
    return parts.every(Boolean) ? parts.flat() as string[] : null;
  }
  return null;
}

function memberChange(op: PatchOperation, path: PatchPath | null): MemberChange {
  if (op.op === 'remove') {
    if (path?.filter) {
      const values = valuesOf(path.filter);
      return values ? { kind: 'remove', values } : { kind: 'removeWhere', filter: path.filter };
    }
    // Entra's legacy form names the members to remove in `value`; without it, all members go.
    if (op.value !== undefined && op.value !== null) return { kind: 'remove', values: readMembers(op.value).map((m) => m.value) };
    return { kind: 'removeAll' };
  }
  if (path?.filter) return bad('SCIM_INVALID_PATH', 'Members can be added or replaced only through the "members" path.');
  const members = op.value === null || (Array.isArray(op.value) && op.value.length === 0) ? [] : readMembers(op.value);
  return op.op === 'add' ? { kind: 'add', members } : { kind: 'replace', members };
}

/** Adds values to a multi-valued attribute, skipping values already present (RFC 7644 §3.5.2.1). */
function appendValues(target: Record<string, unknown>, name: string, value: unknown) {
  const incoming = (Array.isArray(value) ? value : [value]).map((v) => canonicalValue(name, v));
  const existing = Array.isArray(target[name]) ? [...(target[name] as unknown[])] : [];
  for (const v of incoming) if (!existing.some((e) => JSON.stringify(e) === JSON.stringify(v))) existing.push(v);
  target[name] = existing;
}

/** Sets one attribute (top-level or `parent.sub`) under an add/replace. */
function setAttr(res: Record<string, unknown>, _kind: ResourceKind, attr: AttrRef, value: unknown, op: 'add' | 'replace') {
  const target = container(res, attr, true)!;
  const [top, sub] = attr.path as [string, string | undefined];
  if (sub !== undefined) {
    const obj = isObject(target[top]) ? { ...(target[top] as Record<string, unknown>) } : {};
    if (value === null) delete obj[sub];
    else obj[sub] = normalizeScalar(sub, value);
    target[top] = obj;
    return;
  }
  if (value === null) {
    delete target[top];
    return;
  }
  if (MULTI_VALUED.has(top)) {
    if (op === 'add') appendValues(target, top, value);
    else target[top] = (Array.isArray(value) ? value : [value]).map((v) => canonicalValue(top, v));
    return;
  }
  // A single-valued complex attribute sent as a one-element array (Entra's `manager`).
  const v = Array.isArray(value) && !MULTI_VALUED.has(top) ? value[0] : value;
  if (isObject(v) && op === 'add' && isObject(target[top])) target[top] = { ...(target[top] as Record<string, unknown>), ...(canonicalValue(top, v) as object) };
  else target[top] = normalizeScalar(top, canonicalValue(top, v));
}

/** Applies a value-filtered path (`emails[type eq "work"].value`) to a multi-valued attribute. */
function applyFiltered(res: Record<string, unknown>, op: PatchOperation, p: PatchPath) {
  const top = p.attr.path[0]!;
  const target = container(res, p.attr, op.op !== 'remove');
  const list = target && Array.isArray(target[top]) ? [...(target[top] as unknown[])] : [];
  const hits = list.map((e, i) => (isObject(e) && matchesFilter(e, p.filter!) ? i : -1)).filter((i) => i >= 0);
  if (op.op === 'remove') {
    if (!target) return;
    if (p.sub) for (const i of hits) {
      const e = { ...(list[i] as Record<string, unknown>) };
      delete e[p.sub];
      list[i] = e;
    }
    else for (const i of hits.reverse()) list.splice(i, 1);
    target[top] = list;
    return;
  }
  if (hits.length === 0) {
    // Entra replaces `emails[type eq "work"].value` on users that have no work email yet: create it.
    const seed = equalitiesOf(p.filter!);
    if (!seed) return bad('SCIM_NO_TARGET', `No value of "${top}" matches the filter.`);
    const created = p.sub ? { ...seed, [p.sub]: op.value } : { ...seed, ...(isObject(op.value) ? (canonicalValue(top, op.value) as object) : {}) };
    list.push(canonicalValue(top, created));
  } else {
    for (const i of hits) {
      const e = { ...(list[i] as Record<string, unknown>) };
      if (p.sub) e[p.sub] = p.sub === 'primary' ? (coerceBoolean(op.value) ?? op.value) : op.value;
      else if (isObject(op.value)) Object.assign(e, canonicalValue(top, op.value));
      else return bad('SCIM_INVALID_VALUE', `A value for "${top}[…]" must be an object.`);
      list[i] = e;
    }
  }
  target![top] = list;
}

/** `type eq "work"` (and `and`s of equalities) → {type: 'work'}; anything else → null. */
function equalitiesOf(f: FilterNode): Record<string, unknown> | null {
  if (f.op === 'eq' && f.attr.path.length === 1) return { [f.attr.path[0]!]: f.value };
  if (f.op === 'and') {
    const parts = f.filters.map(equalitiesOf);
    return parts.every(Boolean) ? Object.assign({}, ...parts) : null;
  }
  return null;
}

function removeAttr(res: Record<string, unknown>, attr: AttrRef) {
  const target = container(res, attr, false);
  if (!target) return;
  const [top, sub] = attr.path as [string, string | undefined];
  if (sub === undefined) delete target[top];
  else if (isObject(target[top])) {
    const obj = { ...(target[top] as Record<string, unknown>) };
    delete obj[sub];
    target[top] = obj;
  }
}

/**
 * Applies operations to a copy of `resource` (canonical attributes; for groups without members).
 * Operations on `members` become MemberChanges. Throws a SCIM error before returning anything, so a
 * malformed PATCH never changes stored data.
 */
export function applyScimPatch(kind: ResourceKind, resource: Record<string, unknown>, operations: PatchOperation[]): PatchResult {
  const res = clone(resource);
  const members: MemberChange[] = [];
  for (const op of operations) {
    if (!op.path) {
      if (op.op === 'remove') bad('SCIM_NO_TARGET', 'A remove operation needs a path.');
      if (!isObject(op.value)) bad('SCIM_INVALID_VALUE', `A ${op.op} without a path needs an object value.`);
      for (const [key, value] of Object.entries(op.value as Record<string, unknown>)) {
        if (kind === 'User' && key.toLowerCase() === ENTERPRISE_USER.toLowerCase() && isObject(value)) {
          for (const [ek, ev] of Object.entries(value)) setAttr(res, kind, { schema: 'enterprise', path: ek.split('.') }, ev, op.op as 'add' | 'replace');
          continue;
        }
        const p = parsePatchPath(kind, key);
        if (p.attr.path[0] === 'id' || p.attr.path[0] === 'meta' || p.attr.path[0] === 'schemas') continue; // read-only; Okta echoes id
        if (kind === 'Group' && p.attr.path[0] === 'members') {
          members.push(memberChange({ ...op, value }, p));
          continue;
        }
        if (p.filter) applyFiltered(res, { ...op, value }, p);
        else setAttr(res, kind, p.attr, value, op.op as 'add' | 'replace');
      }
      continue;
    }
    const p = parsePatchPath(kind, op.path);
    const top = p.attr.path[0]!;
    if (top === 'id' || top === 'meta' || top === 'schemas') bad('SCIM_INVALID_PATH', `"${top}" is read-only.`);
    if (kind === 'Group' && top === 'members') {
      members.push(memberChange(op, p));
      continue;
    }
    if (p.filter) applyFiltered(res, op, p);
    else if (op.op === 'remove') removeAttr(res, p.attr);
    else setAttr(res, kind, p.attr, op.value, op.op);
  }
  return { resource: res, members };
}
