/**
 * fast-check arbitraries for the fuzz suite: SCIM filters, PATCH bodies, arbitrary and near-valid
 * JSON bodies. They aim at what real parsers trip on: unknown and mis-cased names, wrong types,
 * escapes, NUL and lone surrogates, deep-ish nesting, huge numbers, dangling operators.
 *
 * Kept out on purpose (fixed on branch c-inputs, issue 11 finding 13): JSON nested far past any
 * sane depth (the generators stay shallow), repeated query parameters on /api/v1/*, SCIM
 * `startIndex` beyond 64 bits, and bad `%` escapes in Basic credentials at /api/oauth/token.
 */
import fc from 'fast-check';

/** Strings with the characters that break things: quotes, brackets, escapes, NUL, lone surrogates, non-BMP. */
export const nastyString = (maxLength = 24): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength }) },
    { weight: 2, arbitrary: fc.string({ maxLength, unit: 'binary' }) },
    { weight: 2, arbitrary: fc.string({ maxLength, unit: fc.constantFrom('"', '\\', '[', ']', '(', ')', '.', ' ', ':', '$', '\0', '\ud800', '\udfff', '😀', 'a', 'Z', '%', '_', '!', "'", '\n', '\u2028') }) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '\0', 'null', 'true', 'NaN', '1e400', '-0', '9'.repeat(40), 'Infinity', '__proto__', 'constructor', 'toString') },
  );

/** Any JSON value, shallow (the deep-nesting 500 is another branch's fix), with nasty strings and numbers. */
export const jsonValue = (depth = 3): fc.Arbitrary<unknown> =>
  fc.letrec<{ v: unknown }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small', maxDepth: depth },
      fc.constant(null),
      fc.boolean(),
      fc.integer(),
      fc.double(),
      fc.constantFrom(2 ** 53 + 1, -(2 ** 63), 1e308, 5e-324, 0.1),
      nastyString(),
      fc.array(tie('v'), { maxLength: 4 }),
      fc.dictionary(nastyString(12), tie('v'), { maxKeys: 4 }),
    ),
  })).v;

/**
 * A body "near" a valid one: each mutation drops a field, sets it to another JSON value (another
 * type, a nasty string), or adds an unknown field. `fields` gives per-field values worth trying.
 */
export function nearValid(base: Record<string, unknown>, fields: Record<string, fc.Arbitrary<unknown>> = {}): fc.Arbitrary<Record<string, unknown>> {
  const keys = [...new Set([...Object.keys(base), ...Object.keys(fields)])];
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('drop' as const), key: fc.constantFrom(...keys) }),
    fc.record({ kind: fc.constant('set' as const), key: fc.constantFrom(...keys), value: fc.oneof(jsonValue(2), ...keys.map((k) => fields[k]).filter((a): a is fc.Arbitrary<unknown> => a !== undefined)) }),
    fc.record({ kind: fc.constant('set' as const), key: nastyString(10), value: jsonValue(2) }),
  );
  return fc.array(mutation, { minLength: 1, maxLength: 3 }).map((ms) => {
    const body: Record<string, unknown> = { ...base };
    for (const m of ms) {
      if (m.kind === 'drop') delete body[m.key];
      else Object.defineProperty(body, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
    }
    return body;
  });
}

// ---------------------------------------------------------------- SCIM filters

const USER_PATHS = [
  'userName', 'UserName', 'displayName', 'DisplayName', 'externalId', 'id', 'active', 'title', 'name.familyName', 'name.FamilyName',
  'name.givenName', 'emails', 'emails.value', 'emails.Value', 'emails.type', 'emails.primary', 'phoneNumbers.value', 'addresses.country',
  'groups', 'groups.value', 'groups.display', 'meta.created', 'meta.lastModified', 'meta.version', 'meta.location', 'meta', 'schemas',
  'urn:ietf:params:scim:schemas:core:2.0:User:userName', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value', 'department', 'employeeNumber', 'roles.value',
  'urn:ietf:params:scim:schemas:unknown:2.0:X:y', 'x509Certificates.value', 'nickName', 'name', 'emails.display.value',
];
const GROUP_PATHS = ['displayName', 'DisplayName', 'externalId', 'id', 'members', 'members.value', 'members.display', 'members.type', 'meta.created', 'meta.lastModified', 'meta.version', 'urn:ietf:params:scim:schemas:core:2.0:Group:displayName'];
const OPS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'EQ', 'Eq', 'Co', 'GT'];
const BAD_OPS = ['qq', 'pr', '==', 'like', 'in', ''];

const attrPath = (kind: 'User' | 'Group') =>
  fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...(kind === 'User' ? USER_PATHS : GROUP_PATHS)) }, { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z$_][\w$.:-]{0,20}$/) }, { weight: 1, arbitrary: nastyString(12) });

const filterValue = fc.oneof(
  nastyString().map((s) => JSON.stringify(s)),
  fc.constantFrom('true', 'false', 'null', 'True', 'NULL', '"2011-05-13T04:42:34Z"', '"2024-01-01T00:00:00.1234567Z"', '"2024-13-45"', 'Employee', '"\\u0000"', '"\\ud800"', '"%"', '"_"', '"!"'),
  fc.oneof(fc.integer(), fc.double({ noNaN: true })).map((n) => String(n)),
  fc.constantFrom('1e400', '-1e400', '99999999999999999999999', '1.5', '-0', '2147483648', '9223372036854775808'),
  fc.stringMatching(/^[A-Za-z][\w.@-]{0,12}$/),
);

/** SCIM filters: mostly grammatical, with mis-cased and unknown names, bad operators and broken structure mixed in. */
export function scimFilter(kind: 'User' | 'Group'): fc.Arbitrary<string> {
  const { f } = fc.letrec<{ f: string; leaf: string }>((tie) => ({
    leaf: fc.oneof(
      { weight: 12, arbitrary: fc.tuple(attrPath(kind), fc.constantFrom(...OPS), filterValue).map(([a, o, v]) => `${a} ${o} ${v}`) },
      { weight: 2, arbitrary: attrPath(kind).map((a) => `${a} pr`) },
      { weight: 1, arbitrary: fc.tuple(attrPath(kind), fc.constantFrom(...BAD_OPS), filterValue).map(([a, o, v]) => `${a} ${o} ${v}`) },
      { weight: 2, arbitrary: fc.tuple(fc.constantFrom('emails', 'members', 'groups', 'addresses', 'phoneNumbers', 'roles', 'userName', 'name'), tie('leaf'), fc.constantFrom('', '.value', '.type', '.display', '.x')).map(([a, inner, sub]) => `${a}[${inner}]${sub}`) },
      { weight: 1, arbitrary: attrPath(kind).map((a) => `${a} eq`) },
    ),
    f: fc.oneof(
      { depthSize: 'small', maxDepth: 4 },
      { weight: 6, arbitrary: tie('leaf') },
      { weight: 3, arbitrary: fc.tuple(tie('f'), fc.constantFrom('and', 'or', 'AND', 'Or'), tie('f')).map(([a, op, b]) => `${a} ${op} ${b}`) },
      { weight: 1, arbitrary: tie('f').map((x) => `not (${x})`) },
      { weight: 1, arbitrary: tie('f').map((x) => `(${x})`) },
      { weight: 1, arbitrary: fc.constantFrom('(', ')', ' and', 'not ').chain((broken) => tie('f').map((x) => (broken === ' and' ? `${x}${broken}` : `${broken}${x}`))) },
    ),
  }));
  return fc.oneof({ weight: 8, arbitrary: f }, { weight: 1, arbitrary: nastyString(40) }, { weight: 1, arbitrary: fc.array(fc.constantFrom('(', ')', '[', ']', 'and', 'or', 'not', 'eq', 'pr', '"x"', 'userName', 'emails', '.', ' '), { maxLength: 12 }).map((t) => t.join(' ')) });
}

// ---------------------------------------------------------------- SCIM PATCH

const patchPath = (kind: 'User' | 'Group') =>
  fc.oneof(
    { weight: 6, arbitrary: attrPath(kind) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('emails', 'members', 'phoneNumbers', 'addresses', 'name', 'userName'), scimFilter(kind), fc.constantFrom('', '.value', '.primary', '.display', '.x', 'junk')).map(([a, f, s]) => `${a}[${f}]${s}`) },
    { weight: 1, arbitrary: fc.constantFrom('members[value eq "u1"]', 'emails[type eq "work"].value', 'members[value eq "a" or value eq "b"]', 'emails[type eq "work" and primary eq true]', '[', ']', 'emails[', 'emails]x[') },
  );

const patchValue = (kind: 'User' | 'Group') =>
  fc.oneof(
    jsonValue(2),
    fc.constantFrom('True', 'False', true, false, null, [], {}, [{ value: 'u1' }], [{ value: 'u1', display: 'One' }, { value: 2 }], 'u1', { value: '' }),
    fc.dictionary(attrPath(kind), jsonValue(1), { maxKeys: 3 }),
  );

/** PATCH bodies: an Operations array of add/replace/remove in any case, with or without path, with wrong types mixed in. */
export function scimPatchBody(kind: 'User' | 'Group'): fc.Arbitrary<unknown> {
  const op = fc.record(
    {
      op: fc.oneof({ weight: 12, arbitrary: fc.constantFrom('add', 'replace', 'remove', 'Add', 'Replace', 'REMOVE') }, { weight: 1, arbitrary: nastyString(8) }, { weight: 1, arbitrary: jsonValue(1) }),
      path: fc.oneof({ weight: 12, arbitrary: patchPath(kind) }, { weight: 1, arbitrary: jsonValue(1) }),
      value: patchValue(kind),
    },
    { requiredKeys: ['op'] },
  );
  return fc.oneof(
    { weight: 8, arbitrary: fc.record({ schemas: fc.constant(['urn:ietf:params:scim:api:messages:2.0:PatchOp']), Operations: fc.array(op, { minLength: 1, maxLength: 4 }) }) },
    { weight: 1, arbitrary: fc.record({ operations: fc.oneof(fc.array(op, { maxLength: 3 }), jsonValue(1)) }) },
    { weight: 1, arbitrary: jsonValue(3) },
  );
}
