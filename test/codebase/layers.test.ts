/**
 * Layers point one way (docs/decisions/0013-layers.md): no import cycle between files of src/, and the
 * folders of src/ (each src/*.ts root file counting as a node of its own) form one order in which every
 * import points down. Type-only and dynamic imports count: a type import is still a dependency.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import madge from 'madge';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The layers, lowest first. A node may import only nodes of a lower layer; nodes of one layer never import
 * each other. A new folder or root file must be placed here.
 */
const LAYERS: readonly (readonly string[])[] = [
  // base: the error catalog, the config schema, paths, the event hub
  ['errors.ts', 'config.ts', 'paths.ts', 'lazy-require.ts', 'code-cache.ts', 'events/'],
  // storage, request-input parsing, the outbound HTTP guard
  ['storage/', 'input/', 'net/'],
  ['crypto/', 'thrown-errors.ts'],
  ['context.ts'],
  // who may do what and the audit trail (every domain service checks and records through it); metrics
  ['policy/', 'observability/'],
  // domains, in this order
  ['tenancy/'],
  ['sso/'],
  ['oauth/'],
  ['federation/'],
  ['directory-sync/'],
  // the vendor event stream: records what sso announces, delivers through directory-sync's outbox
  ['vendor-events/'],
  // what ends app sessions beyond the protocols (connections switched off, admins) and back-channel logout delivery
  ['app-logout/'],
  // the audit log streamed to a SIEM (signed webhook, syslog) through directory-sync's outbox (decision 0034)
  ['audit-stream/'],
  ['setup-links/'],
  ['admin/'],
  // the embeddable portal (decision 0033): portal links and sessions acting as setup links
  ['portal/'],
  // moving a SAML Jackson deployment in (its CLI command is in cli-commands.ts)
  ['jackson-import/'],
  // surfaces: route tables, serializers, auth hooks
  ['http/'],
  // the process: boot, maintenance, the CLI commands, main, the CLI
  ['boot.ts'],
  ['maintenance.ts', 'cli-commands.ts'],
  ['main.ts'],
  // the shipped entry: main.ts's bundle through V8's code cache (decision 0060)
  ['cli.ts', 'server-entry.ts'],
];

/** `sso/saml/acs.ts` → `sso/`; a root file is its own node. */
const nodeOf = (file: string) => (file.includes('/') ? `${file.slice(0, file.indexOf('/'))}/` : file);
const rankOf = new Map(LAYERS.flatMap((layer, rank) => layer.map((node) => [node, rank] as const)));

// One read of the sources for the three tests (madge takes seconds).
const sources = madge(`${ROOT}src`, { fileExtensions: ['ts'], tsConfig: `${ROOT}tsconfig.json`, excludeRegExp: [/\.test\.ts$/] });

async function importGraph(): Promise<Record<string, string[]>> {
  const graph = await sources;
  assert.deepEqual(graph.warnings().skipped, [], 'madge could not resolve these imports');
  return graph.obj();
}

/** Imports between nodes, each with the file-level imports behind it. Imports leaving src/ (test support for fixtures) are not layering. */
function nodeEdges(graph: Record<string, string[]>): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const [file, deps] of Object.entries(graph)) {
    if (file.startsWith('../')) continue;
    for (const dep of deps) {
      if (dep.startsWith('../')) continue;
      const from = nodeOf(file);
      const to = nodeOf(dep);
      if (from !== to) edges.set(`${from} -> ${to}`, [...(edges.get(`${from} -> ${to}`) ?? []), `${file} -> ${dep}`]);
    }
  }
  return edges;
}

test('no import cycle between files of src/', async () => {
  const graph = await sources;
  assert.ok(Object.keys(graph.obj()).length > 150, 'madge read the sources');
  assert.deepEqual(graph.circular(), []);
});

test('no two folders of src/ import each other (a root file is a node of its own)', async () => {
  const edges = nodeEdges(await importGraph());
  const twoWay = [...edges.keys()]
    .map((e) => e.split(' -> ') as [string, string])
    .filter(([a, b]) => a < b && edges.has(`${b} -> ${a}`))
    .map(([a, b]) => ({ pair: `${a} <-> ${b}`, imports: [...edges.get(`${a} -> ${b}`)!, ...edges.get(`${b} -> ${a}`)!] }));
  assert.deepEqual(twoWay, []);
});

test('every folder and root file of src/ has its place in the layers, and every import points down', async () => {
  const graph = await importGraph();
  const unplaced = [...new Set(Object.keys(graph).filter((f) => !f.startsWith('../')).map(nodeOf))].filter((n) => !rankOf.has(n));
  assert.deepEqual(unplaced, [], 'place these in LAYERS (and in docs/decisions/0013-layers.md)');
  const upward = [...nodeEdges(graph)]
    .filter(([edge]) => {
      const [from, to] = edge.split(' -> ') as [string, string];
      return rankOf.get(from)! <= rankOf.get(to)!;
    })
    .map(([edge, imports]) => ({ edge, imports }));
  assert.deepEqual(upward, []);
});
