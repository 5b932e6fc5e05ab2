/**
 * The import's report (pure): per kind, what was (or, with --dry-run, would be) created and what was skipped and
 * why, the items that failed, and the warnings. No secret is ever printed.
 */
import type { ImportPlan, Step } from './plan.ts';

export interface Failure { kind: string; id: string; message: string }

export interface KindCount { created: number; skipped: number; failed: number }
export type ImportSummary = Record<'spKey' | 'products' | 'connections' | 'directories' | 'users' | 'groups' | 'memberships' | 'setupLinks', KindCount>;

type Described<T> = { steps: Step<T>[]; label: string; describe: (r: T) => string };

const d = <T>(steps: Step<T>[], label: string, describe: (r: T) => string): Described<unknown> => ({ steps, label, describe: describe as (r: unknown) => string });

const kinds = (p: ImportPlan): Record<keyof ImportSummary, Described<unknown>> => ({
  spKey: d(p.spKey ? [p.spKey] : [], 'SP key and certificate', () => 'Jackson\'s SP signing key'),
  products: d(p.products, 'products', (r) => r.id),
  connections: d(p.connections, 'SSO connections', (r) => `${r.kind.toUpperCase()} ${r.clientID} (${r.tenant} / ${r.product}${r.name ? `, ${r.name}` : ''})`),
  directories: d(p.directories, 'directories', (r) => `${r.id} (${r.tenant} / ${r.product}), SCIM /api/scim/v2.0/${r.id}`),
  users: d(p.users, 'directory users', (r) => `${r.directoryId}/${r.id}`),
  groups: d(p.groups, 'directory groups', (r) => `${r.directoryId}/${r.id}`),
  memberships: d(p.memberships, 'group memberships', (r) => `${r.groupId} ∋ ${r.userId}`),
  setupLinks: d(p.setupLinks, 'setup links', (r) => `${r.service} ${r.setupID} (${r.tenant} / ${r.product})`),
});

const KIND_OF: Record<keyof ImportSummary, string> = { spKey: 'sp-key', products: 'product', connections: 'connection', directories: 'directory', users: 'user', groups: 'group', memberships: 'membership', setupLinks: 'setup-link' };
export const failureKind = (k: keyof ImportSummary) => KIND_OF[k];

/** Counts per kind: created (or to create), skipped, failed. */
export function summarize(plan: ImportPlan, failures: Failure[]): ImportSummary {
  const out = {} as ImportSummary;
  for (const [k, x] of Object.entries(kinds(plan)) as [keyof ImportSummary, Described<unknown>][]) {
    const failed = failures.filter((f) => f.kind === KIND_OF[k]).length;
    out[k] = { created: x.steps.filter((s) => s.action === 'create').length - failed, skipped: x.steps.filter((s) => s.action === 'skip').length, failed };
  }
  return out;
}

/** The text the CLI prints. Lists each created connection, directory and link; users, groups and memberships as counts. */
export function formatReport(plan: ImportPlan, o: { dryRun: boolean; failures: Failure[] }): string {
  const verb = o.dryRun ? 'would create' : 'created';
  const lines = [o.dryRun ? 'Dry run: nothing was written. The import would do this:' : 'Imported from Jackson:'];
  const summary = summarize(plan, o.failures);
  for (const [k, x] of Object.entries(kinds(plan)) as [keyof ImportSummary, Described<unknown>][]) {
    const c = summary[k];
    lines.push(`  ${x.label}: ${verb} ${c.created}, skipped ${c.skipped}${c.failed ? `, FAILED ${c.failed}` : ''}`);
    const detailed = k !== 'users' && k !== 'groups' && k !== 'memberships';
    for (const s of x.steps) {
      const failed = o.failures.find((f) => f.kind === KIND_OF[k] && f.id === x.describe(s.record));
      if (failed) lines.push(`    failed  ${failed.id}: ${failed.message}`);
      else if (detailed && s.action === 'create') lines.push(`    ${o.dryRun ? 'create ' : 'created'} ${x.describe(s.record)}`);
      else if (s.action === 'skip' && (detailed || s.reason !== 'already in Gatehouse')) lines.push(`    skip    ${x.describe(s.record)}: ${s.reason}`);
    }
  }
  if (plan.audienceOverride) lines.push(`  Imported SAML connections answer to Jackson's Audience ${plan.audienceOverride} (samlAudienceOverride).`);
  if (plan.spKey?.action === 'create' && !o.dryRun) lines.push('  Restart running Gatehouse instances: they keep the SP key they loaded until they restart.');
  for (const w of plan.warnings) lines.push(`  warning: ${w}`);
  return `${lines.join('\n')}\n`;
}

/** The id a failure is reported under (the same text the report lists the item by). */
export const describeStep = (plan: ImportPlan, k: keyof ImportSummary, record: unknown) => kinds(plan)[k].describe(record);
