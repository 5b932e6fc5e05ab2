/**
 * "Test connection" from a setup link: a real SP-initiated sign-in against the just-configured IdP. The
 * result (the profile received, or a plain-language diagnosis) is stored for the link page; no code is
 * ever issued for a test.
 */
import * as z from 'zod';
import type { AppContext } from '../context.ts';
import type { ErrorCode } from '../errors.ts';
import { GatehouseError } from '../errors.ts';
import { connectionsRepo, connectionVersionsRepo, setupLinkTestsRepo, type ConnectionRow, type SetupLinkRow, type SetupLinkTestRow } from '../storage/index.ts';
import { withVersion } from '../sso/connection-drafts.ts';
import { randomToken } from '../crypto/secrets.ts';
import type { Profile } from '../sso/profile.ts';
import type { StartLoginOutcome } from '../sso/saml/start-login.ts';
import type { EventHub } from '../events/event-hub.ts';
import { startLogin } from '../oauth/authorize.ts';
import type { FlowParams } from '../oauth/flow-params.ts';
import { diagnose } from './diagnosis.ts';
import { recordTestResult } from './progress.ts';
import { renewalConnectionOf } from './intent.ts';

export const testResultUrl = (ctx: AppContext, testId: string) => `${ctx.config.EXTERNAL_URL}/setup/test-result/${testId}`;

/** `version`: the draft's version number when the draft is tested (setup-links/draft-tests.ts), else the live one. */
export async function createSetupTest(ctx: AppContext, link: SetupLinkRow, clientID: string, version: number | null = null) {
  const only = renewalConnectionOf(link);
  const conn = !only || clientID === only ? await connectionsRepo.findById(ctx.db, clientID) : undefined;
  if (!conn || conn.tenant !== link.tenant || conn.product !== link.product) throw new GatehouseError('SETUP_LINK_FORBIDDEN', 'No such connection for this setup link.');
  return { testId: await insertTest(ctx, link.id, conn.id, version), connection: conn };
}

/** A pending test run; `linkId` '' for a test the vendor started (management API, portal). */
export async function insertTest(ctx: AppContext, linkId: string, connectionId: string, version: number | null): Promise<string> {
  const id = randomToken(24);
  await setupLinkTestsRepo.insert(ctx.db, { id, link_id: linkId, connection_id: connectionId, status: 'pending', result: '{}', created_at: ctx.now(), completed_at: null, connection_version: version });
  return id;
}

/** Starts the test sign-in (the link page opens this in a new tab). */
export async function startSetupTest(ctx: AppContext, link: SetupLinkRow, testId: string): Promise<StartLoginOutcome> {
  const test = await setupLinkTestsRepo.find(ctx.db, link.id, testId);
  if (!test || test.status !== 'pending') throw new GatehouseError('SETUP_LINK_FORBIDDEN', 'This test was already run; start a new one from the setup page.');
  const conn = await connectionsRepo.findById(ctx.db, test.connection_id);
  if (!conn || conn.tenant !== link.tenant || conn.product !== link.product) throw new GatehouseError('SETUP_LINK_FORBIDDEN', 'The connection was deleted.');
  return startTestSignIn(ctx, test, conn);
}

/**
 * The test's sign-in, on the version under test: a draft signs in with its own IdP side (the flow records its
 * version, so the answer is checked against the draft); the app's request is the test's, so no code is issued.
 */
export async function startTestSignIn(ctx: AppContext, test: SetupLinkTestRow, conn: ConnectionRow): Promise<StartLoginOutcome> {
  let tested = conn;
  if (test.connection_version !== null && test.connection_version !== conn.version) {
    const v = await connectionVersionsRepo.find(ctx.db, conn.id, test.connection_version);
    if (!v || v.status === 'discarded') throw new GatehouseError('SETUP_LINK_FORBIDDEN', 'The draft under test was discarded; start a new test.');
    tested = withVersion(conn, v);
  }
  const params: FlowParams = { clientId: conn.id, redirectUri: testResultUrl(ctx, test.id), state: '', nonce: null, scope: 'openid', codeChallenge: null, codeChallengeMethod: null, setupTestId: test.id };
  return startLogin(ctx, tested, params);
}

export type TestOutcome = { ok: true; profile: Profile } | { ok: false; code: ErrorCode; detail?: string };

export async function completeSetupTest(ctx: AppContext, testId: string, outcome: TestOutcome): Promise<void> {
  const result = outcome.ok
    ? { profile: { id: outcome.profile.id, email: outcome.profile.email, firstName: outcome.profile.firstName, lastName: outcome.profile.lastName, groups: outcome.profile.groups, roles: outcome.profile.roles }, attributes: outcome.profile.raw }
    : { diagnosis: diagnose(ctx, outcome.code, outcome.detail) };
  const test = await setupLinkTestsRepo.findById(ctx.db, testId);
  if (!test || test.status !== 'pending') return;
  await setupLinkTestsRepo.complete(ctx.db, testId, outcome.ok ? 'succeeded' : 'failed', result, ctx.now());
  // The link's progress follows tests of what is live; a draft's test is about a change not made yet.
  if (test.connection_version === null) await recordTestResult(ctx, test.link_id, outcome.ok, 'diagnosis' in result ? result.diagnosis?.message ?? null : null);
}

/** A test sign-in's outcome goes to the link page; other sign-ins are not this file's business. */
export function recordSetupTestResults(events: EventHub): void {
  events.on('login.completed', async (e) => {
    if (e.setupTestId) await completeSetupTest(e.ctx, e.setupTestId, { ok: true, profile: e.profile });
  });
  events.on('login.refused', async (e) => {
    if (e.setupTestId) await completeSetupTest(e.ctx, e.setupTestId, { ok: false, code: e.error.code, detail: e.error.detail });
  });
}

/**
 * Whether the link page shows setup as complete: the latest test run from the link succeeded (a failed re-test
 * takes it back). Links last tested before progress was recorded (migration 023) fall back to any success.
 */
export async function latestTestSucceeded(ctx: AppContext, link: SetupLinkRow): Promise<boolean> {
  if (link.last_test_at !== null) return link.last_test_ok === 1;
  return setupLinkTestsRepo.anySucceeded(ctx.db, link.id);
}

export async function getSetupTest(ctx: AppContext, link: SetupLinkRow, testId: string) {
  const t = await setupLinkTestsRepo.find(ctx.db, link.id, testId);
  if (!t) throw new GatehouseError('SETUP_LINK_FORBIDDEN', 'No such test for this setup link.');
  return testView(t);
}

const isoTime = z.string().meta({ format: 'date-time' });

/** `testView` as a zod view, for the OpenAPI document (decision 0032): `profile` and `attributes` once it succeeded, `diagnosis` once it failed. */
export const ConnectionTestView = z.object({
  testId: z.string(),
  clientID: z.string(),
  version: z.number().int().nullable().describe('The draft version tested; null: the live version.'),
  status: z.enum(['pending', 'succeeded', 'failed']),
  profile: z.object({ id: z.string(), email: z.string(), firstName: z.string().nullable(), lastName: z.string().nullable(), groups: z.array(z.string()), roles: z.array(z.string()) }).optional().describe('What the app would receive.'),
  attributes: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional().describe('The attributes (claims) the IdP sent, by name as sent.'),
  diagnosis: z.object({ code: z.string(), message: z.string(), detail: z.string().nullable(), fix: z.string() }).optional().describe('Why it failed, and what to change in the IdP.'),
  createdAt: isoTime,
  completedAt: isoTime.nullable(),
}).meta({ title: 'ConnectionTest' });

/** A test run as the link page, the portal and the management API show it: the attributes received, or the diagnosis. */
export function testView(t: SetupLinkTestRow): z.infer<typeof ConnectionTestView> {
  return { testId: t.id, clientID: t.connection_id, version: t.connection_version, status: t.status, ...(JSON.parse(t.result) as object), createdAt: new Date(t.created_at).toISOString(), completedAt: t.completed_at ? new Date(t.completed_at).toISOString() : null };
}
