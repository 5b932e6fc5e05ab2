/**
 * Issue 17 §1: the OpenAPI 3.1 document at `GET /api/openapi.json` passes a real OpenAPI validator, describes every
 * registered route (or the route is excluded here with its reason), and names only routes that exist; the reference
 * page at `GET /api/docs` is served under the strict CSP with no script and nothing from another origin, and renders
 * in Chromium without a CSP violation.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { chromium } from 'playwright-core';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { CHROMIUM, CHROMIUM_FLAGS } from '../browser/support/portal.ts';
import { registeredRoutes } from './routes.ts';

/** Registered routes the document leaves out, by path prefix, each with the reason. */
const EXCLUDED: readonly (readonly [prefix: string, reason: string])[] = [
  ['/api/admin/', 'the Admin Portal\'s own JSON API: session cookie + CSRF, shaped for the portal and changed with it; vendors automate through /api/v1 (decision 0032)'],
  ['/api/branding', 'the portal\'s branding for its own pages'],
  ['/admin', 'the Admin Portal\'s pages and assets (React)'],
  ['/api/portal', 'the embeddable portal\'s own API: a session cookie + CSRF from a single-use portal link; the same operations as the setup-link API (/api/setup/:token) that is described here (decision 0033)'],
  ['/portal/', 'the embeddable portal\'s pages for people (framed in the vendor\'s app) and its test-start redirect'],
  ['/setup/', 'setup-link pages for people (the React page and the test-result tab); their API is /api/setup/:token'],
  ['/assets/', 'stylesheets and scripts of server-rendered pages'],
  ['/.well-known/saml-configuration', 'a configuration page for people (HTML)'],
  ['/.well-known/oidc-configuration', 'a configuration page for people (HTML)'],
  ['/.well-known/idp-configuration', 'a configuration page for people (HTML)'],
  ['/well-known', 'configuration pages for people (HTML), Jackson\'s spelling without the dot'],
  ['/idp/select', 'the IdP picker page a browser is sent to by authorize'],
  ['/api/identity-federation/sso', 'the Identity Federation IdP\'s SAML binding endpoint: its contract is the IdP metadata (/.well-known/idp-metadata)'],
  ['/api/docs', 'this reference page itself'],
  ['/api/openapi.json', 'the document itself'],
];
const exclusionOf = (path: string) => EXCLUDED.find(([prefix]) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}`))?.[1];
/** `.well-known` alone is the index page of the configuration pages. */
const isWellKnownIndex = (path: string) => path === '/.well-known';
/** The SCIM directory root answers 404 to every method: there is nothing to describe. */
const isScimRoot = (path: string) => path === '/api/scim/v2.0/:directoryId';

const toColon = (p: string) => p.replace(/\{([^}]+)\}/g, ':$1');
const wildcardMatches = (route: string, path: string) => new RegExp(`^${route.replace(/[.]/g, '\\.').replace(/:[A-Za-z0-9_]+/g, '[^/]+').replace(/\*$/, '.+')}$`).test(path);

describe('the OpenAPI document', () => {
  let gh: RunningGatehouse;
  let doc: any;
  before(async () => {
    gh = (await startGatehouse())!;
    const res = await gh.app.inject({ url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    doc = res.json();
  });
  after(() => gh.close());

  test('passes a real OpenAPI 3.1 validator, which refuses a broken copy', async () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(doc.servers[0].url, gh.baseUrl);
    const result = await new Validator().validate(structuredClone(doc));
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1));
    const broken = structuredClone(doc);
    broken.paths['/api/v1/sso'].get.responses = { 200: { content: {} } };
    assert.equal((await new Validator().validate(broken)).valid, false, 'a response without a description is refused');
  });

  test('every registered route is described or excluded with a reason', async () => {
    const documented = new Set<string>();
    for (const [path, item] of Object.entries<any>(doc.paths)) for (const m of Object.keys(item)) documented.add(`${m.toUpperCase()} ${toColon(path)}`);
    const missing: string[] = [];
    let described = 0;
    for (const { method, path } of registeredRoutes(gh.app)) {
      if (method === 'HEAD' || exclusionOf(path) || isWellKnownIndex(path) || isScimRoot(path)) continue;
      const ok = path.endsWith('*')
        ? [...documented].some((d) => d.startsWith(`${method} `) && wildcardMatches(path, d.slice(method.length + 1)))
        : documented.has(`${method} ${path}`);
      if (ok) described++;
      else missing.push(`${method} ${path}`);
    }
    assert.deepEqual(missing, [], 'routes neither in the document nor excluded');
    assert.ok(described > 140, `${described} routes described`);
    for (const [, reason] of EXCLUDED) assert.ok(reason.length > 10);
  });

  test('every documented operation is a registered route, with a summary, a success answer and a security choice', async () => {
    const routes = registeredRoutes(gh.app);
    const phantom: string[] = [];
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [m, op] of Object.entries<any>(item)) {
        const method = m.toUpperCase();
        const p = toColon(path);
        if (!routes.some((r) => r.method === method && (r.path === p || (r.path.endsWith('*') && wildcardMatches(r.path, p))))) phantom.push(`${method} ${p}`);
        assert.ok(op.summary, `${method} ${path} has a summary`);
        assert.ok(Object.keys(op.responses).some((s) => /^[23]/.test(s)), `${method} ${path} has a success answer`);
        assert.ok(Array.isArray(op.security), `${method} ${path} states its security`);
      }
    }
    assert.deepEqual(phantom, [], 'documented operations no route serves');
  });

  test('each surface names its credential and its error shape', () => {
    const op = (path: string, method: string) => doc.paths[path][method];
    assert.deepEqual(op('/api/v1/sso', 'get').security, [{ apiKey: [] }]);
    assert.equal(op('/api/v1/sso', 'get').responses['401'].$ref, '#/components/responses/Problem401');
    assert.deepEqual(op('/api/scim/v2.0/{directoryId}/Users', 'get').security, [{ scimBearer: [] }]);
    assert.equal(op('/api/scim/v2.0/{directoryId}/Users', 'get').responses['401'].$ref, '#/components/responses/ScimError401');
    assert.deepEqual(op('/api/oauth/token', 'post').security, [{ clientSecretBasic: [] }, {}]);
    assert.equal(op('/api/oauth/token', 'post').responses['400'].$ref, '#/components/responses/OAuthError400');
    assert.ok(op('/api/oauth/token', 'post').requestBody.content['application/x-www-form-urlencoded']);
    assert.deepEqual(op('/api/setup/{token}/sso-connection', 'get').security, []);
    assert.match(op('/api/setup/{token}/sso-connection', 'get').parameters.find((p: any) => p.name === 'token').description, /only credential/);
    assert.equal(op('/api/setup/{token}', 'get').responses['410'].$ref, '#/components/responses/Problem410');
    assert.ok(doc.components.securitySchemes.apiKey && doc.components.securitySchemes.scimBearer);
  });

  test('request bodies come from the zod schemas the services validate with', async () => {
    const body = doc.paths['/api/v1/sso'].post.requestBody.content['application/json'].schema;
    assert.deepEqual(body.required.sort(), ['defaultRedirectUrl', 'product', 'redirectUrl', 'tenant']);
    assert.equal(body.properties.tenant.maxLength, 191);
    const dsync = doc.paths['/api/v1/dsync'].post.requestBody.content['application/json'].schema;
    assert.ok(dsync.properties.type.enum.includes('okta-scim-v2'));
    // A field the schema requires, left out, is refused by the service with that field named.
    const res = await gh.app.inject({ method: 'POST', url: '/api/v1/tenants', headers: { authorization: 'Api-Key test-api-key-0123456789' }, payload: {} });
    assert.equal(res.statusCode, 400);
    const required = doc.paths['/api/v1/tenants'].post.requestBody.content['application/json'].schema.required;
    assert.deepEqual(required, [res.json().field]);
  });
});

describe('the reference page', () => {
  let gh: RunningGatehouse;
  before(async () => {
    gh = (await startGatehouse({ listen: true }))!;
  });
  after(() => gh.close());

  test('is HTML with no script and nothing from another origin, under the strict CSP', async () => {
    const res = await gh.app.inject({ url: '/api/docs' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /style-src 'self'/);
    assert.doesNotMatch(res.body, /<script/i);
    assert.doesNotMatch(res.body, /style="/i);
    assert.doesNotMatch(res.body, /(?:src|href)="(?:https?:)?\/\//i, 'no resource from another origin');
    assert.match(res.body, /href="\/assets\/api-docs\.css"/);
    assert.match(res.body, /<code>\/api\/v1\/sso<\/code>/);
    assert.match(res.body, /id="schema-Connection"/);
    const css = await gh.app.inject({ url: '/assets/api-docs.css' });
    assert.equal(css.statusCode, 200);
    assert.match(String(css.headers['content-type']), /^text\/css/);
  });

  test('renders in Chromium with its stylesheet and no CSP violation', { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing` }, async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      // Chromium asks for /favicon.ico on its own (a 404, logged as a console error): only the page's own loads count.
      page.on('console', (m) => m.type() === 'error' && !/status of 404/.test(m.text()) && problems.push(m.text()));
      page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && problems.push(`${r.status()} ${r.url()}`));
      page.on('requestfailed', (r) => problems.push(`${r.url()} ${r.failure()?.errorText}`));
      const res = await page.goto(`${gh.baseUrl}/api/docs`);
      assert.equal(res?.status(), 200);
      assert.equal(await page.locator('h1').first().textContent(), 'Gatehouse API');
      // The stylesheet applied: the contents column is sticky, as api-docs.css says.
      assert.equal(await page.locator('nav.toc').evaluate((n) => getComputedStyle(n).position), 'sticky');
      await page.getByRole('link', { name: 'Connection', exact: true }).first().click();
      assert.match(page.url(), /#schema-Connection$/);
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
    }
  });
});
