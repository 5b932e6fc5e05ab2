/** The pure SCIM PATCH core: op names, paths with value filters, multi-valued adds, group membership changes, errors. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyScimPatch, readPatchBody } from './patch.ts';
import { errorCodeOf } from '../../../test/support/error-code.ts';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const code = errorCodeOf;

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
