// The benchmarks' webhook receiver, in its own process (so it takes no time from an in-process Gatehouse):
// answers 200 to every POST on 127.0.0.1 and counts events by id. Messages: 'stats' → { distinct,
// duplicates, posts (every POST, whatever its body: SAML Jackson's events carry no id), lastAt (Date.now() of the
// last delivery) }, 'clear'.
import { createServer } from 'node:http';

const seen = new Map();
let lastAt = 0;
let posts = 0;
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    posts++;
    const id = JSON.parse(Buffer.concat(chunks).toString('utf8')).id;
    seen.set(id, (seen.get(id) ?? 0) + 1);
    lastAt = Date.now();
    res.writeHead(200).end('ok');
  });
});
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', (m) => {
  if (m === 'clear') {
    seen.clear();
    posts = 0;
    process.send({ cleared: true });
  } else if (m === 'stats') {
    let duplicates = 0;
    for (const n of seen.values()) if (n > 1) duplicates++;
    process.send({ distinct: seen.size, duplicates, posts, lastAt });
  }
});
process.on('disconnect', () => process.exit(0));
