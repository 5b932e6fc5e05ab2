/** The one config schema: defaults, the encryption key's accepted forms, and boot refusals that name the variable. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { laxSettingsInForce, loadConfig, parseEncryptionKey, ConfigError } from './config.ts';

const key = randomBytes(32);


test('ENCRYPTION_KEY accepts 64 hex characters, base64 and base64url of 32 bytes', () => {
  assert.deepEqual(parseEncryptionKey(key.toString('hex')), key);
  assert.deepEqual(parseEncryptionKey(key.toString('base64')), key);
  assert.deepEqual(parseEncryptionKey(key.toString('base64url')), key);
  assert.throws(() => parseEncryptionKey('abc'), ConfigError);
  assert.throws(() => parseEncryptionKey(randomBytes(16).toString('hex')), /ENCRYPTION_KEY/);
});

test('defaults: port 5225, host 127.0.0.1 outside production, SQLite under ./.data, skew 90 s, issuer = EXTERNAL_URL', () => {
  const c = loadConfig({ ENCRYPTION_KEY: key.toString('hex') });
  assert.equal(c.PORT, 5225);
  assert.equal(c.HOST, '127.0.0.1', 'a developer\'s server (with the README\'s dev-key) is not on the network');
  assert.equal(loadConfig({ ENCRYPTION_KEY: key.toString('hex'), NODE_ENV: 'test' }).HOST, '127.0.0.1');
  assert.equal(loadConfig({ ENCRYPTION_KEY: key.toString('hex'), HOST: '0.0.0.0' }).HOST, '0.0.0.0', 'HOST says otherwise');
  assert.equal(loadConfig({ ENCRYPTION_KEY: key.toString('hex'), NODE_ENV: 'production', EXTERNAL_URL: 'https://sso.example.com' }).HOST, '0.0.0.0', 'production and containers bind every interface');
  assert.equal(loadConfig({ ENCRYPTION_KEY: key.toString('hex'), NODE_ENV: 'production', EXTERNAL_URL: 'https://sso.example.com', HOST: '10.0.0.5' }).HOST, '10.0.0.5');
  assert.equal(c.DATABASE_URL, 'sqlite:./.data/gatehouse.db');
  assert.equal(c.SAML_CLOCK_SKEW_SECONDS, 90);
  assert.equal(c.EXTERNAL_URL, 'http://localhost:5225');
  assert.equal(c.acsUrl, 'http://localhost:5225/api/oauth/saml');
  assert.equal(c.SAML_SP_ENTITY_ID, 'http://localhost:5225');
  assert.ok(Object.isFrozen(c));
});

test('production requires ENCRYPTION_KEY and HTTPS except for localhost', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'production', EXTERNAL_URL: 'https://sso.example.com' }, () => key.toString('hex')), /ENCRYPTION_KEY is required/);
  assert.throws(() => loadConfig({ NODE_ENV: 'production', EXTERNAL_URL: 'http://sso.example.com', ENCRYPTION_KEY: key.toString('hex') }), /EXTERNAL_URL must use HTTPS/);
  assert.equal(loadConfig({ NODE_ENV: 'production', EXTERNAL_URL: 'http://127.0.0.1:5225', ENCRYPTION_KEY: key.toString('hex') }).EXTERNAL_URL, 'http://127.0.0.1:5225');
  assert.equal(loadConfig({ NODE_ENV: 'development', EXTERNAL_URL: 'http://sso.internal:5225/', ENCRYPTION_KEY: key.toString('hex') }).EXTERNAL_URL, 'http://sso.internal:5225');
});

test('bad values stop the boot with a message naming the variable', () => {
  assert.throws(() => loadConfig({ PORT: 'abc', ENCRYPTION_KEY: key.toString('hex') }), /PORT/);
  assert.throws(() => loadConfig({ DATABASE_URL: 'oracle://x', ENCRYPTION_KEY: key.toString('hex') }), /DATABASE_URL/);
  assert.throws(() => loadConfig({ EXTERNAL_URL: 'not a url', ENCRYPTION_KEY: key.toString('hex') }), /EXTERNAL_URL/);
  assert.throws(() => loadConfig({ LOG_LEVEL: 'loud', ENCRYPTION_KEY: key.toString('hex') }), /LOG_LEVEL/);
});

test('ADMIN_PASSWORD shorter than 12 characters stops the boot naming the variable and the rule, never the value', () => {
  assert.throws(() => loadConfig({ ADMIN_EMAIL: 'o@example.com', ADMIN_PASSWORD: 'short-pw', ENCRYPTION_KEY: key.toString('hex') }), (err: Error) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /ADMIN_PASSWORD: must have at least 12 characters/);
    assert.ok(!err.message.includes('short-pw'));
    return true;
  });
  assert.equal(loadConfig({ ADMIN_PASSWORD: 'twelve-chars', ENCRYPTION_KEY: key.toString('hex') }).ADMIN_PASSWORD, 'twelve-chars');
});

test('API_KEYS and OUTBOUND_ALLOW_HOSTS are comma-separated lists; SAML_AUDIENCE is an alias', () => {
  const c = loadConfig({ ENCRYPTION_KEY: key.toString('hex'), API_KEYS: 'a, b,,c', OUTBOUND_ALLOW_HOSTS: '127.0.0.1,localhost', SAML_AUDIENCE: 'https://saml.example.com' });
  assert.deepEqual(c.API_KEYS, ['a', 'b', 'c']);
  assert.deepEqual(c.OUTBOUND_ALLOW_HOSTS, ['127.0.0.1', 'localhost']);
  assert.equal(c.SAML_SP_ENTITY_ID, 'https://saml.example.com');
});

test('JACKSON_COMPAT: off by default; on, CLIENT_SECRET_VERIFIER defaults to dummy and the SP entity ID to Jackson\'s; explicit values win in both modes', () => {
  const base = { ENCRYPTION_KEY: key.toString('hex') };
  const strict = loadConfig(base);
  assert.equal(strict.JACKSON_COMPAT, false);
  assert.equal(strict.CLIENT_SECRET_VERIFIER, undefined);
  assert.equal(strict.IDP_ENABLED, false);
  assert.deepEqual(laxSettingsInForce(strict), []);
  assert.deepEqual(laxSettingsInForce(loadConfig({ ...base, IDP_ENABLED: 'true' })), [], 'IDP_ENABLED alone changes nothing');
  const compat = loadConfig({ ...base, JACKSON_COMPAT: 'true' });
  assert.equal(compat.CLIENT_SECRET_VERIFIER, 'dummy');
  assert.equal(compat.SAML_SP_ENTITY_ID, 'https://saml.boxyhq.com');
  assert.equal(laxSettingsInForce(compat).length, 6);
  assert.ok(laxSettingsInForce(compat).some((s) => /directory secrets on reads/.test(s)));
  const own = loadConfig({ ...base, JACKSON_COMPAT: 'true', CLIENT_SECRET_VERIFIER: 'long-random', SAML_AUDIENCE: 'urn:our:sp', IDP_ENABLED: 'true' });
  assert.equal(own.CLIENT_SECRET_VERIFIER, 'long-random');
  assert.equal(own.SAML_SP_ENTITY_ID, 'urn:our:sp');
  assert.ok(!laxSettingsInForce(own).some((s) => /saml\.boxyhq\.com|"dummy"/.test(s)));
  assert.ok(laxSettingsInForce(own).some((s) => /IDP_ENABLED/.test(s)));
  assert.equal(loadConfig({ ...base, SAML_SP_ENTITY_ID: 'urn:our:sp' }).SAML_SP_ENTITY_ID, 'urn:our:sp');
  assert.throws(() => loadConfig({ ...base, JACKSON_COMPAT: 'yes' }), /JACKSON_COMPAT/);
});

test('the audit stream from the environment: each sink checked at boot, the filter as lists', () => {
  const k = { ENCRYPTION_KEY: key.toString('hex') };
  assert.throws(() => loadConfig({ ...k, AUDIT_STREAM_WEBHOOK_URL: 'https://siem.example.com/hook' }), /AUDIT_STREAM_WEBHOOK_SECRET \(16 characters or more\) is required/);
  assert.throws(() => loadConfig({ ...k, AUDIT_STREAM_WEBHOOK_SECRET: 'x'.repeat(20) }), /AUDIT_STREAM_WEBHOOK_SECRET is set without AUDIT_STREAM_WEBHOOK_URL/);
  assert.throws(() => loadConfig({ ...k, AUDIT_STREAM_WEBHOOK_URL: 'ftp://siem.example.com', AUDIT_STREAM_WEBHOOK_SECRET: 'x'.repeat(20) }), /AUDIT_STREAM_WEBHOOK_URL must be an absolute http\(s\) URL/);
  for (const bad of ['udp://siem:514', 'siem:514', 'tcp://siem:514/path']) assert.throws(() => loadConfig({ ...k, AUDIT_STREAM_SYSLOG_URL: bad }), /AUDIT_STREAM_SYSLOG_URL must be tcp:\/\/host:port or tls:\/\/host:port/, bad);
  assert.throws(() => loadConfig({ ...k, AUDIT_STREAM_SYSLOG_CA: '/etc/ssl/ca.pem' }), /AUDIT_STREAM_SYSLOG_CA must be PEM/);
  assert.throws(() => loadConfig({ ...k, AUDIT_STREAM_JSONL_AUTHORIZATION: 'Bearer t' }), /AUDIT_STREAM_JSONL_AUTHORIZATION is set without AUDIT_STREAM_JSONL_URL/);
  assert.throws(() => loadConfig({ ...k, AUDIT_STREAM_JSONL_URL: 'siem.example.com/ingest' }), /AUDIT_STREAM_JSONL_URL must be an absolute http\(s\) URL/);
  const c = loadConfig({ ...k, AUDIT_STREAM_SYSLOG_URL: 'tls://siem.example.com:6514', AUDIT_STREAM_ACTIONS: 'sso.connection, admin.', AUDIT_STREAM_TENANTS: 'acme.com' });
  assert.equal(c.AUDIT_STREAM_SYSLOG_URL, 'tls://siem.example.com:6514');
  assert.deepEqual([c.AUDIT_STREAM_ACTIONS, c.AUDIT_STREAM_TENANTS, c.AUDIT_STREAM_PRODUCTS], [['sso.connection', 'admin.'], ['acme.com'], []]);
});

test('WORKERS: auto by default, a thread count, 0 for the main thread; anything else stops the boot naming it', () => {
  const k = { ENCRYPTION_KEY: key.toString('hex') };
  assert.equal(loadConfig(k).WORKERS, 'auto');
  assert.equal(loadConfig({ ...k, WORKERS: 'auto' }).WORKERS, 'auto');
  assert.equal(loadConfig({ ...k, WORKERS: '0' }).WORKERS, 0);
  assert.equal(loadConfig({ ...k, WORKERS: '4' }).WORKERS, 4);
  for (const bad of ['-1', '1.5', 'many', '65']) assert.throws(() => loadConfig({ ...k, WORKERS: bad }), /WORKERS/, bad);
});

test('DATABASE_PREPARED_STATEMENTS: on unless set to false or 0 (decision 0048)', () => {
  const with_ = (v?: string) => loadConfig({ ENCRYPTION_KEY: key.toString('hex'), ...(v === undefined ? {} : { DATABASE_PREPARED_STATEMENTS: v }) }).DATABASE_PREPARED_STATEMENTS;
  assert.equal(with_(), true);
  assert.equal(with_('true'), true);
  assert.equal(with_('false'), false);
  assert.equal(with_('0'), false);
  assert.throws(() => with_('no'), /DATABASE_PREPARED_STATEMENTS/);
});
