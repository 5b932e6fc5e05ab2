/**
 * A real SAML IdP for tests: SimpleSAMLphp from Debian's `simplesamlphp` package, served by `php -S` (Debian's
 * `php-cli`) from a throw-away configuration: one IdP (exampleauth user/password logins, emailAddress NameIDs,
 * signed logout messages, the traditional — redirect — logout handler) and Gatehouse as its one SP. Skips loudly
 * when the packages are missing and fails in CI (.ci/run installs them).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort } from './gatehouse.ts';
import { createTestIdp } from './saml-idp.ts';

const SSP_WWW = '/usr/share/simplesamlphp/www';
const PHP = '/usr/bin/php';

export interface SimpleSamlPhp {
  baseUrl: string;
  entityId: string;
  metadataUrl: string;
  /** Starts IdP-initiated logout of every SP the browser is signed in to, then returns to `returnTo`. */
  idpLogoutUrl(returnTo: string): string;
  stop(): Promise<void>;
}

/** Why the IdP cannot run here, or null. */
export function simpleSamlPhpMissing(): string | null {
  if (existsSync(SSP_WWW) && existsSync(PHP)) return null;
  const reason = 'SimpleSAMLphp is not installed (apt-get install simplesamlphp php-cli)';
  if (process.env.CI) throw new Error(`${reason}: CI must run the real-IdP logout tests`);
  process.stderr.write(`\n!!! ${reason}: the SimpleSAMLphp tests are SKIPPED !!!\n`);
  return reason;
}

const str = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const pemBody = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

/** `returnHosts`: hosts (with port) that logout may return to (SimpleSAMLphp's trusted.url.domains). */
export async function startSimpleSamlPhp(sp: { entityId: string; acsUrl: string; sloUrl: string; certPem: string; users: Record<string, { password: string; email: string }>; returnHosts?: string[] }): Promise<SimpleSamlPhp> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-ssp-'));
  for (const sub of ['metadata', 'cert', 'log', 'data', 'tmp', 'sessions']) mkdirSync(join(dir, sub));
  const key = await createTestIdp();
  writeFileSync(join(dir, 'cert', 'idp.key'), key.privateKeyPem);
  writeFileSync(join(dir, 'cert', 'idp.crt'), key.certPem);
  writeFileSync(join(dir, 'config.php'), `<?php
$config = [
  'baseurlpath' => ${str(`${baseUrl}/`)},
  'certdir' => ${str(join(dir, 'cert'))},
  'loggingdir' => ${str(join(dir, 'log'))},
  'datadir' => ${str(join(dir, 'data'))},
  'tempdir' => ${str(join(dir, 'tmp'))},
  'metadatadir' => ${str(join(dir, 'metadata'))},
  'metadata.sources' => [['type' => 'flatfile']],
  'technicalcontact_name' => 'Gatehouse tests',
  'technicalcontact_email' => 'tests@example.test',
  'secretsalt' => ${str(randomBytes(16).toString('hex'))},
  'auth.adminpassword' => ${str(randomBytes(16).toString('hex'))},
  'admin.protectindexpage' => true,
  'admin.protectmetadata' => false,
  'enable.saml20-idp' => true,
  'module.enable' => ['exampleauth' => true, 'core' => true, 'saml' => true, 'admin' => true],
  'store.type' => 'phpsession',
  'session.phpsession.savepath' => ${str(join(dir, 'sessions'))},
  'session.cookie.secure' => false,
  'trusted.url.domains' => [${['127.0.0.1', 'localhost', ...(sp.returnHosts ?? [])].map(str).join(', ')}],
  'session.cookie.samesite' => null,
  'logging.level' => SimpleSAML\\Logger::WARNING,
  'logging.handler' => 'file',
  'logging.logfile' => 'simplesamlphp.log',
  'language.default' => 'en',
  'theme.use' => 'default',
];
`);
  const users = Object.entries(sp.users).map(([name, u]) => `    ${str(`${name}:${u.password}`)} => ['uid' => [${str(name)}], 'email' => [${str(u.email)}]],`).join('\n');
  writeFileSync(join(dir, 'authsources.php'), `<?php
$config = [
  'admin' => ['core:AdminPassword'],
  'users' => [
    'exampleauth:UserPass',
${users}
  ],
];
`);
  const entityId = `${baseUrl}/saml2/idp/metadata.php`;
  writeFileSync(join(dir, 'metadata', 'saml20-idp-hosted.php'), `<?php
$metadata[${str(entityId)}] = [
  'host' => '__DEFAULT__',
  'privatekey' => 'idp.key',
  'certificate' => 'idp.crt',
  'auth' => 'users',
  'NameIDFormat' => 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  'authproc' => [10 => ['class' => 'saml:AttributeNameID', 'attribute' => 'email', 'Format' => 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress']],
  'signature.algorithm' => 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'sign.logout' => true,
  'redirect.sign' => true,
  'validate.logout' => true,
  'logouttype' => 'traditional',
];
`);
  writeFileSync(join(dir, 'metadata', 'saml20-sp-remote.php'), `<?php
$metadata[${str(sp.entityId)}] = [
  'AssertionConsumerService' => [['Binding' => 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', 'Location' => ${str(sp.acsUrl)}]],
  'SingleLogoutService' => [['Binding' => 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', 'Location' => ${str(sp.sloUrl)}]],
  'keys' => [['encryption' => false, 'signing' => true, 'type' => 'X509Certificate', 'X509Certificate' => ${str(pemBody(sp.certPem))}]],
  'NameIDFormat' => 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  'signature.algorithm' => 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'sign.logout' => true,
  'redirect.sign' => true,
  'validate.logout' => true,
  'saml20.sign.assertion' => true,
];
`);
  const child: ChildProcess = spawn(PHP, ['-S', `127.0.0.1:${port}`, '-t', SSP_WWW], { env: { ...process.env, SIMPLESAMLPHP_CONFIG_DIR: dir }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-4000)));
  const metadataUrl = `${baseUrl}/saml2/idp/metadata.php`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    try {
      const res = await fetch(metadataUrl);
      if (res.ok) break;
      if (i > 50) throw new Error(`metadata answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
    } catch (err) {
      if (i > 50) {
        await stop();
        throw new Error(`SimpleSAMLphp did not start: ${(err as Error).message}\n${stderr}`);
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { baseUrl, entityId, metadataUrl, idpLogoutUrl: (returnTo) => `${baseUrl}/saml2/idp/SingleLogoutService.php?ReturnTo=${encodeURIComponent(returnTo)}`, stop };
}
