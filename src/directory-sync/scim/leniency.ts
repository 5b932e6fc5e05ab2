/**
 * Which of decision 0101's leniencies a SCIM request needed, read from what the IdP sent with the same catalog
 * helpers the handlers apply (attributes.ts), so the SCIM inspector can say "Entra sent `active` as the string
 * "False": accepted as false". Pure; it never changes what the handlers do.
 */
import { CORE_GROUP, CORE_USER, ENTERPRISE_USER, PATCH_OP, coerceBoolean, isBareEnterpriseAttr, isObject, resolveAttrPath, type ResourceKind } from './attributes.ts';
import type { ScimNote } from './report.ts';

const KNOWN_SCHEMAS = new Set([CORE_USER, CORE_GROUP, ENTERPRISE_USER, PATCH_OP].map((s) => s.toLowerCase()));
const OPS = new Set(['add', 'replace', 'remove']);
const READ_ONLY = new Set(['id', 'meta', 'schemas']);

export interface NotesInput {
  kind: ResourceKind;
  method: string;
  body: unknown;
  /** The `filter` query parameter of a list. */
  filter?: string;
}

/** `active` or `…primary` sent as a "True"/"False" string. */
function boolString(attr: string, v: unknown): ScimNote | null {
  if (typeof v !== 'string') return null;
  const b = coerceBoolean(v);
  return b === undefined ? null : { kind: 'booleanString', attr, sent: v, as: b };
}

/** The last segment of an attribute path or key, canonical (`urn:…:User:active` → `active`). */
function leaf(kind: ResourceKind, key: string): string {
  const ref = resolveAttrPath(kind, key);
  return ref ? ref.path[ref.path.length - 1]! : key;
}

function resourceNotes(kind: ResourceKind, body: Record<string, unknown>, out: ScimNote[]) {
  const nulls: string[] = [];
  for (const [k, v] of Object.entries(body)) {
    if (v === null) nulls.push(k);
    const name = leaf(kind, k);
    if (name === 'active') pushIf(out, boolString('active', v));
    if (name === 'password' && v !== null && v !== undefined) out.push({ kind: 'passwordDropped' });
    if (Array.isArray(v)) for (const e of v) if (isObject(e)) for (const [ek, ev] of Object.entries(e)) if (ek.toLowerCase() === 'primary') pushIf(out, boolString(`${k}.primary`, ev));
  }
  if (nulls.length) out.push({ kind: 'nullsUnassigned', attrs: nulls });
  if (kind === 'Group' && Array.isArray(body.members)) memberShapes(body.members, out);
}

function memberShapes(members: unknown[], out: ScimNote[]) {
  const seen = new Set<string>();
  for (const m of members) {
    if (typeof m === 'string') seen.add('bareId');
    else if (isObject(m)) {
      if ('$ref' in m && m.$ref === null) seen.add('refNull');
      if (m.display === undefined && typeof m.displayName === 'string') seen.add('displayName');
    }
  }
  for (const shape of seen) out.push({ kind: 'memberShape', shape: shape as 'bareId' | 'refNull' | 'displayName' });
}

function patchNotes(kind: ResourceKind, body: Record<string, unknown>, out: ScimNote[]) {
  const ops = body.Operations ?? body.operations;
  if (!Array.isArray(ops)) return;
  const cased = new Set<string>();
  const dotted: string[] = [];
  const readOnly: string[] = [];
  const bare: string[] = [];
  for (const o of ops) {
    if (!isObject(o)) continue;
    const op = typeof o.op === 'string' ? o.op : '';
    if (OPS.has(op.toLowerCase()) && op !== op.toLowerCase()) cased.add(op);
    const path = typeof o.path === 'string' ? o.path.trim() : '';
    if (path) {
      const plain = !path.includes('[');
      const name = plain ? leaf(kind, path) : '';
      if (name === 'active') pushIf(out, boolString('active', o.value));
      if (name === 'password') out.push({ kind: 'passwordDropped' });
      if (plain && path.endsWith('.primary')) pushIf(out, boolString(path, o.value));
      if (plain && isBareEnterpriseAttr(kind, path.split('.')[0]!)) bare.push(path.split('.')[0]!);
      if (plain && name === 'manager' && Array.isArray(o.value)) out.push({ kind: 'singleValueArray', attr: 'manager' });
      if (kind === 'Group' && path.toLowerCase() === 'members') {
        if (op.toLowerCase() === 'remove' && Array.isArray(o.value)) out.push({ kind: 'legacyMemberRemove', count: o.value.length });
        if (Array.isArray(o.value)) memberShapes(o.value, out);
        else if (typeof o.value === 'string') memberShapes([o.value], out);
      }
    } else if (isObject(o.value)) {
      for (const [k, v] of Object.entries(o.value)) {
        if (k.includes('.') && !/^urn:/i.test(k)) dotted.push(k);
        const name = leaf(kind, k);
        if (READ_ONLY.has(name) && !/^urn:/i.test(k)) readOnly.push(name);
        if (name === 'active') pushIf(out, boolString('active', v));
        if (name === 'password') out.push({ kind: 'passwordDropped' });
        if (isBareEnterpriseAttr(kind, k.split('.')[0]!)) bare.push(k.split('.')[0]!);
      }
    }
  }
  if (cased.size) out.push({ kind: 'opNameCase', sent: [...cased] });
  if (dotted.length) out.push({ kind: 'dottedKeys', keys: dotted });
  if (readOnly.length) out.push({ kind: 'readOnlyIgnored', attrs: [...new Set(readOnly)] });
  if (bare.length) out.push({ kind: 'bareEnterprise', attrs: [...new Set(bare)] });
}

/** Attributes compared with an unquoted word (`externalId eq jyoung`), which the filter reads as a string. */
function unquotedFilterValues(filter: string): string[] {
  const attrs = new Set<string>();
  const re = /([\w.:$-]+)\s+(eq|ne|co|sw|ew|gt|ge|lt|le)\s+(?!["(])([^\s)\]]+)/gi;
  for (const m of filter.matchAll(re)) {
    const value = m[3]!;
    if (/^(true|false|null|-?\d+(\.\d+)?|and|or|not)$/i.test(value)) continue;
    attrs.add(m[1]!);
  }
  return [...attrs];
}

/** The leniencies this request needed, in a stable order. */
export function requestNotes(i: NotesInput): ScimNote[] {
  const out: ScimNote[] = [];
  if (i.filter) {
    const attrs = unquotedFilterValues(i.filter);
    if (attrs.length) out.push({ kind: 'unquotedFilterValue', attrs });
  }
  if (!isObject(i.body)) return out;
  const body = i.body;
  if (Array.isArray(body.schemas)) {
    const unknown = body.schemas.filter((s): s is string => typeof s === 'string' && !KNOWN_SCHEMAS.has(s.toLowerCase()));
    if (unknown.length) out.push({ kind: 'unknownSchema', urns: unknown });
  }
  if (i.method === 'PATCH') patchNotes(i.kind, body, out);
  else if (i.method === 'POST' || i.method === 'PUT') {
    resourceNotes(i.kind, body, out);
    if (i.method === 'PUT' && i.kind === 'Group' && !Object.keys(body).some((k) => k.toLowerCase() === 'members')) out.push({ kind: 'groupPutKeepsMembers' });
  }
  return out;
}

function pushIf(out: ScimNote[], n: ScimNote | null) {
  if (n) out.push(n);
}
