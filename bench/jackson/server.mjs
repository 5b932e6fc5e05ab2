// SAML Jackson in a process of its own, for its cold start and peak RSS (bench/jackson/index.ts spawns it):
// `node bench/jackson/server.mjs` with PORT, EXTERNAL_URL and JACKSON_DB (a SQLite file, or `mem`). It makes Jackson's
// controllers, then listens on 127.0.0.1 and serves jackson.mjs's routes over node:http; the first 200 from
// /api/health is "ready". Plain JavaScript, no loader: what loads and what is resident is Jackson's own.
import { createServer } from 'node:http';
import { answer, startJackson } from './jackson.mjs';

const file = process.env.JACKSON_DB;
const j = await startJackson({ externalUrl: process.env.EXTERNAL_URL, store: file === 'mem' ? { engine: 'mem' } : { engine: 'sqlite', file } });
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const body = chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined;
    const r = await answer(j, { method: req.method, path: req.url, headers: req.headers, body });
    res.writeHead(r.status, r.headers).end(r.body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  Promise.resolve(j.close?.()).finally(() => process.exit(0));
});
