/**
 * The SSRF guard on every outbound URL, through the management API: IPv6 forms that carry a private IPv4
 * address are refused like that address, and a host that answers DNS differently the second time
 * (DNS rebinding, from a real DNS server) never gets a fetch to its rebound private address: each
 * fetch resolves once and connects to the address it checked.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { startGatehouse, API_KEY, freePort, type RunningGatehouse } from '../support/gatehouse.ts';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.ts';
import { createTestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, IDP_SSO_URL, locationParams } from '../support/saml-flow.ts';

const api = (gh: RunningGatehouse, method: 'POST', url: string, payload: object) => gh.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, payload });
const conn = { tenant: 'acme.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK] };

describe('the SSRF guard judges IPv6 addresses by the IPv4 address they carry', () => {
  let gh: RunningGatehouse;
  before(async () => {
    gh = (await startGatehouse({ env: { OUTBOUND_TIMEOUT_MS: '800' } }))!;
  });
  after(() => gh.close());

  const embedded = [
    '64:ff9b::7f00:1', // NAT64 of 127.0.0.1
    '64:ff9b::a9fe:a9fe', // NAT64 of 169.254.169.254 (cloud metadata)
    '64:ff9b:1::a00:1', // local-use NAT64 of 10.0.0.1
    '::7f00:1', // IPv4-compatible 127.0.0.1
    '::ffff:7f00:1', // IPv4-mapped 127.0.0.1, in the hex form the URL parser writes
    '::ffff:0:a00:1', // SIIT 10.0.0.1
    '2002:c0a8:101::1', // 6to4 of 192.168.1.1
    '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo
    'fec0::1', // site-local
  ];

  for (const addr of embedded) {
    test(`metadataUrl https://[${addr}]/ is refused with a 400 naming the field`, async () => {
      const res = await api(gh, 'POST', '/api/v1/sso', { ...conn, metadataUrl: `https://[${addr}]/metadata` });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().code, 'OUTBOUND_URL_REFUSED', 'refused by the guard, not merely unreachable');
      assert.equal(res.json().field, 'metadataUrl');
    });
  }

  test('a webhook target in those forms is refused when the directory is created', async () => {
    for (const addr of embedded) {
      const res = await api(gh, 'POST', '/api/v1/dsync', { tenant: 'acme.com', product: 'crm', name: 'Dir', type: 'okta-scim-v2', webhook_url: `https://[${addr}]/hook`, webhook_secret: 'whsec-0123456789abcdef-0123456789' });
      assert.equal(res.statusCode, 400, `${addr}: ${res.body}`);
      assert.equal(res.json().field, 'webhook_url');
    }
  });

  test('the OIDC provider\'s endpoints in those forms are refused too', async () => {
    const metadata = { issuer: 'https://op.example.com', authorization_endpoint: 'https://op.example.com/auth', token_endpoint: 'https://[64:ff9b::a00:5]/token', jwks_uri: 'https://op.example.com/jwks' };
    const res = await api(gh, 'POST', '/api/v1/sso', { ...conn, oidcMetadata: metadata, oidcClientId: 'x' });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().code, 'OUTBOUND_URL_REFUSED');
    assert.equal(res.json().field, 'oidcMetadata.token_endpoint');
  });
});

describe('outbound fetches are pinned to the address they checked (DNS rebinding)', () => {
  const PUBLIC = '198.51.100.7'; // a public address nothing answers on here: a fetch pinned to it fails
  let gh: RunningGatehouse;
  let dns: TestDnsServer;
  let trap: TcpServer;
  let trapPort: number;
  let trapped = 0;
  let metadataServer: HttpServer;
  let rebound: TcpServer;
  let metadataHits = 0;
  let reboundHits = 0;
  let pinnedPort: number;

  before(async () => {
    dns = await startDnsServer();
    trapPort = await freePort();
    trap = createTcpServer((s) => {
      trapped++;
      s.destroy();
    });
    await new Promise<void>((r) => trap.listen(trapPort, '127.0.0.1', r));
    // An allow-listed host whose answers alternate between a real server and a trap on another address.
    const idp = await createTestIdp();
    pinnedPort = await freePort();
    metadataServer = createHttpServer((_req, res) => {
      metadataHits++;
      res.writeHead(200, { 'content-type': 'application/xml' }).end(idp.metadataXml({ ssoUrl: IDP_SSO_URL }));
    });
    rebound = createTcpServer((s) => {
      reboundHits++;
      s.destroy();
    });
    await new Promise<void>((r) => metadataServer.listen(pinnedPort, '127.0.0.1', r));
    await new Promise<void>((r) => rebound.listen(pinnedPort, '127.0.0.2', r));
    gh = (await startGatehouse({ env: { OUTBOUND_DNS_SERVERS: dns.address, OUTBOUND_TIMEOUT_MS: '800', OUTBOUND_ALLOW_HOSTS: '127.0.0.1,localhost,pinned.test' } }))!;
  });
  after(async () => {
    await gh.close();
    await dns.close();
    trap.close();
    metadataServer.closeAllConnections();
    metadataServer.close();
    rebound.close();
  });

  /** First `publicAnswers` queries: a public address; every later one: 127.0.0.1, where the trap listens. */
  const rebinding = (name: string, publicAnswers = 1) => dns.a.set(name, (n) => (n <= publicAnswers ? PUBLIC : '127.0.0.1'));

  test('metadataUrl: one resolution, the fetch goes to the checked public address, never to the rebound one', async () => {
    rebinding('meta.rebind.test');
    const res = await api(gh, 'POST', '/api/v1/sso', { ...conn, metadataUrl: `https://meta.rebind.test:${trapPort}/metadata` });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().code, 'OUTBOUND_FETCH_FAILED', 'the pinned public address does not answer');
    assert.equal(res.json().field, 'metadataUrl');
    assert.equal(dns.aQueries.get('meta.rebind.test'), 1, 'the name is resolved once');
    assert.equal(trapped, 0, 'nothing reached the rebound private address');
  });

  test('OIDC discovery: the same', async () => {
    rebinding('disc.rebind.test');
    const res = await api(gh, 'POST', '/api/v1/sso', { ...conn, oidcDiscoveryUrl: `https://disc.rebind.test:${trapPort}`, oidcClientId: 'x' });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().field, 'oidcDiscoveryUrl');
    assert.equal(dns.aQueries.get('disc.rebind.test'), 1);
    assert.equal(trapped, 0);
  });

  test('the token endpoint at sign-in: checked and pinned per call; a rebound answer is never fetched', async () => {
    const base = `https://tok.rebind.test:${trapPort}`;
    rebinding('tok.rebind.test', 3); // two checks when the connection is created, one at sign-in; a fourth lookup would be the trap
    const metadata = { issuer: base, authorization_endpoint: `${base}/auth`, token_endpoint: `${base}/token`, jwks_uri: `${base}/jwks` };
    const c = await api(gh, 'POST', '/api/v1/sso', { ...conn, tenant: 'tok.com', oidcMetadata: metadata, oidcClientId: 'x', oidcClientSecret: 'y' });
    assert.equal(c.statusCode, 200, c.body);
    const start = await gh.app.inject({ url: `/api/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: c.json().clientID, redirect_uri: APP_CALLBACK, state: 'st' })}` });
    const state = new URL(start.headers.location as string).searchParams.get('state')!;
    const res = await gh.app.inject({ url: `/api/oauth/oidc?${new URLSearchParams({ code: 'abc', state, iss: base })}` });
    assert.equal(res.statusCode, 302, res.body);
    assert.equal(locationParams(res).get('error'), 'temporarily_unavailable');
    assert.equal(dns.aQueries.get('tok.rebind.test'), 3);
    assert.equal(trapped, 0);
    // Once the name answers the private address, the check refuses it before any connection.
    const again = await gh.app.inject({ url: `/api/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: c.json().clientID, redirect_uri: APP_CALLBACK, state: 'st' })}` });
    const state2 = new URL(again.headers.location as string).searchParams.get('state')!;
    const refused = await gh.app.inject({ url: `/api/oauth/oidc?${new URLSearchParams({ code: 'abc', state: state2, iss: base })}` });
    assert.equal(locationParams(refused).get('error_code'), 'OIDC_IDP_UNAVAILABLE');
    assert.match(locationParams(refused).get('error_description') ?? '', /private or loopback/);
    assert.equal(trapped, 0);
  });

  test('an allow-listed host: the connection goes to the address the lookup answered, not to a second lookup\'s', async () => {
    dns.a.set('pinned.test', (n) => (n % 2 === 1 ? '127.0.0.1' : '127.0.0.2'));
    const res = await api(gh, 'POST', '/api/v1/sso', { ...conn, tenant: 'pinned.com', metadataUrl: `http://pinned.test:${pinnedPort}/metadata` });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(metadataHits, 1);
    assert.equal(reboundHits, 0);
    assert.equal(dns.aQueries.get('pinned.test'), 1);
  });
});
