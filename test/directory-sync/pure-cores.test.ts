/** The pure SCIM cores: filter parsing (strict and lenient), PATCH application, projection, ids. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScimFilter, parseScimDate } from '../../src/directory-sync/scim/filter.ts';
import { applyScimPatch, readPatchBody } from '../../src/directory-sync/scim/patch.ts';
import { project, readUserBody, renderUser, renderUserJson } from '../../src/directory-sync/scim/resources.ts';
import { GatehouseError } from '../../src/errors.ts';
import { redactUrl } from '../../src/http/app.ts';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as GatehouseError).code;
  }
  return 'no error';
};

describe('parseScimFilter', () => {
  test('resolves attribute names case-insensitively and URN prefixes', () => {
    assert.deepEqual(parseScimFilter('name.FamilyName eq "x"', 'User'), { op: 'eq', attr: { schema: 'core', path: ['name', 'familyName'] }, value: 'x' });
    assert.deepEqual(parseScimFilter('urn:ietf:params:scim:schemas:core:2.0:User:UserName sw "a"', 'User'), { op: 'sw', attr: { schema: 'core', path: ['userName'] }, value: 'a' });
    assert.deepEqual(parseScimFilter(`${ENT}:Department eq "R"`, 'User'), { op: 'eq', attr: { schema: 'enterprise', path: ['department'] }, value: 'R' });
  });
  test('full grammar: and/or precedence, not, parentheses, value paths, pr, ops in any case', () => {
    const f = parseScimFilter('userName Eq "a" or not (active eq true) and emails[type eq "work" and value co "@x"] and title pr', 'User');
    assert.equal(f.op, 'or');
    const right = (f as any).filters[1];
    assert.equal(right.op, 'and');
    assert.equal(right.filters[0].op, 'not');
    assert.deepEqual(right.filters[1].attr.path, ['emails']);
    assert.deepEqual(right.filters[1].filter.filters[0].attr.path, ['type']);
    assert.equal(right.filters[2].op, 'pr');
  });
  test('a sub-attribute after a value path applies to the same value', () => {
    const f: any = parseScimFilter('emails[type eq "work"].value ew ".org"', 'User');
    assert.equal(f.op, 'has');
    assert.deepEqual(f.filter.filters.map((x: any) => x.attr.path), [['type'], ['value']]);
  });
  test('unquoted values (Microsoft) and literals', () => {
    assert.deepEqual((parseScimFilter('name.familyName eq Employee', 'User') as any).value, 'Employee');
    assert.deepEqual((parseScimFilter('externalId eq jyoung', 'User') as any).value, 'jyoung');
    assert.equal((parseScimFilter('active eq True', 'User') as any).value, true);
    assert.equal((parseScimFilter('meta.created gt 2015-10-10T14:38:21.8617979-07:00', 'User') as any).value, '2015-10-10T14:38:21.8617979-07:00');
  });
  test('invalid filters are invalidFilter', () => {
    for (const f of ['userName eq', 'userName qq "x"', '(userName eq "x"', 'userName eq "x" and', 'userName', '"x" eq userName', 'emails[type eq "work"', 'a eq "x" b']) {
      assert.equal(code(() => parseScimFilter(f, 'User')), 'SCIM_INVALID_FILTER', f);
    }
  });
  test('dates with 7 fraction digits and offsets', () => {
    assert.equal(parseScimDate('2015-10-10T14:38:21.8617979-07:00'), Date.parse('2015-10-10T21:38:21.861Z'));
    assert.equal(parseScimDate('2019-09-18T18:15:26Z'), Date.parse('2019-09-18T18:15:26Z'));
    assert.ok(Number.isNaN(parseScimDate('yesterday')));
  });
});

describe('applyScimPatch', () => {
  const base = { userName: 'a@x', active: true, name: { givenName: 'A', familyName: 'B' }, emails: [{ value: 'a@x', type: 'work', primary: true }] };
  const apply = (ops: unknown[], res: Record<string, unknown> = base) => applyScimPatch('User', res, readPatchBody({ Operations: ops })).resource as any;

  test('op names in any case; string booleans', () => {
    assert.equal(apply([{ op: 'Replace', path: 'active', value: 'False' }]).active, false);
    assert.equal(apply([{ op: 'REPLACE', path: 'Active', value: 'True' }]).active, true);
  });
  test('path-less replace with dotted and URN-prefixed keys', () => {
    const r = apply([{ op: 'replace', value: { 'name.givenName': 'K', [`${ENT}:employeeNumber`]: '7', active: false } }]);
    assert.deepEqual([r.name.givenName, r.name.familyName, r[ENT].employeeNumber, r.active], ['K', 'B', '7', false]);
  });
  test('value filters in paths, creating the value when Entra replaces a missing work email', () => {
    assert.equal(apply([{ op: 'replace', path: 'emails[type eq "work"].value', value: 'n@x' }]).emails[0].value, 'n@x');
    const noWork = apply([{ op: 'replace', path: 'emails[type eq "work"].value', value: 'w@x' }], { userName: 'z' });
    assert.deepEqual(noWork.emails, [{ type: 'work', value: 'w@x' }]);
    assert.deepEqual(apply([{ op: 'remove', path: 'emails[type eq "work"]' }]).emails, []);
  });
  test('add appends to multi-valued attributes without duplicates; manager as a one-element array', () => {
    const r = apply([{ op: 'add', path: 'emails', value: [{ value: 'b@x', type: 'home' }, { value: 'a@x', type: 'work', primary: true }] }, { op: 'Add', path: 'manager', value: [{ $ref: 'http://x/Users/m', value: 'm' }] }]);
    assert.equal(r.emails.length, 2);
    assert.deepEqual(r[ENT].manager, { $ref: 'http://x/Users/m', value: 'm' });
  });
  test('group members become membership changes (add/remove by array, filter, all, replace)', () => {
    const { members, resource } = applyScimPatch('Group', { displayName: 'G' }, readPatchBody({ Operations: [
      { op: 'add', path: 'members', value: 'string id 1' },
      { op: 'Add', path: 'members', value: [{ value: 'u1', displayName: 'new User' }, { value: 'u2', $ref: null }] },
      { op: 'Remove', path: 'members', value: [{ value: 'u1' }] },
      { op: 'remove', path: 'members[value eq "u2"]' },
      { op: 'remove', path: 'members[display co "x"]' },
      { op: 'remove', path: 'members' },
      { op: 'replace', path: 'members', value: [{ value: 'u3' }] },
      { op: 'replace', value: { id: 'ignored', displayName: 'G2' } },
    ] }));
    assert.deepEqual(members.map((m) => m.kind), ['add', 'add', 'remove', 'remove', 'removeWhere', 'removeAll', 'replace']);
    assert.deepEqual((members[1] as any).members, [{ value: 'u1', display: 'new User' }, { value: 'u2', display: null }]);
    assert.deepEqual(resource, { displayName: 'G2' });
  });
  test('errors: noTarget, invalidPath, invalidValue, and nothing applied', () => {
    assert.equal(code(() => apply([{ op: 'remove' }])), 'SCIM_NO_TARGET');
    assert.equal(code(() => apply([{ op: 'replace', path: 'emails[type eq "work" and value co "q"].value', value: 'x' }])), 'SCIM_NO_TARGET');
    assert.equal(code(() => apply([{ op: 'replace', path: 'emails[type eq', value: 1 }])), 'SCIM_INVALID_PATH');
    assert.equal(code(() => apply([{ op: 'replace', path: 'id', value: 1 }])), 'SCIM_INVALID_PATH');
    assert.equal(code(() => apply([{ op: 'replace', path: 'active', value: 'perhaps' }])), 'SCIM_INVALID_VALUE');
    assert.equal(code(() => readPatchBody({ Operations: [{ op: 'move', path: 'x' }] })), 'SCIM_INVALID_VALUE');
    assert.equal(base.active, true, 'the input is not mutated');
  });
});

describe('resources', () => {
  test('bodies: canonical names, string booleans, nulls dropped, password never kept', () => {
    const v = readUserBody({ UserName: 'u', Active: 'True', password: 'p', addresses: null, emails: [{ Primary: 'true', Value: 'e' }], [`${ENT.toLowerCase()}`]: { Department: 'd', Manager: { Value: 'm' } } });
    assert.deepEqual(v.attrs, { userName: 'u', active: true, emails: [{ primary: true, value: 'e' }], [ENT]: { department: 'd', manager: { value: 'm' } } });
  });
  test('projection: attributes keeps id/schemas/meta; sub-attributes; excludedAttributes', () => {
    const r = { schemas: ['s'], id: '1', userName: 'u', name: { givenName: 'g', familyName: 'f' }, emails: [{ value: 'e', type: 'work' }], meta: {} };
    assert.deepEqual(project('User', r, { attributes: ['name.givenName', 'Emails'], excluded: null }), { schemas: ['s'], id: '1', meta: {}, name: { givenName: 'g' }, emails: [{ value: 'e', type: 'work' }] });
    assert.deepEqual(Object.keys(project('User', r, { attributes: null, excluded: ['emails', 'id'] })), ['schemas', 'id', 'userName', 'name', 'meta']);
  });
  test('the text rendering of list pages equals the object rendering', () => {
    const row = { id: 'u1', directory_id: 'd', user_name: 'a', user_name_key: 'a', external_id: null, display_name: null, active: 1, raw: JSON.stringify({ userName: 'a', name: { givenName: 'É"' }, [ENT]: { department: 'x' } }), created_at: 1, updated_at: 2, version: 3 };
    const groups = [{ value: 'g1', display: 'G' }];
    assert.equal(renderUserJson(row, groups, 'https://h/b'), JSON.stringify(renderUser(row, groups, 'https://h/b')));
    const bare = { ...row, raw: '{}' };
    assert.equal(renderUserJson(bare, [], 'https://h/b'), JSON.stringify(renderUser(bare, [], 'https://h/b')));
  });
  test('request logs keep SCIM filter values (directory data) out', () => {
    assert.equal(redactUrl('/api/scim/v2.0/d/Users?filter=userName%20eq%20%22ann%40acme.com%22&count=5'), '/api/scim/v2.0/d/Users?filter=[redacted]&count=5');
  });
});
