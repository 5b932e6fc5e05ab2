/**
 * Fuzz targets for the pure SCIM cores: the filter parser with its SQL compiler (compiled for all
 * three dialects, without a database) and the PATCH applier.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  DummyDriver, Kysely, MysqlAdapter, MysqlIntrospector, MysqlQueryCompiler, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler,
  SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler,
} from 'kysely';
import { parseScimFilter } from '../../src/directory-sync/scim/filter.ts';
import { compileScimFilter } from '../../src/directory-sync/scim/filter-sql.ts';
import { matchesFilter } from '../../src/directory-sync/scim/match.ts';
import { applyScimPatch, readPatchBody } from '../../src/directory-sync/scim/patch.ts';
import { traitsOf, type DialectName } from '../../src/storage/dialect.ts';
import { refusalOrThrown, type FuzzTarget, type Outcome } from './harness.ts';
import { scimFilter, scimPatchBody } from './generators.ts';

/** Query compilers of the three dialects, with no connection: compiling is pure. */
const COMPILERS: Record<DialectName, Kysely<any>> = {
  sqlite: new Kysely({ dialect: { createAdapter: () => new SqliteAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new SqliteIntrospector(db), createQueryCompiler: () => new SqliteQueryCompiler() } }),
  postgres: new Kysely({ dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new PostgresIntrospector(db), createQueryCompiler: () => new PostgresQueryCompiler() } }),
  mysql: new Kysely({ dialect: { createAdapter: () => new MysqlAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new MysqlIntrospector(db), createQueryCompiler: () => new MysqlQueryCompiler() } }),
};

const SAMPLE_USER = {
  userName: 'alice@acme.com', active: true, name: { givenName: 'Alice', familyName: 'Liddell' }, displayName: 'Alice',
  emails: [{ value: 'alice@acme.com', type: 'work', primary: true }, { value: 'a@home.example', type: 'home' }, 'stray'],
  phoneNumbers: [{ value: '+1 555', type: 'mobile' }], addresses: [{ country: 'NL', type: 'work' }], roles: [{ value: 'admin' }],
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'R&D', manager: { value: 'bob' } },
};
const SAMPLE_GROUP = { displayName: 'Engineering', externalId: 'eng' };

const filterCodes = (code: string) => code === 'SCIM_INVALID_FILTER';

/** parseScimFilter then compileScimFilter on every dialect, and matchesFilter on a sample: refusals are SCIM_INVALID_FILTER only. */
export function filterTarget(kind: 'User' | 'Group'): FuzzTarget<string> {
  return {
    name: `SCIM filter parse+compile (${kind})`,
    method: 'grammar-based filters (mis-cased/unknown attributes, bad operators, broken nesting, nasty values) + random text',
    arbitrary: scimFilter(kind),
    run(text): Outcome {
      let ast;
      try {
        ast = parseScimFilter(text, kind);
      } catch (err) {
        return refusalOrThrown(err, filterCodes);
      }
      if (!isDeepStrictEqual(parseScimFilter(text, kind), ast)) return { verdict: 'unstable', detail: 'two parses of the same text differ' };
      try {
        matchesFilter(kind === 'User' ? SAMPLE_USER : SAMPLE_GROUP, ast);
      } catch (err) {
        return { verdict: 'thrown', detail: `matchesFilter: ${(err as Error).stack}` };
      }
      let refused = 0;
      for (const [dialect, db] of Object.entries(COMPILERS)) {
        try {
          const cond = compileScimFilter(ast, kind, traitsOf(dialect as DialectName).json);
          db.selectFrom(kind === 'User' ? 'directory_users' : 'directory_groups').selectAll().where(cond).compile();
        } catch (err) {
          const o = refusalOrThrown(err, filterCodes);
          if (o.verdict !== 'refused') return { verdict: 'thrown', detail: `compile (${dialect}): ${o.detail}` };
          refused++;
        }
      }
      // A filter is a filter on every dialect: refused by all or by none.
      if (refused !== 0 && refused !== 3) return { verdict: 'violation', detail: `refused by ${refused} of 3 dialects` };
      return { verdict: refused ? 'refused' : 'accepted' };
    },
  };
}

const patchCodes = (code: string) => ['SCIM_INVALID_VALUE', 'SCIM_INVALID_PATH', 'SCIM_NO_TARGET', 'SCIM_INVALID_SYNTAX', 'SCIM_INVALID_FILTER'].includes(code);

/** readPatchBody + applyScimPatch: typed refusals only, the input resource untouched, a JSON-serialisable result. */
export function patchTarget(kind: 'User' | 'Group'): FuzzTarget<unknown> {
  const resource = kind === 'User' ? SAMPLE_USER : SAMPLE_GROUP;
  return {
    name: `SCIM PATCH apply (${kind})`,
    method: 'PatchOp bodies: add/replace/remove in any case, paths with value filters, wrong types, arbitrary JSON',
    arbitrary: scimPatchBody(kind),
    run(body): Outcome {
      const before = structuredClone(resource);
      let result;
      try {
        result = applyScimPatch(kind, resource, readPatchBody(body));
      } catch (err) {
        return refusalOrThrown(err, patchCodes);
      }
      if (!isDeepStrictEqual(resource, before)) return { verdict: 'violation', detail: 'applyScimPatch changed its input resource' };
      try {
        JSON.stringify(result);
      } catch (err) {
        return { verdict: 'violation', detail: `the patched resource is not JSON: ${(err as Error).message}` };
      }
      return { verdict: 'accepted' };
    },
  };
}

export const scimCoreTargets = (): FuzzTarget<any>[] => [filterTarget('User'), filterTarget('Group'), patchTarget('User'), patchTarget('Group')];
