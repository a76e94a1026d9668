/**
 * The benchmark's receiver, in its own process so it does not share Herald's event loop. It answers 200 to every
 * POST, counts what arrived, and for Herald's messages records publish-to-delivery latency (arrival time minus the
 * envelope's `timestamp`, which is when Herald accepted the event). The parent talks to it over IPC.
 */
import { createServer } from 'node:http';

let count = 0;
let latencies: number[] = [];
let firstAt = 0;
let lastAt = 0;
const seen = new Set<string>();
let duplicates = 0;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const now = Date.now();
    count++;
    if (firstAt === 0) firstAt = now;
    lastAt = now;
    const body = Buffer.concat(chunks).toString('utf8');
    if (req.url === '/herald') {
      const msg = JSON.parse(body) as { message_id: string; timestamp: string };
      latencies.push(now - Date.parse(msg.timestamp));
      if (seen.has(msg.message_id)) duplicates++;
      else seen.add(msg.message_id);
    }
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
    res.end('ok');
  });
});
server.keepAliveTimeout = 60_000;

process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'reset') {
    count = 0;
    latencies = [];
    firstAt = lastAt = 0;
    seen.clear();
    duplicates = 0;
    process.send!({ ok: true });
  } else if (m.cmd === 'stats') {
    // Polled while Herald delivers: counts only, so answering costs the receiver next to nothing.
    process.send!({ count, unique: seen.size, duplicates, firstAt, lastAt });
  } else if (m.cmd === 'latencies') {
    process.send!({ latencies });
  } else if (m.cmd === 'exit') {
    server.close();
    process.exit(0);
  }
});

server.listen(0, '127.0.0.1', () => {
  const addr = server.address() as { port: number };
  process.send!({ port: addr.port });
});
