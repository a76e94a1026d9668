/**
 * The checkpoint thread: copies committed WAL frames into the SQLite database file on a connection of its own.
 * A checkpoint writes pages all over the file and syncs it; run by the connection that commits (SQLite's
 * default), it would hold the event loop for that long every few megabytes of writes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';

export interface CheckpointThreadSettings {
  path: string;
  everyMs: number;
}

export type FromCheckpointThread = { type: 'failed'; error: string };

const port = parentPort!;
const { path, everyMs } = workerData as CheckpointThreadSettings;
const db = new BetterSqlite3(path);
db.pragma('busy_timeout = 5000');
let lastError = '';

// PASSIVE never waits for, or blocks, the connection that writes: it copies what it can and leaves the rest for
// the next round. With nothing new in the WAL it copies and syncs nothing.
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    lastError = '';
  } catch (e) {
    const error = (e as Error).message;
    if (error !== lastError) port.postMessage({ type: 'failed', error } satisfies FromCheckpointThread);
    lastError = error;
  }
}, everyMs);

port.on('message', (msg: 'close') => {
  if (msg !== 'close') return;
  clearInterval(timer);
  db.close();
  port.close();
});
