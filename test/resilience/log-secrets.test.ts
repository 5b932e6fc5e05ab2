/**
 * The logs of a full run hold no secret, and a request id follows a request through them. Two
 * instances (child processes, LOG_LEVEL=debug, pino JSON on stdout) serve: a SAML login across both,
 * an OIDC login through a real upstream provider, failures (replayed response, reused code, wrong
 * secrets, a token in the query string), SCIM with a password attribute, webhooks with a secret,
 * setup links, the admin sign-in. Then every line both instances wrote is searched for every secret
 * the run created or used.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { startOidcIdp, signInAtOidcIdp, type TestOidcIdp } from '../support/oidc-idp.ts';
import { CLUSTER_API_KEY, EXTERNAL_URL, startCluster, type Cluster, type Instance } from './support/cluster.ts';
import { api, APP_CALLBACK, call, codeOf, createDirectory, createSamlConnection, fullLogin, idpAnswer, PATCH_OP, postAcs, redeem, scim, startLogin, startReceiver, waitFor, type Receiver } from './support/flows.ts';

const ADMIN_EMAIL = 'owner@vendor.test';
const ADMIN_PASSWORD = 'Adm1n-pa55word-never-logged';
const WEBHOOK_SECRET = 'whsec_never_logged_0123456789';
const SCIM_PASSWORD = 'Scim-Us3r-pa55word-never-logged';

describe('logs: no secrets, request ids that follow a request', () => {
  let cluster: Cluster | null;
  let a: Instance, b: Instance;
  let idp: TestIdp;
  let oidcIdp: TestOidcIdp;
  let rx: Receiver;
  const secrets = new Map<string, string>();
  const keep = (what: string, value: string | null | undefined) => {
    assert.ok(value && value.length >= 8, `${what} is a real value`);
    secrets.set(`${what} #${secrets.size}`, value!);
  };

  before(async () => {
    [idp, rx, oidcIdp] = await Promise.all([createTestIdp(), startReceiver(), startOidcIdp({ redirectUris: [`${EXTERNAL_URL}/api/oauth/oidc`], clientSecret: 'upstream-oidc-secret-never-logged-01' })]);
    cluster = await startCluster(['a', 'b'], { env: { LOG_LEVEL: 'debug', ADMIN_EMAIL, ADMIN_PASSWORD } });
    if (cluster) [a, b] = cluster.instances as [Instance, Instance];
  });
  after(async () => {
    await cluster?.close();
    await rx?.close();
    await oidcIdp?.close();
  });

  test('a full run across two instances', async (t) => {
    if (!cluster) return t.skip('PostgreSQL unreachable');
    keep('API key', CLUSTER_API_KEY);
    keep('ENCRYPTION_KEY', cluster.env.ENCRYPTION_KEY);
    keep('admin password', ADMIN_PASSWORD);
    keep('webhook secret', WEBHOOK_SECRET);
    keep('SCIM password attribute', SCIM_PASSWORD);
    keep('upstream OIDC client secret', oidcIdp.clientSecret);

    // SAML: connection, a login across instances, a replayed response, a reused code.
    const client = await createSamlConnection(a.url, idp);
    keep('client secret', client.clientSecret);
    const r = await fullLogin(idp, client, 'logged@acme.com', a.url, b.url, a.url, b.url);
    keep('SAMLResponse', r.samlResponse);
    keep('code', r.code);
    keep('code_verifier', r.login.verifier);
    keep('access token', r.accessToken);
    keep('id_token', r.idToken);
    keep('id_token signature', r.idToken.split('.')[2]);
    const replay = await postAcs(a.url, r.samlResponse, r.login.relayState, { 'x-request-id': 'trace-replayed-acs' });
    assert.equal(replay.headers.get('x-request-id'), 'trace-replayed-acs', 'echoed');
    assert.ok(replay.status < 500);
    assert.equal((await redeem(b.url, client, r.code, r.login.verifier)).status, 400);
    const tokenInQuery = await call(a.url, 'GET', `/api/oauth/userinfo?access_token=${encodeURIComponent(r.accessToken)}`);
    assert.equal(tokenInQuery.status, 401, 'revoked after the reuse');
    const wrongSecret = { ...client, clientSecret: 'wrong-client-secret-0123456789' };
    keep('wrong client secret', wrongSecret.clientSecret);
    const l2 = await startLogin(b.url, client, 'second@acme.com');
    const answer2 = idpAnswer(idp, l2);
    keep('SAMLResponse', answer2);
    const code2 = codeOf(await postAcs(a.url, answer2, l2.relayState))!;
    keep('code', code2);
    assert.equal((await redeem(b.url, wrongSecret, code2, l2.verifier)).status, 401);
    // A response signed by someone else for a live flow: refused after the flow is known, logged deeper down.
    const l3 = await startLogin(a.url, client, 'forged@acme.com');
    const forged = idpAnswer(await createTestIdp({ entityId: idp.entityId }), l3);
    keep('SAMLResponse', forged);
    const refused = await postAcs(b.url, forged, l3.relayState, { 'x-request-id': 'trace-refused-acs' });
    assert.equal(refused.status, 302);
    assert.match(refused.headers.get('location')!, /error=access_denied/);

    // OIDC: connection with an upstream client secret, a login through the real provider.
    const oidcConn = await api(a.url, 'POST', '/api/v1/sso', { tenant: 'oidc.com', product: 'crm', name: 'Upstream', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], oidcDiscoveryUrl: oidcIdp.issuer, oidcClientId: oidcIdp.clientId, oidcClientSecret: oidcIdp.clientSecret });
    assert.equal(oidcConn.status, 200, oidcConn.text);
    const oc = oidcConn.json<{ clientID: string; clientSecret: string }>();
    keep('OIDC connection client secret', oc.clientSecret);
    const start = await call(b.url, 'GET', `/api/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: oc.clientID, redirect_uri: APP_CALLBACK, state: 'st-oidc', scope: 'openid' })}`);
    assert.equal(start.status, 302, start.text);
    const callback = new URL(await signInAtOidcIdp(start.headers.get('location')!, 'alice@oidc.com', `${EXTERNAL_URL}/api/oauth/oidc`));
    keep('upstream code', callback.searchParams.get('code'));
    const done = await call(a.url, 'GET', callback.pathname + callback.search);
    const oidcCode = codeOf(done);
    keep('code', oidcCode);
    const oidcToken = await call(b.url, 'POST', '/api/oauth/token', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'authorization_code', code: oidcCode!, client_id: oc.clientID, client_secret: oc.clientSecret, redirect_uri: APP_CALLBACK }).toString() });
    assert.equal(oidcToken.status, 200, oidcToken.text);
    keep('access token', oidcToken.json().access_token);

    // SCIM and webhooks: a directory's bearer, a wrong bearer, a password attribute, events with a signature.
    const dir = await createDirectory(b.url, { webhook_url: rx.url, webhook_secret: WEBHOOK_SECRET });
    keep('SCIM bearer', dir.secret);
    const created = await scim(a.url, dir, 'POST', '/Users', { userName: 'pw@acme.com', password: SCIM_PASSWORD, emails: [{ value: 'pw@acme.com', primary: true }] });
    assert.equal(created.status, 201);
    assert.equal((await scim(b.url, dir, 'PATCH', `/Users/${created.json().id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'password', value: `${SCIM_PASSWORD}-2` }] })).status, 204);
    const wrongBearer = 'wrong-scim-bearer-0123456789abcdef';
    keep('wrong SCIM bearer', wrongBearer);
    assert.equal((await scim(a.url, { ...dir, secret: wrongBearer }, 'GET', '/Users')).status, 401);
    await waitFor(() => rx.acked.length >= 2, 15_000, 'webhooks delivered');
    const rotated = await api(a.url, 'POST', `/api/v1/dsync/${dir.id}/scim-secret`, {});
    if (rotated.status === 200) keep('rotated SCIM bearer', rotated.json().data?.scim?.secret ?? rotated.json().data?.secret);

    // Setup links and the management API with a wrong key.
    const link = await api(b.url, 'POST', '/api/v1/sso/setuplinks', { tenant: 'acme.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK] });
    const token = new URL(link.json().data.url).pathname.split('/').pop();
    keep('setup link token', token);
    assert.equal((await call(a.url, 'GET', `/api/setup/${token}`)).status, 200);
    assert.equal((await call(a.url, 'GET', `/setup/${token}`)).status < 500, true);
    const wrongKey = 'wrong-api-key-0123456789abcdef';
    keep('wrong API key', wrongKey);
    assert.equal((await call(a.url, 'GET', '/api/v1/sso?tenant=acme.com&product=crm', { headers: { authorization: `Api-Key ${wrongKey}` } })).status, 401);

    // The admin portal: a failed and a successful password sign-in.
    assert.equal((await call(b.url, 'POST', '/api/admin/login', { body: { email: ADMIN_EMAIL, password: `${ADMIN_PASSWORD}-wrong` } })).status, 401);
    const signedIn = await call(b.url, 'POST', '/api/admin/login', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
    assert.equal(signedIn.status, 200, signedIn.text);
    const cookie = signedIn.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');
    keep('admin session cookie', cookie.split('=').slice(1).join('='));
    keep('admin CSRF token', signedIn.json().csrfToken);

    await new Promise((r) => setTimeout(r, 300)); // the last lines reach the pipes

    // The grep: every secret, whole and as its first 16 characters (a truncated value leaks too).
    const logs = `${a.output()}\n${b.output()}`;
    assert.ok(logs.split('\n').length > 25, `the run produced logs: ${logs.split('\n').length} lines\n${logs.slice(0, 3000)}`);
    const leaks: string[] = [];
    for (const [what, value] of secrets) {
      const probes = [value, value.slice(0, 16), encodeURIComponent(value)];
      if (probes.some((p) => logs.includes(p))) leaks.push(`${what}: ${logs.split('\n').find((l) => probes.some((p) => l.includes(p)))!.slice(0, 300)}`);
    }
    assert.deepEqual(leaks, [], `secrets found in the logs:\n${leaks.join('\n')}`);
    t.diagnostic(`${secrets.size} secrets checked against ${logs.split('\n').length} log lines`);

    // The request id: echoed, on the access line, and on the service line written deeper down (the refusal).
    assert.ok(a.logs().some((l) => l.reqId === 'trace-replayed-acs' && l.msg === 'request' && l.url === '/api/oauth/saml'));
    const traced = b.logs().filter((l) => l.reqId === 'trace-refused-acs');
    assert.ok(traced.some((l) => l.msg === 'request' && l.url === '/api/oauth/saml'), JSON.stringify(traced));
    assert.ok(traced.some((l) => l.event === 'login_failed' && l.code === 'SAML_SIGNATURE_INVALID'), `the refusal logged by the sign-in code carries the request's id: ${JSON.stringify(traced)}`);
    assert.ok(a.logs().filter((l) => l.msg === 'request').every((l) => typeof l.reqId === 'string'), 'every access line has a reqId');
    assert.ok(!a.logs().some((l) => l.msg === 'webhook attempt' && l.reqId), 'background deliveries do not inherit a request id');
  });
});
