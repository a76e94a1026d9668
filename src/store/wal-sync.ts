import { closeSync, fdatasync, openSync } from 'node:fs';

export interface WalSync {
  /** Resolves once every commit made before the call is on disk. */
  sync(): Promise<void>;
  /** Lets go of the WAL file (after the store's last sync). */
  close(): void;
}

/** Puts a file's written data on disk and calls back, like fs.fdatasync. */
export type Flush = (fd: number, done: (err: Error | null) => void) => void;

/**
 * Makes committed SQLite WAL frames durable without blocking the event loop. A commit at `synchronous = NORMAL`
 * writes its frames to the WAL but leaves them in the OS cache; an fdatasync of the WAL file, run on libuv's
 * thread pool, then puts them on disk. While that runs the event loop goes on reading requests and building the
 * next batch, which is how a database server overlaps its group commits.
 *
 * Every caller gets a sync that started after it asked: a sync already under way may predate its commit, so
 * callers that arrive meanwhile share the next one. Frames a checkpoint has already copied into the database file
 * are durable too: the checkpoint syncs that file before the WAL is reused.
 *
 * A failed flush is final. After an fsync error the kernel may have dropped the dirty pages and cleared the
 * error, so a later flush that succeeds proves nothing about the frames before it: every later caller is refused
 * with the same error, and `onFailure` is told once so the process can stop and let SQLite recover the WAL on
 * the next start.
 */
export function makeWalSync(walPath: string, flush: Flush = fdatasync, onFailure: (err: Error) => void = () => {}): WalSync {
  let fd: number | null = null;
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  let failure: Error | null = null;

  function fail(err: Error): Error {
    if (failure === null) {
      failure = err;
      onFailure(err);
    }
    return failure;
  }

  function start(): Promise<void> {
    if (failure !== null) return Promise.reject(failure);
    const p = new Promise<void>((resolve, reject) => {
      try {
        // The WAL file exists once anything has been committed, and keeps its inode while the store is open.
        fd ??= openSync(walPath, 'r');
      } catch (e) {
        reject(fail(e as Error));
        return;
      }
      flush(fd, (err) => (err ? reject(fail(err)) : resolve()));
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
      if (failure !== null) return Promise.reject(failure);
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
