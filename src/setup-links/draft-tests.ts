/**
 * "Test connection" for the vendor (management API, portal), of the live connection (decision 0022) or of its
 * draft (decision 0020); a setup link has its own start (./tests.ts, ./sso-drafts.ts) over the same test runs.
 * The vendor gets a URL to open; like every test it never issues a code: the result page shows the attributes
 * received or the diagnosis. A vendor's test has no link (`link_id` ''); its start URL carries the unguessable
 * test id, as the result page already does. A live test records no version: it signs in with whatever is live
 * when it is opened.
 */
import * as z from 'zod';
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { connectionsRepo, setupLinkTestsRepo, type ConnectionRow } from '../storage/index.ts';
import type { StartLoginOutcome } from '../sso/saml/start-login.ts';
import { getConnection } from '../sso/connections.ts';
import { draftRowOf } from '../sso/connection-drafts.ts';
import { authorize, type Caller } from '../policy/caller.ts';
import { auditChange } from '../policy/audit.ts';
import { insertTest, startTestSignIn, testResultUrl, testView } from './tests.ts';

export const vendorTestStartUrl = (ctx: AppContext, testId: string) => `${ctx.config.EXTERNAL_URL}/setup/tests/${testId}/start`;

/** The draft of `conn`, or a 404 naming the connection. */
export async function draftUnderTest(ctx: AppContext, conn: ConnectionRow) {
  const draft = await draftRowOf(ctx, conn);
  if (!draft) throw new GatehouseError('API_NOT_FOUND', `Connection "${conn.id}" has no draft to test.`, { field: 'clientID' });
  return draft;
}

/** Records that a test started (the same action the setup link's test records). */
export const auditTestStarted = (ctx: AppContext, caller: Caller, conn: ConnectionRow, version: number | null) =>
  auditChange(ctx, caller, { action: 'sso.connection.test_started', target: { type: 'sso_connection', id: conn.id }, tenant: conn.tenant, product: conn.product, after: { version } });

/** What starting a vendor's test answers (`startVendorTest`), as a zod view for the OpenAPI document (decision 0032). */
export const VendorTestStartView = z.object({
  testId: z.string(),
  clientID: z.string(),
  version: z.number().int().nullable().describe('The draft version under test; null: the live version.'),
  url: z.string().describe('Open it in a browser to sign in at the IdP.'),
  resultUrl: z.string().describe('The page that shows the result.'),
}).meta({ title: 'VendorTestStart' });

/**
 * A vendor's test of the connection (`of` 'live') or of its draft: the URL to open in a browser, and where the
 * result appears. Starting a test is a change (`sso:write`, audited), as for drafts.
 */
export async function startVendorTest(ctx: AppContext, caller: Caller, clientID: unknown, of: 'live' | 'draft'): Promise<z.infer<typeof VendorTestStartView>> {
  if (typeof clientID !== 'string' || !clientID) throw new GatehouseError('API_VALIDATION', '"clientID" is required.', { field: 'clientID' });
  const conn = await getConnection(ctx, caller, clientID);
  authorize(caller, 'sso:write', conn);
  const version = of === 'draft' ? (await draftUnderTest(ctx, conn)).version : null;
  const testId = await insertTest(ctx, '', conn.id, version);
  await auditTestStarted(ctx, caller, conn, version);
  return { testId, clientID: conn.id, version, url: vendorTestStartUrl(ctx, testId), resultUrl: testResultUrl(ctx, testId) };
}

export const startVendorDraftTest = (ctx: AppContext, caller: Caller, clientID: unknown) => startVendorTest(ctx, caller, clientID, 'draft');
export const startVendorLiveTest = (ctx: AppContext, caller: Caller, clientID: unknown) => startVendorTest(ctx, caller, clientID, 'live');

/** Opens a vendor's test (GET /setup/tests/:testId/start): pending, and not a setup link's (those open through the link). */
export async function openVendorTest(ctx: AppContext, testId: string): Promise<StartLoginOutcome> {
  const test = await setupLinkTestsRepo.findById(ctx.db, testId);
  if (!test || test.link_id !== '' || test.status !== 'pending') throw new GatehouseError('SETUP_LINK_FORBIDDEN', 'This test is unknown or was already run; start a new one.');
  const conn = await connectionsRepo.findById(ctx.db, test.connection_id);
  if (!conn) throw new GatehouseError('SETUP_LINK_FORBIDDEN', 'The connection was deleted.');
  return startTestSignIn(ctx, test, conn);
}

/** A vendor's test result, for a caller that may read its connection. */
export async function getVendorTest(ctx: AppContext, caller: Caller, testId: string) {
  authorize(caller, 'sso:read');
  const test = await setupLinkTestsRepo.findById(ctx.db, testId);
  if (!test || test.link_id !== '') throw new GatehouseError('API_NOT_FOUND', 'No such test.', { field: 'testId' });
  await getConnection(ctx, caller, test.connection_id);
  return testView(test);
}
