/** The SSRF guard's address classifier: IPv6 forms that carry an IPv4 address are judged by it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { embeddedIpv4, ipv6Bytes, isPrivateAddress } from './outbound-address.ts';

test('IPv6 addresses are expanded to their 16 bytes, dotted tails included', () => {
  assert.deepEqual(ipv6Bytes('::1'), [...new Array(15).fill(0), 1]);
  assert.deepEqual(ipv6Bytes('::ffff:10.0.0.1'), [...new Array(10).fill(0), 0xff, 0xff, 10, 0, 0, 1]);
  assert.deepEqual(ipv6Bytes('64:ff9b::7f00:1'), [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, 127, 0, 0, 1]);
  assert.deepEqual(ipv6Bytes('fe80::1%eth0')?.slice(0, 2), [0xfe, 0x80]);
  assert.equal(ipv6Bytes('10.0.0.1'), null);
  assert.equal(ipv6Bytes('not an address'), null);
});

test('the IPv4 address inside mapped, compatible, SIIT, NAT64 and 6to4 forms is found', () => {
  for (const [v6, v4] of [
    ['::ffff:7f00:1', '127.0.0.1'], ['::ffff:127.0.0.1', '127.0.0.1'], ['::ffff:0:a00:1', '10.0.0.1'], ['::10.0.0.1', '10.0.0.1'],
    ['64:ff9b::a9fe:a9fe', '169.254.169.254'], ['64:ff9b::192.168.0.1', '192.168.0.1'], ['64:ff9b:1::a00:1', '10.0.0.1'], ['2002:c0a8:101::1', '192.168.1.1'],
  ] as const) assert.equal(embeddedIpv4(ipv6Bytes(v6)!), v4, v6);
  assert.equal(embeddedIpv4(ipv6Bytes('2606:4700::1111')!), null);
});

test('private targets, however they are written, are refused', () => {
  for (const a of [
    '127.0.0.1', '10.1.2.3', '169.254.169.254', '::', '::1', '::127.0.0.1', '::7f00:1', '::ffff:10.0.0.1', '::ffff:7f00:1', '::ffff:0:7f00:1',
    '64:ff9b::7f00:1', '64:ff9b::10.0.0.1', '64:ff9b::a9fe:a9fe', '64:ff9b:1::c0a8:1', '2002:7f00:1::', '2002:a9fe:a9fe::1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2', '2001:db8::1', 'fec0::1', 'fc00::1', 'fd12::1', 'fe80::1', 'ff02::1', '100::1', 'fe80::1%eth0',
  ]) assert.equal(isPrivateAddress(a), true, a);
});

test('public targets pass, including NAT64 and 6to4 of public IPv4 addresses', () => {
  for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '2a00:1450:4001:81b::200e', '64:ff9b::5db8:d822', '::ffff:93.184.216.34', '2002:5db8:d822::1']) {
    assert.equal(isPrivateAddress(a), false, a);
  }
});

test('private, loopback and link-local addresses are recognised', () => {
  for (const a of ['::ffff:10.0.0.1', '10.0.0.1', '127.0.0.1', '169.254.169.254', '172.16.5.4', '192.168.1.1', '::1', 'fe80::1', 'fd00::1', '100.64.0.1']) assert.equal(isPrivateAddress(a), true, a);
  for (const a of ['93.184.216.34', '2606:4700::1111', '8.8.8.8']) assert.equal(isPrivateAddress(a), false, a);
});
