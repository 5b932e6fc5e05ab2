/**
 * Drafts through a setup link (decision 0020): the IT admin changes the IdP side of one of the link's
 * connections without an outage (draft, test, promote, roll back). The link fixes tenant and product; the
 * same vendor-only fields as for edits are refused; the connection services check the link's caller and audit.
 */
import type { AppContext } from '../context.ts';
import type { SetupLinkRow } from '../storage/index.ts';
import type { Caller } from '../policy/caller.ts';
import { discardConnectionDraft, getConnectionDraft, listConnectionVersions, promoteConnectionDraft, rollBackConnection, saveConnectionDraft } from '../sso/connection-drafts.ts';
import { checkNotOurMetadata, ownConnection, scrub } from './sso.ts';
import { vendorOnlyChecked } from './vendor-only.ts';
import { createSetupTest } from './tests.ts';
import { auditTestStarted, draftUnderTest } from './draft-tests.ts';

export async function saveLinkDraft(ctx: AppContext, caller: Caller, link: SetupLinkRow, clientID: string, body: unknown) {
  const b = scrub(body);
  checkNotOurMetadata(ctx, b);
  const row = await ownConnection(ctx, link, clientID);
  return saveConnectionDraft(ctx, caller, { ...vendorOnlyChecked(b, row), clientID: row.id });
}

export const getLinkDraft = async (ctx: AppContext, caller: Caller, link: SetupLinkRow, clientID: string) =>
  getConnectionDraft(ctx, caller, (await ownConnection(ctx, link, clientID)).id);

export const discardLinkDraft = async (ctx: AppContext, caller: Caller, link: SetupLinkRow, clientID: string) =>
  discardConnectionDraft(ctx, caller, (await ownConnection(ctx, link, clientID)).id);

export async function promoteLinkDraft(ctx: AppContext, caller: Caller, link: SetupLinkRow, clientID: string, body: unknown) {
  const version = ((body ?? {}) as { version?: unknown }).version;
  return promoteConnectionDraft(ctx, caller, { clientID: (await ownConnection(ctx, link, clientID)).id, version });
}

export const rollBackLinkConnection = async (ctx: AppContext, caller: Caller, link: SetupLinkRow, clientID: string) =>
  rollBackConnection(ctx, caller, { clientID: (await ownConnection(ctx, link, clientID)).id });

export const linkConnectionVersions = async (ctx: AppContext, caller: Caller, link: SetupLinkRow, clientID: string) =>
  listConnectionVersions(ctx, caller, (await ownConnection(ctx, link, clientID)).id);

/** A test of the draft from the link page: opened through the link, like the link's other tests. */
export async function startLinkDraftTest(ctx: AppContext, caller: Caller, link: SetupLinkRow, clientID: string) {
  const row = await ownConnection(ctx, link, clientID);
  const draft = await draftUnderTest(ctx, row);
  const { testId } = await createSetupTest(ctx, link, row.id, draft.version);
  await auditTestStarted(ctx, caller, row, draft.version);
  return { testId, version: draft.version };
}
