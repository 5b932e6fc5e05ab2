import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combineRoles, mappedRoles, normaliseMappings, ProductRolesInput, readProductRoles, storedProductRoles } from './product-roles.ts';

const declared = [{ key: 'admin', name: 'Admin' }, { key: 'editor', name: 'Editor' }, { key: 'viewer', name: 'Viewer' }];

test('groups map to declared roles case-insensitively, in the product order', () => {
  const m = [{ group: 'Engineering', role: 'viewer' }, { group: 'ops ', role: 'admin' }, { group: 'engineering', role: 'editor' }];
  assert.deepEqual(mappedRoles([' ENGINEERING'], m, declared), ['editor', 'viewer']);
  assert.deepEqual(mappedRoles(['Ops', 'engineering'], m, declared), ['admin', 'editor', 'viewer']);
  assert.deepEqual(mappedRoles(['sales'], m, declared), []);
  assert.deepEqual(mappedRoles([], m, declared), []);
});

test('a mapping to a role the product no longer declares gives nothing', () => {
  assert.deepEqual(mappedRoles(['x'], [{ group: 'x', role: 'gone' }], declared), []);
});

test('IdP roles come first, mapped roles are added once', () => {
  assert.deepEqual(combineRoles(['viewer', 'Sales-Lead'], ['admin', 'viewer']), ['viewer', 'Sales-Lead', 'admin']);
  assert.deepEqual(combineRoles([], []), []);
});

test('duplicates in a mapping are dropped, role declarations are validated', () => {
  assert.deepEqual(normaliseMappings([{ group: 'A', role: 'x' }, { group: ' a', role: 'x' }, { group: 'a', role: 'y' }]), [{ group: 'A', role: 'x' }, { group: 'a', role: 'y' }]);
  assert.equal(ProductRolesInput.safeParse([{ key: 'a' }, { key: 'a' }]).success, false);
  assert.equal(ProductRolesInput.safeParse([{ key: 'has space' }]).success, false);
  assert.deepEqual(readProductRoles(storedProductRoles([{ key: 'admin' }, { key: 'viewer', name: 'Read only' }])), [{ key: 'admin', name: 'admin' }, { key: 'viewer', name: 'Read only' }]);
  assert.equal(storedProductRoles([]), null);
});
