/** The pure SCIM filter parser (strict grammar and Microsoft's lenient forms) and SCIM dates. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFullScimFilter, parseScimFilter, parseScimDate } from './filter.ts';
import { errorCodeOf } from '../../../test/support/error-code.ts';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const code = errorCodeOf;

describe('parseScimFilter', () => {
  test('the one-comparison fast path gives what the full grammar gives, refusals included (decision 0053)', () => {
    const outcome = (f: () => unknown) => {
      try {
        return { node: f() };
      } catch (err) {
        return { code: (err as { code?: string }).code, detail: (err as { detail?: string }).detail };
      }
    };
    const inputs = [
      'userName eq "user1@seq.test"', ' UserName  EQ "A B"  ', 'userName eq ""', 'externalId eq "ext-1"', 'displayName co "O\'Brien"',
      'name.FamilyName sw "x"', 'emails.Value ew ".org"', 'meta.Created gt "2024-01-01T00:00:00.1234567Z"', 'id eq "x"', 'userName ne "x"',
      'nosuch eq "x"', 'urn:x:Thing eq "x"', 'userName qq "x"', 'userName pr "x"', 'not eq "x"', 'and eq "x"', 'userName eq "a\\"b"',
      'userName eq "a\\nb"', 'userName eq "tab\there"', 'userName eq "x" and', 'userName eq "é ☃ 𝄞"', 'userName eq"x"', 'userName eq "x"y',
      // Attributes spelled as keywords (found in review: the fast path once answered `eq eq "x"` as a lookup of an attribute "eq").
      'eq eq "x"', 'Gt sw "x"', 'pr eq "x"', 'true eq "x"', 'NULL eq "x"', 'or eq "x"', 'Not sw "x"',
    ];
    for (const kind of ['User', 'Group'] as const) {
      for (const text of inputs) assert.deepEqual(outcome(() => parseScimFilter(text, kind)), outcome(() => parseFullScimFilter(text, kind)), `${kind}: ${text}`);
      assert.equal((outcome(() => parseScimFilter('userName qq "x"', kind)) as { code?: string }).code, 'SCIM_INVALID_FILTER', 'a refusal is compared by its code');
    }
  });
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
