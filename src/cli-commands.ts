/**
 * `gatehouse create-admin` and `gatehouse api-key`: mint an admin account or an API key from the shell
 * (first owner without ADMIN_EMAIL, keys for automation). Both are audited with a "CLI" actor.
 * `gatehouse import-jackson`: move a SAML Jackson deployment's data in (src/jackson-import/), audited as "import".
 * `gatehouse rotate-signing-key` / `retire-signing-key`: a new id_token signing key (it signs from then on, and every
 * instance follows within KEYSET_REFRESH_SECONDS), and retiring an old one once the apps' caches of the JWKS have moved on.
 */
import { parseArgs } from 'node:util';
import { boot } from './boot.ts';
import { GatehouseError } from './errors.ts';
import { adminUsersRepo } from './storage/repositories/admin-accounts.ts';
import type { Caller } from './policy/caller.ts';
import { createAdmin } from './admin/accounts.ts';
import { mintApiKey } from './admin/api-keys.ts';
import { importJackson, JACKSON_DEFAULT_AUDIENCE } from './jackson-import/run.ts';
import { rotateJwtKey } from './oauth/keys.ts';
import { signingKeysRepo } from './storage/index.ts';
import { auditChange } from './policy/audit.ts';

const CLI: Caller = { type: 'system', id: 'system', label: 'CLI' };

export const CREATE_ADMIN_USAGE = 'gatehouse create-admin --email <email> [--name <name>] [--role owner|admin|viewer] [--password <pw> | env GATEHOUSE_ADMIN_PASSWORD] (no password: SSO-only account)';
export const API_KEY_USAGE = 'gatehouse api-key --owner <admin email> --name <name> [--kind personal|scoped] [--tenants a,b] [--products p,q] [--permissions sso:read,sso:write,dsync:read,dsync:write,setuplinks:write,sso:secrets] [--expires-in-days n]';

export const IMPORT_JACKSON_USAGE = `gatehouse import-jackson --from <Jackson's DATABASE_URL> --encryption-key <Jackson's DB_ENCRYPTION_KEY> [--dry-run] [--saml-audience <Jackson's SAML_AUDIENCE, default ${JACKSON_DEFAULT_AUDIENCE}>] [--keep-sp-key]`;

const list = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

async function withContext<T>(run: (ctx: Awaited<ReturnType<typeof boot>>['ctx']) => Promise<T>): Promise<T> {
  const { ctx, database } = await boot(process.env, {});
  try {
    return await run(ctx);
  } catch (err) {
    if (err instanceof GatehouseError) {
      process.stderr.write(`${err.message}${err.field ? ` (--${err.field})` : ''}\n`);
      process.exitCode = 2;
      return undefined as T;
    }
    throw err;
  } finally {
    // On a new database boot started making the deployment's keys; let it finish before the database closes.
    await Promise.allSettled([ctx.keys.sp(), ctx.keys.jwt()]);
    await database.close();
  }
}

export async function createAdminCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'owner' }, password: { type: 'string' } } });
  if (!values.email) {
    process.stderr.write(`Usage: ${CREATE_ADMIN_USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  await withContext(async (ctx) => {
    const row = await createAdmin(ctx, CLI, { email: values.email, name: values.name, role: values.role, password: values.password ?? process.env.GATEHOUSE_ADMIN_PASSWORD });
    process.stdout.write(`Created ${row.role} ${row.email} (${row.password_hash ? 'password sign-in' : 'SSO only'}).\n`);
  });
}

export async function apiKeyCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { owner: { type: 'string' }, name: { type: 'string' }, kind: { type: 'string', default: 'personal' }, tenants: { type: 'string' }, products: { type: 'string' }, permissions: { type: 'string' }, 'expires-in-days': { type: 'string' } },
  });
  if (!values.owner || !values.name) {
    process.stderr.write(`Usage: ${API_KEY_USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  await withContext(async (ctx) => {
    const owner = await adminUsersRepo.findByEmail(ctx.db, values.owner!);
    if (!owner) throw new GatehouseError('API_NOT_FOUND', `No admin account ${values.owner}; create it with gatehouse create-admin.`, { field: 'owner' });
    const days = values['expires-in-days'] ? Number(values['expires-in-days']) : undefined;
    if (days !== undefined && !(days > 0)) throw new GatehouseError('API_VALIDATION', '--expires-in-days must be a positive number.', { field: 'expires-in-days' });
    const scopes = values.kind === 'scoped' ? { tenants: list(values.tenants), products: list(values.products), permissions: list(values.permissions) ?? [] } : undefined;
    const { row, key } = await mintApiKey(ctx, CLI, owner, { name: values.name, kind: values.kind, scopes, expiresAt: days ? new Date(ctx.now() + days * 86_400_000).toISOString() : undefined });
    process.stderr.write(`Created ${row.kind} key "${row.name}" (${row.id}) for ${owner.email}. It is shown once:\n`);
    process.stdout.write(`${key}\n`);
  });
}

export async function importJacksonCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { from: { type: 'string' }, 'encryption-key': { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, 'saml-audience': { type: 'string' }, 'keep-sp-key': { type: 'boolean', default: false } },
  });
  if (!values.from) {
    process.stderr.write(`Usage: ${IMPORT_JACKSON_USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  await withContext(async (ctx) => {
    // The SP key a first boot makes must exist before the import decides whether Jackson's replaces it.
    await ctx.keys.sp();
    const result = await importJackson(ctx, { from: values.from!, encryptionKey: values['encryption-key'] ?? process.env.JACKSON_DB_ENCRYPTION_KEY, dryRun: values['dry-run']!, samlAudience: values['saml-audience'], keepSpKey: values['keep-sp-key'] });
    process.stdout.write(result.report);
    if (result.failures.length) process.exitCode = 1;
  });
}

export const RETIRE_SIGNING_KEY_USAGE = 'gatehouse retire-signing-key --kid <kid> (not the newest key, which signs)';

export async function rotateSigningKeyCommand(): Promise<void> {
  await withContext(async (ctx) => {
    await ctx.keys.jwt(); // on a new database, the first key exists before the rotation adds the second
    const publishFor = 2 * ctx.config.KEYSET_REFRESH_SECONDS;
    const kid = await rotateJwtKey(ctx.db, ctx.secrets, ctx.now(), ctx.now() + publishFor * 1000);
    await auditChange(ctx, CLI, { action: 'signing_key.rotated', target: { type: 'signing_key', id: kid }, after: { kid } });
    process.stdout.write(`New id_token signing key ${kid}: every instance publishes it in its JWKS now and signs with it in ${publishFor} s. The older keys stay in the JWKS until retired.\n`);
  });
}

export async function retireSigningKeyCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { kid: { type: 'string' } } });
  if (!values.kid) {
    process.stderr.write(`Usage: ${RETIRE_SIGNING_KEY_USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  await withContext(async (ctx) => {
    const active = await signingKeysRepo.listActive(ctx.db, 'jwt');
    if (!active.some((k) => k.id === values.kid)) throw new GatehouseError('API_NOT_FOUND', `No active signing key "${values.kid}".`, { field: 'kid' });
    if (active[0]!.id === values.kid) throw new GatehouseError('API_CONFLICT', `"${values.kid}" is the newest key, the one that signs: rotate first.`, { field: 'kid' });
    await signingKeysRepo.retire(ctx.db, values.kid!, ctx.now());
    await auditChange(ctx, CLI, { action: 'signing_key.retired', target: { type: 'signing_key', id: values.kid! }, before: { kid: values.kid } });
    process.stdout.write(`Retired ${values.kid}: it leaves the JWKS of every instance within ${ctx.config.KEYSET_REFRESH_SECONDS} s.\n`);
  });
}
