import { closeSync, fdatasync, openSync } from 'node:fs';

export interface WalSync {
  /** Resolves once every commit made before the call is on disk. */
  sync(): Promise<void>;
  /** Lets go of the WAL file (after the store's last sync). */
  close(): void;
}

/**
 * Makes committed SQLite WAL frames durable without blocking the event loop. A commit at `synchronous = NORMAL`
 * writes its frames to the WAL but leaves them in the OS cache; an fdatasync of the WAL file, run on libuv's
 * thread pool, then puts them on disk. While that runs the event loop goes on reading requests and building the
 * next batch, which is how a database server overlaps its group commits.
 *
 * Every caller gets a sync that started after it asked: a sync already under way may predate its commit, so
 * callers that arrive meanwhile share the next one. Frames a checkpoint has already copied into the database file
 * are durable too: the checkpoint syncs that file before the WAL is reused.
 */
export function makeWalSync(walPath: string, flush: (fd: number, done: (err: Error | null) => void) => void = fdatasync): WalSync {
  let fd: number | null = null;
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;

  function start(): Promise<void> {
    const p = new Promise<void>((resolve, reject) => {
      try {
        // The WAL file exists once anything has been committed, and keeps its inode while the store is open.
        fd ??= openSync(walPath, 'r');
      } catch (e) {
        reject(e);
        return;
      }
      flush(fd, (err) => (err ? reject(err) : resolve()));
    });
    running = p;
    const clear = () => {
      if (running === p) running = null;
    };
    p.then(clear, clear);
    return p;
  }

  return {
    sync(): Promise<void> {
      if (running === null) return start();
      if (next === null) {
        const after = () => {
          next = null;
          return start();
        };
        next = running.then(after, after);
      }
      return next;
    },
    close(): void {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
