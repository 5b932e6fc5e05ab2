/**
 * A connection's clientSecret at rest: sealed (an admin may read it again) and, beside it, its keyed hash (decision
 * 0047), which the token endpoint's redeem compares in SQL on PostgreSQL. Every write of a connection's secret goes
 * through `clientSecretColumns`; a write that leaves the hash out clears it (connectionsRepo.update), so a stale
 * hash never matches, and the token endpoint writes it again the first time the sealed secret authenticates.
 */
import type { AppContext } from '../context.ts';

const PURPOSE = 'connection-client-secret';

/** The keyed hash of a presented or stored clientSecret, with the current key. */
export const clientSecretMac = (ctx: Pick<AppContext, 'secrets'>, secret: string): string => ctx.secrets.keyedHash(PURPOSE, secret);

/** Whether a stored hash was made with the current key (a hash from before a key rotation is made again). */
export const isCurrentMac = (ctx: Pick<AppContext, 'secrets'>, mac: string | null): boolean => mac !== null && mac.startsWith(`${ctx.secrets.keyId}.`);

/** The columns that store a new clientSecret. */
export const clientSecretColumns = (ctx: Pick<AppContext, 'secrets'>, secret: string) => ({ client_secret_enc: ctx.secrets.encrypt(secret), client_secret_mac: clientSecretMac(ctx, secret) });
