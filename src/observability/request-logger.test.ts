/** The per-request logger made on first use (decision 0036): nothing made for a request that writes no line; lines carry reqId. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import { lazyRequestLogger } from './request-logger.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(JSON.parse(chunk.toString('utf8'))), done()) });
  const root = pino({ base: { service: 'gatehouse' } }, stream);
  let children = 0;
  const child = root.child;
  // Counts every child made (children inherit this method, and call it on themselves).
  root.child = function (this: typeof root, ...a: Parameters<typeof child>) {
    children++;
    return child.apply(this, a);
  } as typeof root.child;
  return { root, lines, children: () => children };
}

test('req.log is made only when a request writes through it, and its lines carry reqId', async () => {
  const { root, lines, children } = capture();
  const app = Fastify({ loggerInstance: root as unknown as FastifyBaseLogger, logController: new LogController({ disableRequestLogging: true }), childLoggerFactory: lazyRequestLogger, genReqId: () => 'req-1' });
  app.get('/quiet', async () => 'ok');
  app.get('/loud', async (req) => {
    req.log.warn({ detail: 1 }, 'something to say');
    req.log.child({ step: 'inner' }).info('deeper');
    return 'ok';
  });
  await app.ready();
  const atStart = children(); // Fastify's own, made once
  assert.equal((await app.inject('/quiet')).statusCode, 200);
  assert.equal(children() - atStart, 0, 'no child logger for a request that logs nothing');
  assert.equal((await app.inject('/loud')).statusCode, 200);
  assert.equal(children() - atStart, 2, 'the request\'s logger, made on its first line, and the child asked of it');
  assert.deepEqual(lines.map((l) => [l.level, l.reqId, l.msg, l.step ?? null]), [[40, 'req-1', 'something to say', null], [30, 'req-1', 'deeper', 'inner']]);
  await app.close();
});

test('the access line skips the redaction pass; every other line keeps it', async () => {
  const { createLogger } = await import('../boot.ts');
  const { mkdtempSync, readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const file = join(mkdtempSync(join(tmpdir(), 'gatehouse-access-')), 'log');
  const log = createLogger({ LOG_LEVEL: 'info' }, file);
  const { accessLineWriter } = await import('./request-logger.ts');
  accessLineWriter(log as unknown as FastifyBaseLogger)({ reqId: 'req-9', method: 'GET', url: '/setup/[redacted]', status: 200, ms: 1.5 });
  log.info({ req: { headers: { authorization: 'Bearer never-logged-1' } }, x: { password: 'never-logged-2' } }, 'other');
  log.child({ reqId: 'req-9' }).info({ x: { clientSecret: 'never-logged-3' } }, 'child');
  await new Promise<void>((resolve, reject) => log.flush((err) => (err ? reject(err) : resolve())));
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(lines.map((l) => l.msg), ['request', 'other', 'child']);
  const { level, service, reqId, method, url, status, ms } = lines[0]!;
  assert.deepEqual({ level, service, reqId, method, url, status, ms }, { level: 30, service: 'gatehouse', reqId: 'req-9', method: 'GET', url: '/setup/[redacted]', status: 200, ms: 1.5 });
  assert.ok(!readFileSync(file, 'utf8').includes('never-logged'), 'the root logger and its children still redact');
});
