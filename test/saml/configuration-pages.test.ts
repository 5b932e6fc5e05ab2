/**
 * Issue 13: Jackson's configuration pages for humans, `/.well-known/saml-configuration`, `oidc-configuration` and
 * `idp-configuration`: HTML with the strict headers, and the values an IT admin types into their IdP, taken from the
 * deployment (SAML_SP_ENTITY_ID, JACKSON_COMPAT, EXTERNAL_URL) and matching what the metadata and endpoints serve.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';

const PAGES = ['/.well-known/saml-configuration', '/.well-known/oidc-configuration', '/.well-known/idp-configuration', '/well-known'];

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** The page's values by label (`<dt>label</dt><dd><code>value</code>`), unescaped. */
function valuesOf(html: string): Map<string, string> {
  return new Map([...html.matchAll(/<dt>([^<]*)<\/dt><dd><code>([^<]*)<\/code>/g)].map((m) => [unescape(m[1]!), unescape(m[2]!)]));
}

async function page(gh: RunningGatehouse, url: string) {
  const res = await gh.app.inject({ url });
  assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
  assert.match(String(res.headers['content-type']), /^text\/html; charset=utf-8/);
  return { html: res.body, values: valuesOf(res.body), headers: res.headers };
}

describe('/.well-known/*-configuration pages', () => {
  let plain: RunningGatehouse, own: RunningGatehouse, compat: RunningGatehouse;
  const OWN_ENTITY_ID = 'urn:example:gatehouse&sp<1>';
  before(async () => {
    [plain, own, compat] = await Promise.all([
      startGatehouse().then((g) => g!),
      startGatehouse({ env: { SAML_SP_ENTITY_ID: OWN_ENTITY_ID } }).then((g) => g!),
      startGatehouse({ env: { JACKSON_COMPAT: 'true' } }).then((g) => g!),
    ]);
  });
  after(async () => {
    await Promise.all([plain?.close(), own?.close(), compat?.close()]);
  });

  test('each page is HTML under the strict headers, with no script', async () => {
    for (const url of PAGES) {
      const { html, headers } = await page(plain, url);
      const csp = String(headers['content-security-policy']);
      for (const directive of ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"]) assert.ok(csp.includes(directive), `${url}: ${directive} in ${csp}`);
      assert.equal(headers['x-content-type-options'], 'nosniff');
      assert.equal(headers['referrer-policy'], 'no-referrer');
      assert.ok(!/<script|\son\w+=/i.test(html), `${url} has no script`);
      assert.match(html, /<link rel="stylesheet" href="\/assets\/gatehouse.css">/);
    }
  });

  test('Jackson\'s own page paths, /well-known/*, answer the same pages; /.well-known is the index too', async () => {
    for (const name of ['saml-configuration', 'oidc-configuration', 'idp-configuration']) {
      assert.equal((await page(plain, `/well-known/${name}`)).html, (await page(plain, `/.well-known/${name}`)).html, name);
    }
    assert.equal((await page(plain, '/.well-known')).html, (await page(plain, '/well-known')).html);
  });

  test('the index links every configuration page and document; those Gatehouse serves here answer 200', async () => {
    const { html } = await page(plain, '/well-known');
    const base = plain.ctx.config.EXTERNAL_URL;
    const hrefs = [...html.matchAll(/<a href="([^"]+)"/g)].map((m) => unescape(m[1]!));
    assert.deepEqual(hrefs.map((h) => h.slice(base.length)), ['/.well-known/saml-configuration', '/.well-known/sp-metadata', '/.well-known/saml.cer', '/.well-known/oidc-configuration', '/.well-known/openid-configuration', '/.well-known/idp-configuration', '/.well-known/idp-metadata']);
    for (const href of hrefs) assert.equal((await plain.app.inject({ url: href.slice(base.length) })).statusCode, 200, href);
  });

  test('saml-configuration: the entity ID, ACS URL, signing expectations, metadata and certificate the deployment really uses', async () => {
    const { html, values } = await page(plain, '/.well-known/saml-configuration');
    const base = plain.ctx.config.EXTERNAL_URL;
    assert.equal(values.get('Entity ID / Audience'), base, 'the SP entity ID defaults to EXTERNAL_URL');
    assert.equal(values.get('ACS URL (Assertion Consumer Service)'), `${base}/api/oauth/saml`);
    assert.equal(values.get('Single Logout URL'), `${base}/api/oauth/saml/slo`);
    assert.equal(values.get('Response'), 'Signed');
    assert.equal(values.get('Assertion signature'), 'Signed');
    assert.equal(values.get('Signature algorithm'), 'RSA-SHA256');
    assert.equal(values.get('SP metadata URL'), `${base}/.well-known/sp-metadata`);
    const metadata = (await plain.app.inject({ url: '/.well-known/sp-metadata' })).body;
    assert.equal(/entityID="([^"]+)"/.exec(metadata)?.[1], values.get('Entity ID / Audience'), 'the page and the metadata agree');
    assert.ok(metadata.includes(`Location="${values.get('ACS URL (Assertion Consumer Service)')}"`));
    assert.ok(metadata.includes(`<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${values.get('Single Logout URL')}"/>`), 'the page and the metadata agree on the SLO URL');
    assert.ok(html.includes(`href="${base}/.well-known/saml.cer"`));
    const cert = (await plain.app.inject({ url: '/.well-known/saml.cer' })).body.trim();
    assert.ok(cert.startsWith('-----BEGIN CERTIFICATE-----'));
    assert.ok(unescape(html).includes(cert), 'the page shows the certificate served at saml.cer');
    assert.notEqual((await plain.app.inject({ method: 'POST', url: '/api/oauth/saml', payload: {} })).statusCode, 404, 'the ACS URL is a real endpoint');
  });

  test('oidc-configuration: the redirect URI to register and the scopes asked', async () => {
    const { values } = await page(plain, '/.well-known/oidc-configuration');
    assert.equal(values.get('Redirect URI (callback URL)'), `${plain.ctx.config.EXTERNAL_URL}/api/oauth/oidc`);
    assert.equal(values.get('Scopes requested'), 'openid email profile');
    const callback = await plain.app.inject({ url: '/api/oauth/oidc?state=x&code=y' });
    assert.ok(callback.statusCode >= 400 && callback.statusCode < 500, 'the redirect URI is the real callback (an unknown flow is a 4xx page)');
  });

  test('idp-configuration: the IdP entity ID is the SP entity ID; SSO URL, metadata and the SP signing certificate', async () => {
    const { html, values } = await page(plain, '/.well-known/idp-configuration');
    const base = plain.ctx.config.EXTERNAL_URL;
    assert.equal(values.get('IdP entity ID (Issuer)'), plain.ctx.config.SAML_SP_ENTITY_ID);
    assert.equal(values.get('SSO URL'), `${base}/api/identity-federation/sso`);
    assert.equal(values.get('IdP metadata URL'), `${base}/.well-known/idp-metadata`);
    assert.ok(unescape(html).includes((await plain.ctx.keys.sp()).certPem.trim()));
  });

  test('the values follow SAML_SP_ENTITY_ID (escaped in the HTML) and JACKSON_COMPAT\'s default entity ID', async () => {
    for (const url of ['/.well-known/saml-configuration', '/.well-known/idp-configuration']) {
      const label = url.includes('saml') ? 'Entity ID / Audience' : 'IdP entity ID (Issuer)';
      const mine = await page(own, url);
      assert.equal(mine.values.get(label), OWN_ENTITY_ID);
      assert.ok(mine.html.includes('urn:example:gatehouse&amp;sp&lt;1&gt;') && !mine.html.includes('sp<1>'), 'escaped');
      assert.equal((await page(compat, url)).values.get(label), 'https://saml.boxyhq.com');
    }
    assert.equal(/entityID="([^"]+)"/.exec((await compat.app.inject({ url: '/.well-known/sp-metadata' })).body)?.[1], 'https://saml.boxyhq.com');
  });
});
