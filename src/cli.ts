/**
 * `gatehouse <command>`: start (the server), migrate (apply migrations ahead of a deploy), create-admin,
 * api-key, import-jackson, rotate-signing-key and retire-signing-key (src/cli-commands.ts).
 * Configuration comes from the environment, as for the server.
 */
import { loadConfig, ConfigError } from './config.ts';
import { devKeyResolver } from './boot.ts';
import { openDatabase, migrateToLatest } from './storage/index.ts';

const [command] = process.argv.slice(2);

async function migrate() {
  const config = loadConfig(process.env, devKeyResolver(process.env));
  const database = await openDatabase(config.DATABASE_URL, 1);
  try {
    const applied = await migrateToLatest(database.db, database.dialect);
    process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n');
  } finally {
    await database.close();
  }
}

try {
  if (command === 'start') await (await import('./main.ts')).main();
  else if (command === 'migrate') await migrate();
  else if (command === 'create-admin') await (await import('./cli-commands.ts')).createAdminCommand(process.argv.slice(3));
  else if (command === 'api-key') await (await import('./cli-commands.ts')).apiKeyCommand(process.argv.slice(3));
  else if (command === 'import-jackson') await (await import('./cli-commands.ts')).importJacksonCommand(process.argv.slice(3));
  else if (command === 'rotate-signing-key') await (await import('./cli-commands.ts')).rotateSigningKeyCommand();
  else if (command === 'retire-signing-key') await (await import('./cli-commands.ts')).retireSigningKeyCommand(process.argv.slice(3));
  else {
    process.stdout.write('Usage: gatehouse <start|migrate|create-admin|api-key|import-jackson|rotate-signing-key|retire-signing-key>\n  start         run the server (same as npm start)\n  migrate       apply database migrations and exit\n  create-admin  create an admin portal account (--email, --role, --password or GATEHOUSE_ADMIN_PASSWORD)\n  api-key       mint a management API key for an admin (--owner, --name, [--kind scoped --permissions …])\n  import-jackson  import a SAML Jackson deployment (--from <DATABASE_URL> --encryption-key <DB_ENCRYPTION_KEY> [--dry-run])\n  rotate-signing-key  add a new id_token signing key (it signs from then on; older keys stay in the JWKS)\n  retire-signing-key  remove an older key from the JWKS (--kid)\n');
    process.exit(command ? 2 : 0);
  }
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(78);
  }
  throw err;
}
