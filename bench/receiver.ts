/**
 * The benchmark's receiver, in its own process so it does not share Herald's event loop. It answers 200 to every
 * POST and counts what arrived. The ceiling's requests (`/ceiling`) are only counted, their bytes discarded, so the
 * ceiling never pays for more receiver work than Herald's messages do. Herald's messages (`/herald`) also get their
 * `message_id` (duplicates) and a publish-to-delivery latency, both found by plain string search, never JSON parsing:
 * the latency is arrival time minus `sent_at` in the published data when the bench put one there (the steady-rate
 * phase: when the publish request was sent), else minus the envelope's `timestamp` (when Herald accepted the event).
 * The parent talks to it over IPC.
 */
import { createServer } from 'node:http';

let count = 0;
let latencies: number[] = [];
let firstAt = 0;
let lastAt = 0;
const seen = new Set<string>();
let duplicates = 0;

const ID_KEY = '"message_id":"';
const SENT_KEY = '"sent_at":';
const TIMESTAMP_KEY = '"timestamp":"';

/** The digits after `"sent_at":`, or NaN. */
function sentAt(body: string): number {
  const at = body.indexOf(SENT_KEY);
  if (at < 0) return NaN;
  let i = at + SENT_KEY.length;
  let v = 0;
  for (let c = body.charCodeAt(i); c >= 48 && c <= 57; c = body.charCodeAt(++i)) v = v * 10 + (c - 48);
  return i > at + SENT_KEY.length ? v : NaN;
}

/** The quoted string after `key`, or ''. Herald's ids and timestamps contain no escapes. */
function quoted(body: string, key: string): string {
  const at = body.indexOf(key);
  if (at < 0) return '';
  const start = at + key.length;
  const end = body.indexOf('"', start);
  return end < 0 ? '' : body.slice(start, end);
}

function onHeraldMessage(body: string, now: number): void {
  const sent = sentAt(body);
  latencies.push(now - (Number.isNaN(sent) ? Date.parse(quoted(body, TIMESTAMP_KEY)) : sent));
  const id = quoted(body, ID_KEY);
  if (seen.has(id)) duplicates++;
  else seen.add(id);
}

function arrived(now: number): void {
  count++;
  if (firstAt === 0) firstAt = now;
  lastAt = now;
}

const server = createServer((req, res) => {
  const answer = () => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
    res.end('ok');
  };
  if (req.url !== '/herald') {
    req.on('end', () => {
      arrived(Date.now());
      answer();
    });
    req.resume();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const now = Date.now();
    arrived(now);
    onHeraldMessage((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('latin1'), now);
    answer();
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
