import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesAuditFilter, octetCounted, parseSyslogUrl, streamedEventOf, syslogMessage, NO_FILTER } from './event.ts';
import { parseRfc5424, readFrames } from '../../test/support/syslog-receiver.ts';
import { auditRow } from '../policy/audit.ts';

const row = (action: string, tenant: string | null, product: string | null) => ({ action, tenant, product });

test('the filter: action prefixes on dot boundaries, tenants and products exact, empty lists match all', () => {
  assert.ok(matchesAuditFilter(NO_FILTER, row('admin.api_key.created', null, null)));
  const f = { actions: ['sso.connection', 'admin.api_key.created'], tenants: [], products: [] };
  assert.ok(matchesAuditFilter(f, row('sso.connection.created', 'a', 'p')));
  assert.ok(matchesAuditFilter({ ...f, actions: ['sso.connection.'] }, row('sso.connection.created', 'a', 'p')));
  assert.ok(matchesAuditFilter(f, row('admin.api_key.created', null, null)));
  assert.ok(!matchesAuditFilter(f, row('sso.connections_bulk.deleted', 'a', 'p')), 'a prefix matches whole segments only');
  assert.ok(!matchesAuditFilter(f, row('admin.api_key.revoked', null, null)));
  const t = { actions: [], tenants: ['acme.com'], products: ['crm'] };
  assert.ok(matchesAuditFilter(t, row('x.y', 'acme.com', 'crm')));
  assert.ok(!matchesAuditFilter(t, row('x.y', 'acme.com', 'hr')));
  assert.ok(!matchesAuditFilter(t, row('x.y', null, null)), 'a tenant filter leaves out portal-wide events');
});

test('the streamed event is the stored row, secrets already redacted', () => {
  const r = auditRow({ actor: { type: 'admin', id: 'u1', label: 'a@example.com' }, action: 'sso.connection.updated', target: { type: 'connection', id: 'c1' }, tenant: 't', product: 'p', ip: '192.0.2.1', before: { clientSecret: 'shh', name: 'A' }, after: { name: 'B', nested: { privateKey: 'k' } } }, Date.UTC(2026, 0, 2, 3, 4, 5, 678));
  const e = streamedEventOf(r);
  assert.deepEqual(e, {
    id: r.id, type: 'audit', action: 'sso.connection.updated', at: '2026-01-02T03:04:05.678Z',
    actor: { type: 'admin', id: 'u1', label: 'a@example.com' }, target: { type: 'connection', id: 'c1' }, tenant: 't', product: 'p', ip: '192.0.2.1',
    changes: { before: { clientSecret: '[redacted]', name: 'A' }, after: { name: 'B', nested: { privateKey: '[redacted]' } } },
  });
});

test('an RFC 5424 message in an octet-counted frame, read back by a parser', () => {
  const r = auditRow({ actor: { type: 'system', id: 'system', label: 'ünïcode label' }, action: 'admin.audit_stream.updated_with_a_very_long_action_name', target: { type: 'settings', id: 's' } }, 0);
  const msg = syslogMessage(streamedEventOf(r), 'sso.example.com');
  const frame = octetCounted(msg);
  const frames: string[] = [];
  const rest = readFrames(Buffer.concat([frame, frame.subarray(0, 5)]), frames);
  assert.equal(frames.length, 1, 'the length counts bytes, not characters');
  assert.equal(rest.length, 5);
  const p = parseRfc5424(frames[0]!);
  assert.equal(p.pri, 109);
  assert.equal(p.version, 1);
  assert.equal(p.timestamp, '1970-01-01T00:00:00.000Z');
  assert.equal(p.hostname, 'sso.example.com');
  assert.equal(p.appName, 'gatehouse');
  assert.equal(p.procId, '-');
  assert.equal(p.msgId, 'admin.audit_stream.updated_with_');
  assert.equal(p.structuredData, '-');
  assert.ok(p.bom);
  assert.deepEqual(JSON.parse(p.msg), streamedEventOf(r));
});

test('syslog URLs: tcp and tls with default ports, nothing else', () => {
  assert.deepEqual(parseSyslogUrl('tcp://Collector.Example.com'), { tls: false, host: 'collector.example.com', port: 514 });
  assert.deepEqual(parseSyslogUrl('tls://10.0.0.5:7514'), { tls: true, host: '10.0.0.5', port: 7514 });
  for (const bad of ['udp://h:514', 'http://h', 'tcp://h:514/path', 'tcp://user@h', 'h:514', 'tcp://']) assert.equal(parseSyslogUrl(bad), null, bad);
});
