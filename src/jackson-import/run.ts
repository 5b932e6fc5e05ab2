/**
 * `gatehouse import-jackson`: read Jackson's store (refusing a wrong key before anything else), compare it with
 * what Gatehouse holds, print the plan, and unless it is a dry run or refused, apply it. Running it again
 * creates nothing new.
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { readJacksonStore } from './jackson-store.ts';
import { recordsOf } from './records.ts';
import { planImport, type ImportPlan } from './plan.ts';
import { gatehouseState } from './state.ts';
import { applyPlan } from './writer.ts';
import { formatReport, summarize, type Failure, type ImportSummary } from './report.ts';

/** Jackson's default SAML_AUDIENCE (its SP entity ID). */
export const JACKSON_DEFAULT_AUDIENCE = 'https://saml.boxyhq.com';

export interface ImportOptions {
  /** Jackson's DATABASE_URL (a SQLite file path or `sqlite:` URL, `postgres://…`, `mysql://…`). */
  from: string;
  /** Jackson's DB_ENCRYPTION_KEY (absent when Jackson stored its data unencrypted). */
  encryptionKey?: string;
  dryRun: boolean;
  samlAudience?: string;
  keepSpKey?: boolean;
}

export interface ImportResult {
  plan: ImportPlan;
  failures: Failure[];
  summary: ImportSummary;
  report: string;
}

export async function importJackson(ctx: AppContext, o: ImportOptions): Promise<ImportResult> {
  const records = recordsOf(await readJacksonStore(o.from, o.encryptionKey));
  const plan = planImport(records, await gatehouseState(ctx, records), { now: ctx.now(), samlAudience: o.samlAudience ?? JACKSON_DEFAULT_AUDIENCE, keepSpKey: o.keepSpKey ?? false });
  if (plan.refusal) throw new GatehouseError('IMPORT_SP_KEY_CONFLICT', `${plan.refusal} Nothing was imported.`, { field: 'keep-sp-key' });
  const failures = o.dryRun ? [] : await applyPlan(ctx, plan);
  return { plan, failures, summary: summarize(plan, failures), report: formatReport(plan, { dryRun: o.dryRun, failures }) };
}
