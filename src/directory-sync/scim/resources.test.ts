/** The pure SCIM resource core: request bodies, projection, and the text rendering of list pages. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { project, readUserBody, renderUser, renderUserJson } from './resources.ts';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

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
});
