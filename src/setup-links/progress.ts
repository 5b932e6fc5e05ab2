/**
 * A setup link's progress, as the vendor sees it (issue 16): the milestones recorded as they happen, the
 * status they add up to (Not opened, Opened, Configured, Tested, Live), and the recorders each surface calls.
 * The status rules are one table (`MILESTONES`), read both by the pure `setupStatus` and by the list filter.
 * Decision 0026.
 */
import type { AppContext } from '../context.ts';
import { setupLinkProgressRepo, type MilestoneCondition, type ProgressFilter, type SetupLinkProgressFields, type SetupLinkRow } from '../storage/index.ts';
import { auditChange } from '../policy/audit.ts';
import type { Caller } from '../policy/caller.ts';

export const SETUP_STATUSES = ['not_opened', 'opened', 'configured', 'tested', 'live'] as const;
export type SetupStatus = (typeof SETUP_STATUSES)[number];
type Service = SetupLinkRow['service'];

/**
 * Furthest first. SSO: Live once a test sign-in succeeded, unless the latest test failed (then Tested, with
 * the reason); Tested once any test ran. Directory Sync: Live after the first successful SCIM push; Tested once
 * the IdP sent any SCIM request.
 */
const MILESTONES: Record<Service, ReadonlyArray<MilestoneCondition & { status: Exclude<SetupStatus, 'not_opened'> }>> = {
  sso: [
    { status: 'live', set: 'completed_at', lastTestNotFailed: true },
    { status: 'tested', set: 'last_test_at' },
    { status: 'configured', set: 'created_resource_at' },
    { status: 'opened', set: 'opened_at' },
  ],
  dsync: [
    { status: 'live', set: 'completed_at' },
    { status: 'tested', set: 'first_scim_request_at' },
    { status: 'configured', set: 'created_resource_at' },
    { status: 'opened', set: 'opened_at' },
  ],
};

const reached = (p: SetupLinkProgressFields, m: MilestoneCondition) => p[m.set] !== null && !(m.lastTestNotFailed && p.last_test_ok === 0);

/** The status a link's progress adds up to: the furthest milestone reached. Pure. */
export function setupStatus(service: Service, p: SetupLinkProgressFields): SetupStatus {
  return MILESTONES[service].find((m) => reached(p, m))?.status ?? 'not_opened';
}

/** The rows whose status is `status`, as a condition the repository turns into SQL (the same table as above). */
export function statusFilter(service: Service, status: SetupStatus): ProgressFilter {
  const list = MILESTONES[service];
  const at = list.findIndex((m) => m.status === status);
  if (at < 0) return { notReached: [...list] };
  return { reached: list[at], notReached: list.slice(0, at) };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** `progress` of a setup-link answer (PRODUCT.md "Visibility"), with the status it adds up to. */
export function progressView(row: SetupLinkRow) {
  return {
    status: setupStatus(row.service, row),
    openedAt: iso(row.opened_at),
    ...(row.service === 'sso' ? { connectionCreatedAt: iso(row.created_resource_at) } : { directoryCreatedAt: iso(row.created_resource_at) }),
    lastTest: row.last_test_at === null ? null : { at: iso(row.last_test_at), ok: row.last_test_ok === 1, reason: row.last_test_reason },
    firstScimRequestAt: iso(row.first_scim_request_at),
    completedAt: iso(row.completed_at),
  };
}

/** The first request made with the link: recorded once, and audited once (later reads are not audited). */
export async function recordOpened(ctx: AppContext, caller: Caller, link: SetupLinkRow): Promise<void> {
  if (link.opened_at !== null) return;
  const now = ctx.now();
  if (!(await setupLinkProgressRepo.markOnce(ctx.db, ctx.dialect, link.id, 'opened_at', now))) return;
  await auditChange(ctx, caller, { action: 'setup_link.opened', target: { type: 'setup_link', id: link.id }, tenant: link.tenant, product: link.product, after: { openedAt: new Date(now).toISOString() } });
}

/** A connection (sso) or directory (dsync) was created through the link. */
export async function recordCreated(ctx: AppContext, link: SetupLinkRow): Promise<void> {
  await setupLinkProgressRepo.markOnce(ctx.db, ctx.dialect, link.id, 'created_resource_at', ctx.now());
}

/** A test sign-in started from the link finished; `reason` is the plain-words diagnosis of a failure. */
export async function recordTestResult(ctx: AppContext, linkId: string, ok: boolean, reason: string | null): Promise<void> {
  if (!linkId) return; // a test the vendor started (portal, management API) belongs to no link
  await setupLinkProgressRepo.recordTest(ctx.db, ctx.dialect, linkId, ctx.now(), ok, ok ? null : reason);
}
