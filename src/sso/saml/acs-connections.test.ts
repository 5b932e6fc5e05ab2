import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AcsConnections, connectionTagInFlowId, connectionTagOf } from './acs-connections.ts';
import type { ConnectionRow } from '../../storage/index.ts';

const row = (id: string) => ({ id }) as ConnectionRow;
const facts = { verifiedDomains: [], roles: null, mappings: null };

test('the tag is 8 NCName characters of the connection id\'s hash, read back from a flow id', () => {
  const tag = connectionTagOf('conn-1');
  assert.match(tag, /^[A-Za-z0-9_-]{8}$/);
  assert.notEqual(tag, connectionTagOf('conn-2'));
  assert.equal(connectionTagInFlowId(`_${tag}${'x'.repeat(27)}`), tag);
  assert.equal(connectionTagInFlowId('no-underscore-first-aaaaaaaa'), null);
  assert.equal(connectionTagInFlowId('_short'), null);
});

test('remembered by tag; forgetting an entry keeps a newer one remembered since', () => {
  const c = new AcsConnections();
  const flowId = `_${connectionTagOf('conn-1')}${'r'.repeat(27)}`;
  assert.equal(c.get(flowId), undefined);
  const first = { row: row('conn-1'), facts };
  c.remember(first);
  assert.equal(c.get(flowId), first);
  assert.equal(c.get(`_${connectionTagOf('conn-2')}${'r'.repeat(27)}`), undefined);
  const newer = { row: row('conn-1'), facts };
  c.remember(newer);
  c.forget(flowId, first);
  assert.equal(c.get(flowId), newer, 'a stale entry\'s forget does not drop the newer one');
  c.forget(flowId, newer);
  assert.equal(c.get(flowId), undefined);
});
