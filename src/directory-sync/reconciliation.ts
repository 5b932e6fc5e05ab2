/**
 * Reconciliation for the management API and the portal (issue 16 §3, decision 0028): a tenant+product's directory
 * users beside its SSO sign-ins of the last SESSION_TTL_SECONDS (the app sessions, decision 0023), as four lists
 * (./reconciliation-core.ts) or a CSV. A read: the caller needs both `sso:read` and `dsync:read` for the tenant and product.
 */
import * as z from 'zod';
import type { AppContext } from '../context.ts';
import { parseInput } from '../input/parse-input.ts';
import { roleMappingsRepo } from '../storage/index.ts';
import { authorize, type Caller } from '../policy/caller.ts';
import { identityOf } from './user-identity.ts';
import { LISTS, reconcile, reconciliationCsv, summariseSignIns, type DirectoryUserFacts, type Reconciliation } from './reconciliation-core.ts';

const MAX_USERS = 50_000;
const MAX_SIGN_INS = 50_000;
/** Rows per list in a JSON answer (the CSV has them all). */
const MAX_ROWS = 1000;

export const ReconciliationQuery = z.object({ tenant: z.string().trim().min(1, 'is required').max(191), product: z.string().trim().min(1, 'is required').max(191) });

const isoTime = z.string().meta({ format: 'date-time' });

/** One person in a reconciliation list, with what to change in plain words. */
export const ReconciliationRowView = z.object({
  user: z.string(), email: z.string().nullable(), directoryId: z.string().nullable(), userId: z.string().nullable(), nameid: z.string().nullable(),
  lastSignInAt: isoTime.nullable(), detail: z.string(), fix: z.string(),
}).meta({ title: 'ReconciliationRow' });

const rows = z.array(ReconciliationRowView).describe('At most 1,000 rows (the CSV has them all).');
/** What `reconciliation` answers, as a zod view for the OpenAPI document (decision 0032). */
export const ReconciliationView = z.object({
  tenant: z.string(),
  product: z.string(),
  signInsSince: isoTime.describe('Sign-ins are read from here on (SESSION_TTL_SECONDS).'),
  directories: z.array(z.string()).describe('The directory ids read.'),
  counts: z.object(Object.fromEntries(LISTS.map((l) => [l, z.number().int()])) as Record<(typeof LISTS)[number], z.ZodNumber>),
  truncated: z.boolean(),
  neverSignedIn: rows,
  noDirectoryRecord: rows,
  signedInAfterDeactivation: rows,
  mismatched: rows,
}).meta({ title: 'Reconciliation' });

async function compute(ctx: AppContext, caller: Caller, query: unknown) {
  const { tenant, product } = parseInput(ReconciliationQuery, query);
  authorize(caller, 'sso:read', { tenant, product });
  authorize(caller, 'dsync:read', { tenant, product });
  const since = ctx.now() - ctx.config.SESSION_TTL_SECONDS * 1000;
  const directories = await roleMappingsRepo.directoryIds(ctx.db, tenant, product);
  const users: DirectoryUserFacts[] = (await roleMappingsRepo.usersOf(ctx.db, directories, MAX_USERS)).map((u) => ({
    ...identityOf(u), directoryId: u.directory_id, userId: u.id, active: u.active === 1, createdAt: u.created_at, updatedAt: u.updated_at,
  }));
  // Without a directory there is nothing to reconcile: every sign-in would be "no directory record".
  const signIns = directories.length ? summariseSignIns(await roleMappingsRepo.signInsSince(ctx.db, tenant, product, since, MAX_SIGN_INS)) : [];
  return { tenant, product, since, directories, result: reconcile(users, signIns) };
}

export async function reconciliation(ctx: AppContext, caller: Caller, query: unknown): Promise<z.infer<typeof ReconciliationView>> {
  const { tenant, product, since, directories, result } = await compute(ctx, caller, query);
  const counts = Object.fromEntries(LISTS.map((l) => [l, result[l].length])) as Record<keyof Reconciliation, number>;
  const lists = Object.fromEntries(LISTS.map((l) => [l, result[l].slice(0, MAX_ROWS)])) as unknown as Reconciliation;
  return { tenant, product, signInsSince: new Date(since).toISOString(), directories, counts, truncated: LISTS.some((l) => result[l].length > MAX_ROWS), ...lists };
}

export async function reconciliationCsvExport(ctx: AppContext, caller: Caller, query: unknown): Promise<{ filename: string; csv: string }> {
  const { tenant, product, result } = await compute(ctx, caller, query);
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');
  return { filename: `reconciliation-${safe(tenant)}-${safe(product)}.csv`, csv: reconciliationCsv(result) };
}
