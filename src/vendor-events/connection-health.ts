/**
 * Health at a glance (issue 14 §4, docs/decisions/0022-connection-health.md): per connection, the last successful
 * sign-in, sign-ins and failures over the last 24 h by refusal code, certificate expiry and metadata freshness.
 * Everything is read from the database (the counts of ./login-failures.ts), so any instance answers alike.
 */
import * as z from 'zod';
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { authorize, type Caller } from '../policy/caller.ts';
import { connectionsRepo, type ConnectionRow } from '../storage/index.ts';
import { connectionLoginHealthRepo } from '../storage/repositories/connection-login-health.ts';
import { parseOidcSettings, parseSettings } from '../sso/connection-settings.ts';

/** The counts are kept this long (./retention.ts), so the 24-hour window is always complete. */
export const HEALTH_WINDOW_MINUTES = 24 * 60;
const OK = 'ok';
const DAY_MS = 86_400_000;
const iso = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString() : null);

const isoTime = z.string().meta({ format: 'date-time' });

/** A connection's health, as every surface answers it: a zod view for the OpenAPI document (decision 0032). */
export const ConnectionHealthView = z.object({
  clientID: z.string(),
  lastSuccessAt: isoTime.nullable(),
  last24h: z.object({ signIns: z.number().int(), failures: z.number().int(), byReason: z.record(z.string(), z.number().int()).describe('Failures by refusal code (src/errors.ts), most first.') }),
  certificates: z.array(z.object({ fingerprint: z.string().describe('SHA-256.'), notAfter: isoTime, daysLeft: z.number().int() })),
  metadata: z.object({
    source: z.enum(['url', 'pasted']),
    refreshedAt: isoTime.nullable(),
    error: z.string().nullable().describe('Why the last refresh failed (the last good metadata is kept).'),
    refreshSeconds: z.number().int().nullable(),
  }),
}).meta({ title: 'ConnectionHealth' });
export type ConnectionHealth = z.infer<typeof ConnectionHealthView>;

/** Certificates and metadata freshness, from the connection's settings alone. */
function settingsHealth(ctx: AppContext, row: ConnectionRow, now: number): Pick<ConnectionHealth, 'certificates' | 'metadata'> {
  const s = row.kind === 'oidc' ? parseOidcSettings(row.settings) : parseSettings(row.settings);
  const url = 'discoveryUrl' in s ? s.discoveryUrl : s.metadataUrl;
  const certificates = 'certificates' in s
    ? s.certificates.map((c) => ({ fingerprint: c.fingerprintSha256, notAfter: new Date(c.notAfter).toISOString(), daysLeft: Math.floor((c.notAfter - now) / DAY_MS) }))
    : [];
  const metadata = url
    ? { source: 'url' as const, refreshedAt: iso(s.metadataRefreshedAt), error: s.metadataRefreshError ?? null, refreshSeconds: ctx.config.METADATA_REFRESH_SECONDS }
    : { source: 'pasted' as const, refreshedAt: null, error: null, refreshSeconds: null };
  return { certificates, metadata };
}

/** The health of one connection the caller may read (no access and no connection answer alike: 404). */
export async function healthOfConnection(ctx: AppContext, caller: Caller, clientID: unknown): Promise<ConnectionHealth> {
  authorize(caller, 'sso:read');
  if (typeof clientID !== 'string' || !clientID) throw new GatehouseError('API_VALIDATION', '"clientID" is required.', { field: 'clientID' });
  const row = await connectionsRepo.findById(ctx.db, clientID);
  authorize(caller, 'sso:read', row ?? {});
  if (!row) throw new GatehouseError('API_NOT_FOUND', `No connection with clientID "${clientID}".`, { field: 'clientID' });
  return healthOf(ctx, row);
}

/** The health of a connection already checked by the caller's service (the setup link's own connections). */
export async function healthOf(ctx: AppContext, row: ConnectionRow): Promise<ConnectionHealth> {
  const now = ctx.now();
  const [counts, login] = await Promise.all([
    connectionLoginHealthRepo.window(ctx.db, row.id, Math.floor(now / 60_000) - HEALTH_WINDOW_MINUTES + 1),
    connectionLoginHealthRepo.get(ctx.db, row.id),
  ]);
  const byReason = Object.fromEntries([...counts].filter(([k]) => k !== OK).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
  const failures = Object.values(byReason).reduce((n, c) => n + c, 0);
  return {
    clientID: row.id,
    lastSuccessAt: iso(login.lastSuccessAt),
    last24h: { signIns: failures + (counts.get(OK) ?? 0), failures, byReason },
    ...settingsHealth(ctx, row, now),
  };
}
