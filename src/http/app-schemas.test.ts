/**
 * Fastify's schema compilers are loaded on first use (decision 0064): a route given a schema is still validated by
 * AJV and serialized by fast-json-stringify, as with Fastify's defaults.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { deferredSchemaCompilers } from './app.ts';

test('a route with a schema is validated and serialized by Fastify’s own compilers, loaded on first use', async (t) => {
  const app = Fastify({ schemaController: deferredSchemaCompilers as never });
  t.after(() => app.close());
  app.post('/probe', {
    schema: {
      body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
      response: { 200: { type: 'object', properties: { n: { type: 'integer' } } } },
    },
  }, async (req) => ({ n: (req.body as { n: number }).n, secret: 'dropped by the serializer' }));
  const ok = await app.inject({ method: 'POST', url: '/probe', payload: { n: '7' } });
  assert.equal(ok.statusCode, 200);
  assert.deepEqual(ok.json(), { n: 7 }); // coerced by AJV; `secret` is not in the response schema
  const bad = await app.inject({ method: 'POST', url: '/probe', payload: { n: 'x' } });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().message, /body\/n must be integer/);
});
