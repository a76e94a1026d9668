import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay on loopback between Herald and PostgreSQL that reads the client's side of the wire protocol and can
 * act on the next COMMIT any client sends: hold the server's answer to it, or let the server commit and then
 * cut the client's connection before the answer reaches it (a commit whose outcome the client cannot know).
 * Everything else passes through untouched.
 */
export interface PgProxy {
  /** The database URL through the relay. */
  url: string;
  /** The answer to the next COMMIT is held until `release`; `forwarded` resolves once the server has that COMMIT. */
  holdNextCommit(): { forwarded: Promise<void>; release(): void };
  /** The next COMMIT reaches the server; once its answer is back, the answer is dropped and the connection cut. */
  cutAfterNextCommit(): Promise<void>;
  close(): Promise<void>;
}

type Action = { kind: 'hold'; forwarded: () => void; released: Promise<void> } | { kind: 'cut'; done: () => void };

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

function isCommit(type: string, body: Buffer): boolean {
  let text: string;
  if (type === 'Q') text = body.toString('utf8');
  else if (type === 'P') text = body.subarray(body.indexOf(0) + 1).toString('utf8');
  else return false;
  const end = text.indexOf('\0');
  return /^\s*commit\s*;?\s*$/i.test(end >= 0 ? text.slice(0, end) : text);
}

export async function startPgProxy(target: string): Promise<PgProxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  let next: Action | null = null;

  const server: Server = createServer((client) => {
    const pgSide = createConnection({ host: upstream.hostname, port: Number(upstream.port || 5432) });
    sockets.add(client).add(pgSide);
    // Frames are relayed as they are parsed: without this, Nagle's algorithm and delayed ACKs add 40 ms to each.
    client.setNoDelay(true);
    pgSide.setNoDelay(true);
    const drop = () => {
      client.destroy();
      pgSide.destroy();
    };
    client.on('close', drop).on('error', drop);
    pgSide.on('close', drop).on('error', drop);

    let pending = Buffer.alloc(0);
    let startedUp = false;
    /** What the answer of the COMMIT in flight on this connection is to become. */
    let onAnswer: Action | null = null;
    let held: Buffer[] | null = null;

    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      const out: Buffer[] = [];
      for (;;) {
        const typed = startedUp;
        const head = typed ? 5 : 4;
        if (pending.length < head) break;
        const length = pending.readInt32BE(typed ? 1 : 0);
        const total = (typed ? 1 : 0) + length;
        if (pending.length < total) break;
        const frame = pending.subarray(0, total);
        pending = pending.subarray(total);
        if (!typed) {
          const code = frame.readInt32BE(4);
          if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) startedUp = true;
        } else if (next && isCommit(String.fromCharCode(frame[0]!), frame.subarray(5))) {
          onAnswer = next;
          next = null;
        }
        out.push(frame);
        if (onAnswer?.kind === 'hold' && held === null) {
          held = [];
          onAnswer.forwarded();
          const action = onAnswer;
          void action.released.then(() => {
            for (const b of held ?? []) client.write(b);
            held = null;
            if (onAnswer === action) onAnswer = null;
          });
        }
      }
      if (out.length > 0) pgSide.write(Buffer.concat(out));
    });
    pgSide.on('data', (chunk: Buffer) => {
      if (onAnswer?.kind === 'cut') {
        // The server has answered the COMMIT, so it committed; the client never learns it.
        const action = onAnswer;
        onAnswer = null;
        drop();
        action.done();
        return;
      }
      if (held !== null) held.push(chunk);
      else client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    holdNextCommit() {
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      let forwarded!: () => void;
      const wasForwarded = new Promise<void>((r) => (forwarded = r));
      next = { kind: 'hold', forwarded, released };
      return { forwarded: wasForwarded, release };
    },
    cutAfterNextCommit() {
      return new Promise<void>((done) => {
        next = { kind: 'cut', done };
      });
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
