/**
 * The access line the server really writes (src/http/app.ts through redactUrl, src/observability/request-logger.ts's
 * writer, which skips pino's redaction pass): a link token in the path, encoded or not, and secret parameters never
 * reach the log, whether the request routes or 404s.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';

let gh: RunningGatehouse | null = null;
after(() => gh?.close());

test('no link token or secret parameter reaches the access line', async () => {
  const lines: string[] = [];
  const logStream = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  gh = await startGatehouse({ env: { LOG_LEVEL: 'info' }, logStream });
  assert.ok(gh);
  const secret = 'S3cr3tL1nkT0k3nXYZ';
  const urls = [
    `/setup/${secret}`, `/%73etup/${secret}`, `//Setup/${secret}`, `/api/setup/${secret}/connections`, `/portal/${secret}`,
    `/api/oauth/logout?id_token_hint=${secret}`, `/api/oauth/userinfo?%61ccess_token=${secret}`, `/api/oauth/authorize?client_id=x&code_verifier=${secret}`,
  ];
  for (const url of urls) await gh.app.inject({ method: 'GET', url });
  await new Promise((r) => setImmediate(r));
  const written = lines.join('');
  const accessLines = lines.filter((l) => /"url":/.test(l));
  assert.ok(accessLines.length >= urls.length, `an access line per request (${accessLines.length} of ${urls.length})\n${written.slice(0, 2000)}`);
  assert.ok(!written.includes(secret), `the token appears in the log:\n${written.split('\n').filter((l) => l.includes(secret)).join('\n')}`);
  assert.ok(written.includes('[redacted]'));
});
