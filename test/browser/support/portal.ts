/**
 * Browser test harness for the admin portal: a real Gatehouse (SQLite, real HTTP listener, bootstrap owner from
 * ADMIN_EMAIL/ADMIN_PASSWORD) and Debian's Chromium driven by playwright-core with a fresh user-data-dir.
 * Every page load is watched for CSP violations and uncaught errors; `checkScreen` keeps a screenshot under
 * test-results/browser/ and runs axe (WCAG 2.1 A/AA), failing on serious or critical violations.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import assert from 'node:assert/strict';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { startGatehouse, type RunningGatehouse } from '../../support/gatehouse.ts';
import { ensureBootstrapAdmin } from '../../../src/admin/accounts.ts';
import { startWebhookDeliverer, type Deliverer } from '../../../src/directory-sync/webhooks/deliverer.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const OWNER_EMAIL = 'owner@vendor.example';
export const OWNER_PASSWORD = 'correct horse battery staple 42';
export const RESULTS_DIR = join(process.cwd(), 'test-results', 'browser');

export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Why the browser tests cannot run here, or null when they can. Outside CI a missing Chromium skips them
 * loudly; in CI (.ci/run installs it) they run and fail instead of passing silently.
 */
export function browserUnavailable(): string | null {
  let why: string | null = null;
  if (!existsSync(CHROMIUM)) why = `${CHROMIUM} is missing (apt-get install -y chromium)`;
  else if (!existsSync(join(process.cwd(), 'dist', 'web', 'index.html'))) why = 'the portal is not built (npm run build:web)';
  if (why && !process.env.CI) {
    console.warn(`\n*** admin portal browser tests SKIPPED: ${why} ***\n`);
    return why;
  }
  return null;
}

export interface Portal {
  gh: RunningGatehouse;
  context: BrowserContext;
  page: Page;
  url(path: string): string;
  /** CSP violations, console errors and uncaught exceptions seen so far (tests assert it stays empty). */
  problems: string[];
  close(): Promise<void>;
}

export async function startPortal(opts: { env?: Record<string, string>; deliverWebhooks?: boolean } = {}): Promise<Portal> {
  const gh = (await startGatehouse({ listen: true, env: { ADMIN_EMAIL: OWNER_EMAIL, ADMIN_PASSWORD: OWNER_PASSWORD, ...opts.env } }))!;
  // As `npm start` does (src/main.ts): the owner from ADMIN_EMAIL/ADMIN_PASSWORD.
  await ensureBootstrapAdmin(gh.ctx);
  const deliverer: Deliverer | null = opts.deliverWebhooks ? startWebhookDeliverer(gh.ctx) : null;
  const userDataDir = mkdtempSync(join(tmpdir(), 'gatehouse-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1280, height: 860 },
      locale: 'en-GB',
      timezoneId: 'UTC',
      acceptDownloads: true,
      permissions: ['clipboard-read', 'clipboard-write'],
    });
  } catch (err) {
    await deliverer?.stop();
    await gh.close();
    rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  const watch = (p: Page) => {
    p.on('console', (msg) => {
      const text = msg.text();
      // Expected API refusals (401 before sign-in, 4xx shown to the user) are logged by Chromium as failed loads.
      if (msg.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(text)) problems.push(`console: ${text}`);
    });
    p.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  };
  watch(page);
  context.on('page', watch);
  mkdirSync(RESULTS_DIR, { recursive: true });
  return {
    gh,
    context,
    page,
    problems,
    url: (path) => gh.baseUrl + path,
    close: async () => {
      await deliverer?.stop();
      await context.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
      await gh.close();
    },
  };
}

export interface AxeFinding {
  screen: string;
  id: string;
  impact: string | null | undefined;
  help: string;
  nodes: string[];
}

const axeLog: AxeFinding[] = [];
const screensChecked: string[] = [];

/**
 * Screenshot (full page) plus an axe run. Serious and critical violations fail the test; moderate and minor
 * ones are recorded in test-results/browser/axe-<test file>.json for review.
 */
export async function checkScreen(page: Page, name: string): Promise<void> {
  const t0 = Date.now();
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.locator('.loading').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
  await page.screenshot({ path: join(RESULTS_DIR, `${name}.png`), fullPage: true });
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const findings = results.violations.map((v) => ({ screen: name, id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  axeLog.push(...findings);
  screensChecked.push(name);
  // One file per test file (each runs in its own process): axe-sign-in.json, axe-directory-sync.json…
  writeFileSync(join(RESULTS_DIR, `axe-${basename(process.argv[1] ?? 'run').replace(/\.test\.ts$/, '')}.json`), JSON.stringify({ screens: screensChecked, findings: axeLog }, null, 2));
  const blocking = findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');
  if (process.env.BROWSER_TEST_TIMING) console.log(`checkScreen ${name}: ${Date.now() - t0} ms`);
  assert.deepEqual(blocking, [], `axe found serious/critical violations on ${name}:\n${JSON.stringify(blocking, null, 2)}`);
}

export function assertNoProblems(portal: Portal) {
  assert.deepEqual(portal.problems, [], `the browser reported problems:\n${portal.problems.join('\n')}`);
}

export async function signIn(portal: Portal, email = OWNER_EMAIL, password = OWNER_PASSWORD) {
  const { page } = portal;
  await page.goto(portal.url('/admin/login'));
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
}

export async function signOut(portal: Portal) {
  await portal.page.getByRole('button', { name: 'Sign out' }).click();
  await portal.page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
}

/** Navigates inside the app through the main navigation, as a user would. */
export async function openFromNav(page: Page, link: string, heading = link) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** The audit log rows' actions, as the portal shows them. */
export async function auditActions(page: Page, portal: Portal, filter: Record<string, string> = {}): Promise<string[]> {
  await page.goto(portal.url(`/admin/audit?${new URLSearchParams(filter)}`));
  await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
  await page.locator('.loading').first().waitFor({ state: 'detached' }).catch(() => {});
  await page.waitForLoadState('networkidle');
  return page.locator('table tbody tr td:nth-child(3) code').allTextContents();
}

/**
 * A second, FRESH browser (its own process and empty profile: no cookies, no session) as someone else would
 * open a link, e.g. the customer's IT admin with a setup link. Its pages are watched like the portal's.
 */
export async function openFreshBrowser(portal: Portal): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-GB', timezoneId: 'UTC', permissions: ['clipboard-read', 'clipboard-write'] });
  context.setDefaultTimeout(15_000);
  const watch = (p: Page) => {
    p.on('console', (msg) => {
      if (msg.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) portal.problems.push(`console (fresh browser): ${msg.text()}`);
    });
    p.on('pageerror', (err) => portal.problems.push(`page error (fresh browser): ${err.message}`));
  };
  context.on('page', watch);
  const page = await context.newPage();
  return { context, page, close: () => browser.close().catch(() => {}) };
}
