/**
 * A directory's secrets at rest and in answers. The SCIM bearer secret is kept twice: as a SHA-256 (the only thing
 * SCIM authentication compares, in constant time: scim/auth.ts) and sealed with the secret box, bound to the
 * directory id, so that under JACKSON_COMPAT reads can return it as Jackson does (decision 0014). The webhook secret
 * is sealed (it must be recovered to sign). Which answers carry them is decided here, in `secretsOnRead`.
 */
import type { AppContext } from '../context.ts';
import { randomToken, tokenHash } from '../crypto/secrets.ts';
import { mayReadSecrets, type Caller } from '../policy/caller.ts';
import type { DirectoryRow } from '../storage/index.ts';

type ScimSecretColumns = Pick<DirectoryRow, 'scim_secret_hash' | 'scim_secret_sealed'>;

/** The sealed value opens only for this directory: copied into another row, it does not decrypt. */
const sealContext = (directoryId: string) => `directories.scim_secret:${directoryId}`;

/**
 * The columns that store `secret` as directory `directoryId`'s SCIM secret: its hash and its sealed copy. Every
 * place that creates or rotates a SCIM secret (or imports one) writes them through here, so no row gets one
 * without the other.
 */
export function scimSecretColumns(ctx: Pick<AppContext, 'secrets'>, directoryId: string, secret: string): ScimSecretColumns {
  return { scim_secret_hash: tokenHash(secret), scim_secret_sealed: ctx.secrets.encrypt(secret, sealContext(directoryId)) };
}

/** A new random SCIM secret (256 bits) and the columns that store it. */
export function newScimSecret(ctx: Pick<AppContext, 'secrets'>, directoryId: string): { secret: string; columns: ScimSecretColumns } {
  const secret = randomToken(32);
  return { secret, columns: scimSecretColumns(ctx, directoryId, secret) };
}

/**
 * The directory's SCIM secret, or undefined when the row has no sealed copy (written before migration 011 and not
 * rotated since) or it cannot be opened (an encryption key removed from the configuration): the answer then
 * leaves the secret out rather than failing.
 */
export function openScimSecret(ctx: Pick<AppContext, 'secrets' | 'log'>, row: Pick<DirectoryRow, 'id' | 'scim_secret_sealed'>): string | undefined {
  if (!row.scim_secret_sealed) return undefined;
  try {
    return ctx.secrets.decrypt(row.scim_secret_sealed, sealContext(row.id));
  } catch (err) {
    ctx.log.warn({ directoryId: row.id, reason: (err as Error).message }, 'the sealed SCIM secret of a directory could not be opened; it is left out of the answer');
    return undefined;
  }
}

/** The directory's webhook secret ('' when it has none, as Jackson answers; or when it cannot be opened). */
export function openWebhookSecret(ctx: Pick<AppContext, 'secrets' | 'log'>, row: Pick<DirectoryRow, 'id' | 'webhook_secret_enc'>): string {
  if (!row.webhook_secret_enc) return '';
  try {
    return ctx.secrets.decrypt(row.webhook_secret_enc);
  } catch (err) {
    ctx.log.warn({ directoryId: row.id, reason: (err as Error).message }, 'the sealed webhook secret of a directory could not be opened; it is left out of the answer');
    return '';
  }
}

/**
 * Whether directory answers carry `scim.secret` and `webhook.secret` on reads and updates, as Jackson's do: only
 * under JACKSON_COMPAT, and only for callers that may read the vendor's secrets (admins and owners, the bootstrap
 * API_KEYS, keys with `sso:secrets`; never viewers, read-only keys or setup links). Without the switch the SCIM
 * secret is shown once, when created or rotated, and the webhook secret never.
 */
export const secretsOnRead = (ctx: Pick<AppContext, 'config'>, caller: Caller): boolean => ctx.config.JACKSON_COMPAT && mayReadSecrets(caller);
