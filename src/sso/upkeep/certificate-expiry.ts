/**
 * Certificate-expiry notices (docs/decisions/0019-metadata-refresh.md): `connection.certificate_expiring` at 30, 14, 7
 * and 1 days before a trusted certificate's notAfter and `connection.certificate_expired` after it, each once per
 * certificate. When several thresholds are crossed at once (a certificate saved 10 days before it expires, or an
 * instance down for a week), only the tightest is announced and the looser ones are recorded as passed.
 */
import type { AppContext } from '../../context.ts';
import type { ConnectionRow } from '../../storage/index.ts';
import { certificateNoticesRepo } from '../../storage/repositories/connection-upkeep.ts';
import { announceConnectionEvent } from '../connection-events.ts';
import { parseSettings } from '../connection-settings.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
export const EXPIRY_THRESHOLD_DAYS = [30, 14, 7, 1] as const;

export interface ExpiryNotice {
  /** The notice to announce: a threshold in days, or 0 for "expired". */
  thresholdDays: number;
  /** Every threshold crossed by now (the announced one included), to record as passed. */
  crossed: number[];
  daysLeft: number;
}

/** Pure: the notice a certificate is due at `now`, or null when it is further than 30 days from expiry. */
export function expiryNoticeAt(notAfter: number, now: number): ExpiryNotice | null {
  const left = notAfter - now;
  const daysLeft = Math.max(0, Math.ceil(left / DAY_MS));
  if (left <= 0) return { thresholdDays: 0, crossed: [...EXPIRY_THRESHOLD_DAYS, 0], daysLeft: 0 };
  const crossed = EXPIRY_THRESHOLD_DAYS.filter((d) => left <= d * DAY_MS);
  if (crossed.length === 0) return null;
  return { thresholdDays: Math.min(...crossed), crossed: [...crossed], daysLeft };
}

/**
 * Announces the expiry notices a connection's trusted certificates are due (SAML; an OIDC provider's keys come from
 * its JWKS and carry no certificate). Exactly once across instances: the notice's row is recorded first, and only
 * the instance whose insert succeeded announces.
 */
export async function checkCertificateExpiry(ctx: AppContext, row: ConnectionRow): Promise<number> {
  if (row.kind !== 'saml') return 0;
  const now = ctx.now();
  let announced = 0;
  for (const cert of parseSettings(row.settings).certificates) {
    const notice = expiryNoticeAt(cert.notAfter, now);
    if (!notice) continue;
    const key = { connectionId: row.id, fingerprint: cert.fingerprintSha256, now };
    if (await certificateNoticesRepo.recordOnce(ctx.db, { ...key, thresholdDays: notice.thresholdDays })) {
      announced++;
      await announceConnectionEvent(ctx, {
        type: notice.thresholdDays === 0 ? 'connection.certificate_expired' : 'connection.certificate_expiring',
        tenant: row.tenant,
        product: row.product,
        connectionId: row.id,
        data: { fingerprint: cert.fingerprintSha256, notAfter: new Date(cert.notAfter).toISOString(), daysLeft: notice.daysLeft, subject: cert.subject },
      });
    }
    for (const passed of notice.crossed) if (passed !== notice.thresholdDays) await certificateNoticesRepo.recordOnce(ctx.db, { ...key, thresholdDays: passed });
  }
  return announced;
}
