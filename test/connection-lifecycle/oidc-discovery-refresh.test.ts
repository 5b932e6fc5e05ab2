/**
 * An OIDC connection made from a discovery URL is fetched again each period: a changed endpoint is applied and
 * announced, a document naming another issuer is refused with the last good settings kept and the error shown.
 * A real HTTP server publishes the discovery document.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_KEY, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { APP_CALLBACK } from '../support/saml-flow.ts';
import { refreshDueMetadata } from '../../src/sso/upkeep/upkeep.ts';
import { connectionsRepo } from '../../src/storage/index.ts';
import { parseOidcSettings } from '../../src/sso/connection-settings.ts';
import type { ConnectionEvent } from '../../src/sso/connection-events.ts';

describe('OIDC discovery refresh (sqlite)', () => {
  let gh: RunningGatehouse;
  let server: http.Server;
  let issuer: string;
  let doc: Record<string, unknown>;
  let offset = 0;
  let clientID: string;
  const events: Omit<ConnectionEvent, 'ctx'>[] = [];
  const nextPeriod = () => { offset += 6000; };
  const connection = async () => ((await gh.app.inject({ method: 'GET', url: `/api/v1/sso?clientID=${clientID}`, headers: { authorization: `Api-Key ${API_KEY}` } })).json() as Record<string, any>[])[0]!;

  before(async () => {
    server = http.createServer((req, res) => {
      res.writeHead(req.url === '/.well-known/openid-configuration' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(doc));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    doc = { issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`, userinfo_endpoint: `${issuer}/me` };
    gh = (await startGatehouse({ env: { METADATA_REFRESH_SECONDS: '5' }, now: () => Date.now() + offset }))!;
    gh.ctx.events.on('connection.event', ({ ctx: _ctx, ...e }) => { events.push(e); });
    const res = await gh.app.inject({
      method: 'POST', url: '/api/v1/sso', headers: { authorization: `Api-Key ${API_KEY}` },
      payload: { tenant: 'acme.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], oidcDiscoveryUrl: issuer, oidcClientId: 'gatehouse', oidcClientSecret: 'upstream-secret' },
    });
    assert.ok(res.statusCode < 300, res.body);
    clientID = (res.json() as { clientID: string }).clientID;
  });
  after(async () => {
    await gh?.close();
    await new Promise((r) => server?.close(r));
  });

  test('the same document again changes nothing and announces nothing', async () => {
    nextPeriod();
    assert.deepEqual(await refreshDueMetadata(gh.ctx), { [clientID]: 'unchanged' });
    assert.equal(events.filter((e) => e.type === 'connection.metadata_refreshed').length, 0);
    const c = await connection();
    assert.equal(c.metadataRefreshError, null);
    assert.ok(c.metadataRefreshedAt);
  });

  test('a moved endpoint is applied and announced', async () => {
    doc = { ...doc, userinfo_endpoint: `${issuer}/userinfo` };
    nextPeriod();
    assert.deepEqual(await refreshDueMetadata(gh.ctx), { [clientID]: 'changed' });
    const stored = parseOidcSettings((await connectionsRepo.findById(gh.ctx.db, clientID))!.settings);
    assert.equal(stored.metadata.userinfo_endpoint, `${issuer}/userinfo`);
    const refreshed = events.filter((e) => e.type === 'connection.metadata_refreshed');
    assert.deepEqual(refreshed.map((e) => e.data), [{ changed: ['userinfo_endpoint'] }]);
  });

  test('a document naming another issuer is refused: the last good settings are kept', async () => {
    doc = { ...doc, issuer: 'https://someone-else.example', userinfo_endpoint: `${issuer}/elsewhere` };
    nextPeriod();
    assert.deepEqual(await refreshDueMetadata(gh.ctx), { [clientID]: 'failed' });
    const stored = parseOidcSettings((await connectionsRepo.findById(gh.ctx.db, clientID))!.settings);
    assert.equal(stored.metadata.userinfo_endpoint, `${issuer}/userinfo`);
    assert.match((await connection()).metadataRefreshError, /someone-else\.example/);
    assert.equal(events.filter((e) => e.type === 'connection.metadata_refresh_failed').length, 1);
  });
});
