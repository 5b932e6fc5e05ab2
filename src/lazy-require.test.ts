/**
 * xmldom's HTML entity table is deferred (decision 0054): every xmldom copy the XML stack loads gets, from `require`,
 * exports equal to its real `lib/entities.js`, and an XML parse through the stack never builds the HTML table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { deferredEntitiesModule, lazyRequire, xmldomEntitiesFiles } from './lazy-require.ts';

const require = createRequire(import.meta.url);

test('the XML stack resolves three xmldom copies: its own (0.9), xml-crypto\'s and xml-encryption\'s', () => {
  const files = xmldomEntitiesFiles();
  assert.equal(files.length, 3, files.join('\n'));
  for (const file of files) assert.ok(existsSync(file), file);
  assert.ok(files.some((f) => f.includes('/xml-crypto/node_modules/')));
  assert.ok(files.some((f) => f.includes('/xml-encryption/node_modules/')));
});

test('a deferred entities module has the real module\'s exports, values, prototypes and frozenness', () => {
  for (const file of xmldomEntitiesFiles()) {
    const real = require(file) as Record<string, Record<string, string>>;
    delete require.cache[file];
    const stub = deferredEntitiesModule(file).exports as Record<string, Record<string, string>>;
    assert.deepEqual(Object.keys(stub), Object.keys(real), file);
    for (const name of Object.keys(real)) {
      assert.deepEqual({ ...stub[name] }, { ...real[name] }, `${file} ${name}`);
      assert.equal(Object.getPrototypeOf(stub[name]), Object.getPrototypeOf(real[name]), `${file} ${name}: prototype`);
      assert.equal(Object.isFrozen(stub[name]), Object.isFrozen(real[name]), `${file} ${name}: frozen`);
    }
    assert.equal(stub.entityMap, stub.HTML_ENTITIES, file);
    assert.equal(Object.keys(stub.HTML_ENTITIES).length > 2000, true, file);
    delete require.cache[file];
  }
});

test('loading the XML stack defers the HTML table of every copy; XML entities parse; an HTML parse still gets the table', () => {
  const files = xmldomEntitiesFiles();
  for (const file of files) assert.equal(require.cache[file], undefined, `${file} was loaded before the test`);
  const xmldom = lazyRequire<typeof import('@xmldom/xmldom')>('@xmldom/xmldom')();
  lazyRequire('xml-crypto')();
  lazyRequire('xml-encryption')();
  const built = () => files.filter((file) => Object.getOwnPropertyDescriptor(require.cache[file]!.exports, 'HTML_ENTITIES')?.get === undefined);
  for (const file of files) assert.ok(require.cache[file], `${file} is in require.cache`);
  assert.deepEqual(built(), [], 'every copy is the deferred module');

  const doc = new xmldom.DOMParser().parseFromString('<a x="&quot;">&lt;b&gt; &amp; &apos;</a>', 'text/xml');
  assert.equal(doc.documentElement!.textContent, "<b> & '");
  assert.equal(doc.documentElement!.getAttribute('x'), '"');
  // An HTML parse reads the table: it is built then, from the real file, and gives the real characters.
  const html = new xmldom.DOMParser().parseFromString('<p>a&nbsp;b&eacute;</p>', 'text/html');
  assert.equal(html.documentElement!.textContent, 'a\u00a0b\u00e9');
});
