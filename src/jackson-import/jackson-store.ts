/**
 * Reads SAML Jackson's SQL store (SQLite, PostgreSQL, MySQL/MariaDB) with our own drivers, read-only: the rows
 * of `jackson_store` in the namespaces the import needs, decrypted, and the `jackson_index` rows that tie
 * groups (and users) to their directory. Jackson seals each value with AES-256-GCM under DB_ENCRYPTION_KEY (a 32-character
 * key is used as its latin1 bytes, anything else is base64); a GCM tag that fails means the wrong key, which is
 * refused before anything is read further.
 */
import { createDecipheriv, createHash } from 'node:crypto';
import { GatehouseError } from '../errors.ts';

/** A decrypted `jackson_store` row. */
export interface StoreRow {
  namespace: string;
  key: string;
  value: unknown;
  createdAt: number | null;
}

export interface JacksonStoreDump {
  rows: StoreRow[];
  /** `jackson_index` key → store keys, for the directory indexes of groups (and of users older Jackson stored without it). */
  index: Map<string, string[]>;
}

/** Jackson's `keyDigest`: RIPEMD-160 (hex) of a store key or index value. */
export const keyDigest = (k: string) => createHash('ripemd160').update(k).digest('hex');

/** The namespaces read: connections, the SP certificate, products, setup links, directories and their contents. */
const EXACT = ['saml:config', 'x509:certificates', 'product:config', 'setup:link', 'dsync:config'];
const PREFIXES = ['dsync:users:', 'dsync:groups:', 'dsync:members:'];

/** Jackson's reading of DB_ENCRYPTION_KEY (db/db.js): 32 characters are the key's latin1 bytes, else base64. */
export function jacksonKeyOf(text: string): Buffer {
  const key = text.length === 32 ? Buffer.from(text, 'latin1') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new GatehouseError('IMPORT_WRONG_KEY', 'The encryption key must be Jackson\'s DB_ENCRYPTION_KEY: 32 characters, or 32 bytes in base64.', { field: 'encryption-key' });
  return key;
}

function decryptValue(raw: { value: string; iv: string | null; tag: string | null }, key: Buffer | null): unknown {
  if (!raw.iv || !raw.tag) return JSON.parse(raw.value);
  if (!key) throw new GatehouseError('IMPORT_WRONG_KEY', 'This Jackson store is encrypted: give Jackson\'s DB_ENCRYPTION_KEY as --encryption-key.', { field: 'encryption-key' });
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(raw.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(raw.tag, 'base64'));
    return JSON.parse(decipher.update(raw.value, 'base64', 'utf8') + decipher.final('utf8'));
  } catch {
    throw new GatehouseError('IMPORT_WRONG_KEY', 'The encryption key does not decrypt this Jackson store (the AES-GCM tag does not verify): give Jackson\'s DB_ENCRYPTION_KEY as --encryption-key. Nothing was imported.', { field: 'encryption-key' });
  }
}

type Query = (sql: string) => Promise<Record<string, unknown>[]>;

/** One read-only connection to Jackson's database; `q` quotes an identifier the dialect's way. */
async function connect(url: string): Promise<{ query: Query; q: (id: string) => string; close: () => Promise<void> }> {
  const dq = (id: string) => `"${id}"`;
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    await client.connect();
    return { query: async (sql) => (await client.query(sql)).rows, q: dq, close: () => client.end() };
  }
  if (/^(mysql|mariadb):\/\//.test(url)) {
    const mysql = await import('mysql2/promise');
    const conn = await mysql.createConnection({ uri: url.replace(/^mariadb:/, 'mysql:'), connectTimeout: 10_000 });
    return { query: async (sql) => (await conn.query(sql))[0] as Record<string, unknown>[], q: (id) => `\`${id}\``, close: () => conn.end() };
  }
  const file = url.replace(/^sqlite:(\/\/)?/, '').replace(/^file:/, '');
  const { default: SQLite } = await import('better-sqlite3');
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  return { query: async (sql) => db.prepare(sql).all() as Record<string, unknown>[], q: dq, close: async () => void db.close() };
}

const timeOf = (v: unknown): number | null => {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string' && v) {
    const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
    return Number.isFinite(t) ? t : null;
  }
  return null;
};

/** Reads and decrypts what the import needs from Jackson's DATABASE_URL. Refuses a wrong key (IMPORT_WRONG_KEY). */
export async function readJacksonStore(url: string, encryptionKey: string | undefined): Promise<JacksonStoreDump> {
  const key = encryptionKey ? jacksonKeyOf(encryptionKey) : null;
  let db: Awaited<ReturnType<typeof connect>>;
  try {
    db = await connect(url);
  } catch (err) {
    throw new GatehouseError('IMPORT_SOURCE_UNREADABLE', `Could not open Jackson's database: ${(err as Error).message}`, { field: 'from' });
  }
  try {
    const { q } = db;
    const ns = q('namespace');
    const where = [...EXACT.map((n) => `${ns} = '${n}'`), ...PREFIXES.map((p) => `${ns} LIKE '${p}%'`)].join(' OR ');
    let raw: Record<string, unknown>[];
    let indexRows: Record<string, unknown>[];
    try {
      raw = await db.query(`SELECT ${q('key')}, ${q('value')}, ${q('iv')}, ${q('tag')}, ${ns}, ${q('createdAt')} FROM ${q('jackson_store')} WHERE ${where}`);
      indexRows = await db.query(`SELECT ${q('key')}, ${q('storeKey')} FROM ${q('jackson_index')} WHERE ${q('key')} LIKE 'dsync:%:directoryId:%'`);
    } catch (err) {
      throw new GatehouseError('IMPORT_SOURCE_UNREADABLE', `This database has no readable Jackson store (jackson_store, jackson_index): ${(err as Error).message}`, { field: 'from' });
    }
    // The key is checked on one row first, so a wrong key is refused before any other work.
    const rows = raw.map((r) => ({
      namespace: String(r.namespace),
      key: String(r.key),
      value: decryptValue({ value: String(r.value), iv: (r.iv as string | null) ?? null, tag: (r.tag as string | null) ?? null }, key),
      createdAt: timeOf(r.createdAt),
    }));
    const index = new Map<string, string[]>();
    for (const r of indexRows) index.set(String(r.key), [...(index.get(String(r.key)) ?? []), String(r.storeKey)]);
    return { rows, index };
  } finally {
    await db.close();
  }
}
