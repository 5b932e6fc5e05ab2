/**
 * Email domains of a tenant, proven with a DNS TXT record `gatehouse-verification=<token>`, and home-realm
 * discovery: an email's domain leads to the tenant that verified it. Consumer mail domains are refused.
 */
import { Resolver } from 'node:dns/promises';
import { domainToASCII } from 'node:url';
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { tenantDomainsRepo, type TenantDomainRow } from '../storage/index.ts';
import { randomToken } from '../crypto/secrets.ts';
import { parseInput } from '../input/parse-input.ts';
import { AddDomainInput } from './input.ts';
import { authorize, type Caller } from '../policy/caller.ts';
import { auditChange } from '../policy/audit.ts';

const audit = (ctx: AppContext, caller: Caller, action: string, tenant: string, domain: string, after?: unknown) =>
  auditChange(ctx, caller, { action, target: { type: 'domain', id: domain }, tenant, after });

/** Domains anyone can get an address at: never proof of belonging to an organisation. */
export const CONSUMER_DOMAINS = new Set([
  'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'hotmail.co.uk', 'live.com', 'msn.com', 'yahoo.com', 'yahoo.co.uk', 'ymail.com',
  'icloud.com', 'me.com', 'mac.com', 'aol.com', 'proton.me', 'protonmail.com', 'pm.me', 'gmx.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.com',
  'zoho.com', 'yandex.com', 'yandex.ru', 'mail.ru', 'qq.com', '163.com', '126.com', 'fastmail.com', 'hey.com', 'tutanota.com', 'free.fr', 'orange.fr', 'btinternet.com',
]);

export const TXT_PREFIX = 'gatehouse-verification=';

/** Lower-cases and IDNA-encodes a domain; null when it is not a plausible registrable host name. */
export function normaliseDomain(input: string): string | null {
  const d = domainToASCII(input.trim().replace(/\.$/, '').toLowerCase());
  if (!d || !/^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/.test(d)) return null;
  return d;
}

export const domainOfEmail = (email: string): string | null => {
  const at = email.lastIndexOf('@');
  return at > 0 ? normaliseDomain(email.slice(at + 1)) : null;
};

export const toApiDomain = (r: TenantDomainRow) => ({
  domain: r.domain, verified: r.verified_at !== null, verifiedAt: r.verified_at ? new Date(r.verified_at).toISOString() : null,
  txtRecord: { name: r.domain, type: 'TXT', value: `${TXT_PREFIX}${r.verification_token}` },
  lastCheckedAt: r.last_checked_at ? new Date(r.last_checked_at).toISOString() : null,
});

export async function addDomain(ctx: AppContext, caller: Caller, tenant: string, body: unknown) {
  authorize(caller, 'sso:write', { tenant });
  const input = parseInput(AddDomainInput, body);
  const domain = normaliseDomain(input.domain);
  if (!domain) throw new GatehouseError('API_VALIDATION', `"${input.domain}" is not a valid domain name.`, { field: 'domain' });
  if (CONSUMER_DOMAINS.has(domain)) throw new GatehouseError('API_VALIDATION', `"${domain}" is a consumer mail domain; anyone can have an address there, so it cannot route to one organisation.`, { field: 'domain' });
  const row: TenantDomainRow = { id: randomToken(12), tenant, domain, verification_token: randomToken(24), verified_at: null, last_checked_at: null, created_at: ctx.now() };
  if (!(await tenantDomainsRepo.insert(ctx.db, row))) throw new GatehouseError('API_CONFLICT', `"${domain}" is already claimed by this tenant.`, { field: 'domain' });
  const data = toApiDomain(row);
  await audit(ctx, caller, 'tenant.domain.added', tenant, domain, data);
  return data;
}

function resolverFor(ctx: AppContext): Resolver {
  const r = new Resolver({ timeout: Math.min(ctx.config.OUTBOUND_TIMEOUT_MS, 5000), tries: 2 });
  if (ctx.config.DNS_SERVERS.length) r.setServers(ctx.config.DNS_SERVERS);
  return r;
}

/** Looks the TXT record up now; marks the domain verified when it carries this tenant's token. */
export async function verifyDomain(ctx: AppContext, caller: Caller, tenant: string, domainInput: string) {
  authorize(caller, 'sso:write', { tenant });
  const domain = normaliseDomain(domainInput) ?? domainInput;
  const row = await tenantDomainsRepo.find(ctx.db, tenant, domain);
  if (!row) throw new GatehouseError('API_NOT_FOUND', `Tenant "${tenant}" has not claimed "${domain}".`, { field: 'domain' });
  let records: string[][] = [];
  try {
    records = await resolverFor(ctx).resolveTxt(domain);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== 'ENODATA' && code !== 'ENOTFOUND') {
      throw new GatehouseError('SERVICE_UNAVAILABLE', `The DNS lookup of ${domain} failed (${code ?? 'error'}); try again in a minute.`);
    }
  }
  const expected = `${TXT_PREFIX}${row.verification_token}`;
  const found = records.some((chunks) => chunks.join('') === expected);
  const now = ctx.now();
  if (!found) {
    await tenantDomainsRepo.markChecked(ctx.db, tenant, domain, now);
    throw new GatehouseError('API_VALIDATION', `No TXT record "${expected}" was found at ${domain}. DNS changes can take a few minutes to appear.`, { field: 'domain' });
  }
  if (!(await tenantDomainsRepo.markVerified(ctx.db, tenant, domain, now))) {
    throw new GatehouseError('API_CONFLICT', `"${domain}" is already verified by another tenant.`, { field: 'domain' });
  }
  const data = toApiDomain({ ...row, verified_at: now, last_checked_at: now });
  await audit(ctx, caller, 'tenant.domain.verified', tenant, domain, data);
  return data;
}

export async function listDomains(ctx: AppContext, caller: Caller, tenant: string) {
  authorize(caller, 'sso:read', { tenant });
  return { data: (await tenantDomainsRepo.listByTenant(ctx.db, tenant)).map(toApiDomain) };
}

export async function removeDomain(ctx: AppContext, caller: Caller, tenant: string, domain: string) {
  authorize(caller, 'sso:write', { tenant });
  if (!(await tenantDomainsRepo.delete(ctx.db, tenant, normaliseDomain(domain) ?? domain))) throw new GatehouseError('API_NOT_FOUND', `Tenant "${tenant}" has not claimed "${domain}".`, { field: 'domain' });
  await audit(ctx, caller, 'tenant.domain.removed', tenant, domain);
}

/** The domain of an email that a tenant could have verified (null for none, or a consumer mail domain). */
export function verifiableDomainOf(email: string): string | null {
  const domain = domainOfEmail(email);
  return !domain || CONSUMER_DOMAINS.has(domain) ? null : domain;
}

/** Home-realm discovery: the tenant that verified the email's domain. */
export async function tenantForEmail(ctx: AppContext, email: string): Promise<string | null> {
  const domain = verifiableDomainOf(email);
  if (!domain) return null;
  return (await tenantDomainsRepo.verifiedTenantOf(ctx.db, domain)) ?? null;
}
