/**
 * Identity Federation end to end: @node-saml/node-saml is the app's SP (configured from Gatehouse's IdP
 * metadata), Gatehouse sends the user through the tenant's upstream SAML IdP (test/support/saml-idp.ts),
 * and node-saml validates the signed response Gatehouse posts back. Refusals: unknown Issuer, ACS URL
 * mismatch, a replayed or expired pending request, a tampered response.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { API_KEY, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { buildSamlResponseBase64, createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { IDP_SSO_URL, createSamlConnection, postToAcs } from '../support/saml-flow.ts';
import { parseRedirectBindingRequest } from '../../src/sso/saml/authn-request.ts';

const APP_ACS = 'https://crm.example.test/saml/acs';
const APP_ENTITY = 'https://crm.example.test/saml/metadata';
const auth = { authorization: `Api-Key ${API_KEY}` };

async function createApp(gh: RunningGatehouse, over: Record<string, unknown> = {}) {
  const res = await gh.app.inject({ method: 'POST', url: '/api/v1/identity-federation', headers: auth, payload: { name: 'Legacy CRM', tenant: 'acme.com', product: 'crm', acsUrl: APP_ACS, entityId: APP_ENTITY, ...over } });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().data as { id: string };
}

/** The app's SP, set up only from what Gatehouse's IdP metadata publishes. */
async function appSp(gh: RunningGatehouse, over: { callbackUrl?: string; issuer?: string } = {}) {
  const md = await gh.app.inject({ url: '/.well-known/idp-metadata' });
  assert.equal(md.statusCode, 200);
  const cert = /<ds:X509Certificate>([^<]+)<\/ds:X509Certificate>/.exec(md.body)![1]!;
  const idpEntityId = /entityID="([^"]+)"/.exec(md.body)![1]!;
  const ssoUrl = /Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="([^"]+)"/.exec(md.body)![1]!;
  return new SAML({
    callbackUrl: over.callbackUrl ?? APP_ACS, entryPoint: ssoUrl, issuer: over.issuer ?? APP_ENTITY, audience: APP_ENTITY,
    idpCert: cert, idpIssuer: idpEntityId, wantAssertionsSigned: true, wantAuthnResponseSigned: true, validateInResponseTo: ValidateInResponseTo.always,
  });
}

/** Sends the app's AuthnRequest (HTTP-Redirect) to Gatehouse. */
async function sendAuthnRequest(gh: RunningGatehouse, sp: SAML, relayState: string) {
  const url = new URL(await sp.getAuthorizeUrlAsync(relayState, undefined, {}));
  return gh.app.inject({ url: url.pathname + url.search });
}

/** The upstream IdP answers the AuthnRequest Gatehouse sent it; returns the ACS answer. */
async function upstreamAnswers(gh: RunningGatehouse, idp: TestIdp, location: string, opts: { now?: number } = {}) {
  const upstream = parseRedirectBindingRequest(location);
  const requestId = /\bID="([^"]+)"/.exec(upstream.xml)![1]!;
  const b64 = buildSamlResponseBase64({
    idp, spEntityId: gh.ctx.config.SAML_SP_ENTITY_ID, acsUrl: gh.ctx.config.acsUrl, inResponseTo: requestId, nameId: 'alice@acme.com',
    attributes: { email: 'alice@acme.com', firstName: 'Alice', lastName: 'Liddell', dept: 'Research' }, ...(opts.now ? { now: opts.now } : {}),
  });
  return { acs: await postToAcs(gh.app, b64, upstream.relayState), b64, relayState: upstream.relayState };
}

const unescapeHtml = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
/** The fields of the auto-submitting form Gatehouse answers with. */
function postedForm(html: string) {
  const action = /<form id="saml-post" method="post" action="([^"]+)">/.exec(html)?.[1];
  const field = (name: string) => {
    const v = new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
    return v === undefined ? undefined : unescapeHtml(v);
  };
  return { action: action && unescapeHtml(action), SAMLResponse: field('SAMLResponse'), RelayState: field('RelayState') };
}

const requestCount = async (gh: RunningGatehouse) => Number((await gh.ctx.db.selectFrom('federation_requests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('Identity Federation: a SAML app signs in through the tenant\'s IdP', () => {
  let gh: RunningGatehouse;
  let idp: TestIdp;
  before(async () => {
    gh = (await startGatehouse())!;
    idp = await createTestIdp();
    await createSamlConnection(gh.app, idp);
    await createApp(gh, { mappings: [{ key: 'department', value: 'dept' }] });
  });
  after(async () => gh?.close());

  test('node-saml\'s AuthnRequest → upstream IdP → ACS → a signed response node-saml accepts', async () => {
    const sp = await appSp(gh);
    const start = await sendAuthnRequest(gh, sp, 'relay-42');
    assert.equal(start.statusCode, 302, start.body);
    assert.ok((start.headers.location as string).startsWith(`${IDP_SSO_URL}?SAMLRequest=`), 'the user goes to the tenant\'s own IdP');
    const { acs } = await upstreamAnswers(gh, idp, start.headers.location as string);
    assert.equal(acs.statusCode, 200, acs.body);
    assert.match(String(acs.headers['content-type']), /text\/html/);
    assert.match(acs.body, /<noscript>.*<button type="submit">Continue<\/button><\/noscript>/s, 'the form works without JavaScript');
    const form = postedForm(acs.body);
    assert.equal(form.action, APP_ACS, 'posted to the registered ACS URL');
    assert.equal(form.RelayState, 'relay-42', 'the app\'s RelayState comes back');
    const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse!, RelayState: form.RelayState! });
    assert.ok(profile);
    assert.equal(profile.nameID, 'alice@acme.com');
    assert.equal(profile.nameIDFormat, 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
    assert.equal(profile.issuer, gh.ctx.config.SAML_SP_ENTITY_ID, 'Issuer = the IdP entity ID of the metadata');
    assert.equal(profile.email, 'alice@acme.com');
    assert.equal(profile.firstName, 'Alice');
    assert.equal(profile.lastName, 'Liddell');
    assert.equal(profile.id, 'alice@acme.com');
    assert.equal(profile.department, 'Research', 'the app\'s mapping renames dept to department');
    assert.equal(profile.dept, undefined);

    const xml = Buffer.from(form.SAMLResponse!, 'base64').toString('utf8');
    assert.match(xml, /<ds:SignatureMethod Algorithm="http:\/\/www\.w3\.org\/2001\/04\/xmldsig-more#rsa-sha256"\/>/);
    assert.match(xml, /<ds:CanonicalizationMethod Algorithm="http:\/\/www\.w3\.org\/2001\/10\/xml-exc-c14n#"\/>/);
    assert.match(xml, new RegExp(`<saml:Audience>${APP_ENTITY}</saml:Audience>`));
    assert.match(xml, new RegExp(`Recipient="${APP_ACS}"`));
    assert.match(xml, new RegExp(`Destination="${APP_ACS}"`));
  });

  test('the POST binding is accepted too', async () => {
    const sp = new SAML({ ...(await appSp(gh)).options, authnRequestBinding: 'HTTP-POST' });
    const message = await sp.getAuthorizeMessageAsync('relay-post');
    const start = await gh.app.inject({ method: 'POST', url: '/api/identity-federation/sso', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(message as Record<string, string>).toString() });
    assert.equal(start.statusCode, 302, start.body);
    const { acs } = await upstreamAnswers(gh, idp, start.headers.location as string);
    const form = postedForm(acs.body);
    assert.equal(form.RelayState, 'relay-post');
    const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse! });
    assert.equal(profile?.nameID, 'alice@acme.com');
  });

  test('a tampered response is refused by node-saml: the signature is real', async () => {
    const sp = await appSp(gh);
    const start = await sendAuthnRequest(gh, sp, 'relay-t');
    const { acs } = await upstreamAnswers(gh, idp, start.headers.location as string);
    const xml = Buffer.from(postedForm(acs.body).SAMLResponse!, 'base64').toString('utf8');
    const forged = xml.replaceAll('alice@acme.com', 'mallory@acme.com');
    assert.notEqual(forged, xml);
    await assert.rejects(sp.validatePostResponseAsync({ SAMLResponse: Buffer.from(forged).toString('base64') }), /signature/i);
  });

  test('an unknown Issuer gets a 4xx page and starts nothing', async () => {
    const before = await requestCount(gh);
    const sp = await appSp(gh, { issuer: 'https://stranger.example.test/sp' });
    const res = await sendAuthnRequest(gh, sp, 'x');
    assert.equal(res.statusCode, 404);
    assert.equal(res.headers.location, undefined);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(res.body, /FEDERATION_APP_NOT_FOUND/);
    assert.equal(await requestCount(gh), before);
  });

  test('an AuthnRequest naming another ACS URL gets a 4xx page, never a post to it', async () => {
    const before = await requestCount(gh);
    const sp = await appSp(gh, { callbackUrl: 'https://evil.example.test/acs' });
    const res = await sendAuthnRequest(gh, sp, 'x');
    assert.equal(res.statusCode, 400);
    assert.equal(res.headers.location, undefined);
    assert.match(res.body, /FEDERATION_ACS_MISMATCH/);
    assert.doesNotMatch(res.body, /<form id="saml-post"/);
    assert.equal(await requestCount(gh), before, 'no pending request was kept');
  });

  test('a replayed upstream answer yields no second response', async () => {
    const sp = await appSp(gh);
    const start = await sendAuthnRequest(gh, sp, 'relay-r');
    const first = await upstreamAnswers(gh, idp, start.headers.location as string);
    assert.equal(first.acs.statusCode, 200);
    const replay = await postToAcs(gh.app, first.b64, first.relayState);
    assert.equal(replay.statusCode, 400);
    assert.doesNotMatch(replay.body, /name="SAMLResponse"/);
  });

  test('an upstream assertion Gatehouse refuses closes the pending request and posts nothing to the app', async () => {
    const sp = await appSp(gh);
    const start = await sendAuthnRequest(gh, sp, 'relay-bad');
    const upstream = parseRedirectBindingRequest(start.headers.location as string);
    const requestId = /\bID="([^"]+)"/.exec(upstream.xml)![1]!;
    const b64 = buildSamlResponseBase64({ idp, spEntityId: gh.ctx.config.SAML_SP_ENTITY_ID, acsUrl: gh.ctx.config.acsUrl, inResponseTo: requestId, nameId: 'alice@acme.com', audience: 'https://someone-else.example.test' });
    const acs = await postToAcs(gh.app, b64, upstream.relayState);
    assert.equal(acs.statusCode, 400);
    assert.match(acs.body, /SAML_AUDIENCE_MISMATCH/);
    assert.doesNotMatch(acs.body, /name="SAMLResponse"/);
    assert.equal(acs.headers.location, undefined, 'no redirect anywhere');
    const open = await gh.ctx.db.selectFrom('federation_requests').select('id').where('relay_state', '=', 'relay-bad').where('used_at', 'is', null).execute();
    assert.deepEqual(open, [], 'the pending request is closed');
  });

  test('a request body that is not an AuthnRequest is a 400 page', async () => {
    const res = await gh.app.inject({ method: 'POST', url: '/api/identity-federation/sso', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `SAMLRequest=${encodeURIComponent(Buffer.from('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>').toString('base64'))}` });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /FEDERATION_REQUEST_INVALID/);
    const missing = await gh.app.inject({ url: '/api/identity-federation/sso' });
    assert.equal(missing.statusCode, 400);
  });
});

describe('Identity Federation: the pending request is single use and expires', () => {
  let gh: RunningGatehouse;
  let idp: TestIdp;
  let clock = Date.now();
  const connections: string[] = [];
  before(async () => {
    gh = (await startGatehouse({ now: () => clock }))!;
    idp = await createTestIdp();
    const other = await createTestIdp();
    connections.push((await createSamlConnection(gh.app, idp, { name: 'Acme Okta' })).clientID);
    connections.push((await createSamlConnection(gh.app, other, { name: 'Acme Entra' })).clientID);
    await createApp(gh);
  });
  after(async () => gh?.close());

  /** Two connections: Gatehouse answers the picker; its links continue the pending request. */
  async function pickerLinks(sp: SAML) {
    const res = await sendAuthnRequest(gh, sp, 'relay-p');
    assert.equal(res.statusCode, 200, res.body);
    const hrefs = [...res.body.matchAll(/href="(\/api\/identity-federation\/sso\/continue\?[^"]+)"/g)].map((m) => unescapeHtml(m[1]!));
    assert.equal(hrefs.length, 2, 'one choice per connection');
    return hrefs;
  }

  test('the picker continues the request; a second sign-in for the same request gets no response', async () => {
    const sp = await appSp(gh);
    const hrefs = await pickerLinks(sp);
    const okta = hrefs.find((h) => h.includes(connections[0]!))!;
    const first = await gh.app.inject({ url: okta });
    const second = await gh.app.inject({ url: okta });
    assert.equal(first.statusCode, 302);
    assert.equal(second.statusCode, 302, 'the request is still open until a sign-in completes');
    const done = await upstreamAnswers(gh, idp, first.headers.location as string);
    const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: postedForm(done.acs.body).SAMLResponse! });
    assert.equal(profile?.nameID, 'alice@acme.com');
    const replayed = await upstreamAnswers(gh, idp, second.headers.location as string);
    assert.equal(replayed.acs.statusCode, 400);
    assert.match(replayed.acs.body, /FEDERATION_REQUEST_EXPIRED/);
    assert.doesNotMatch(replayed.acs.body, /name="SAMLResponse"/);
    assert.equal((await gh.app.inject({ url: okta })).statusCode, 400, 'a used request cannot be continued');
  });

  test('an idp_hint outside the app\'s connections is refused, not replaced', async () => {
    const [href] = await pickerLinks(await appSp(gh));
    const res = await gh.app.inject({ url: href!.replace(/idp_hint=[^&]+/, 'idp_hint=not-a-connection') });
    assert.equal(res.statusCode, 400);
    assert.equal(res.headers.location, undefined);
  });

  test('an expired pending request cannot be continued', async () => {
    const [href] = await pickerLinks(await appSp(gh));
    clock += (gh.ctx.config.LOGIN_FLOW_TTL_SECONDS + 1) * 1000;
    const res = await gh.app.inject({ url: href! });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /FEDERATION_REQUEST_EXPIRED/);
    assert.equal(res.headers.location, undefined);
  });
});
