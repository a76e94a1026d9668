import { once } from 'node:events';
import { newThread, siblingEntry } from '../util/threads.js';
import type { CheckpointThreadSettings, FromCheckpointThread } from './checkpoint-thread.js';

/** How often the checkpoint thread looks for committed frames to copy. */
const CHECKPOINT_EVERY_MS = 100;

/**
 * WAL pages the writing connection lets pile up before it checkpoints by itself: a backstop for when the
 * checkpoint thread falls behind or is gone, so the WAL file cannot grow without bound.
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 16_384;

export interface Checkpointer {
  close(): Promise<void>;
}

/** Starts checkpointing the SQLite database at `path` on a thread of its own. */
export function startCheckpointer(path: string, onFailure: (error: string) => void): Checkpointer {
  const settings: CheckpointThreadSettings = { path, everyMs: CHECKPOINT_EVERY_MS };
  const worker = newThread(siblingEntry(import.meta.url, 'checkpoint-thread'), { workerData: settings, resourceLimits: { maxOldGenerationSizeMb: 16 } });
  worker.on('message', (msg: FromCheckpointThread) => onFailure(msg.error));
  worker.on('error', (e) => onFailure(e.message));
  // The thread never keeps the process alive: if Herald exits without closing the store, it goes too.
  worker.unref();
  const exited = once(worker, 'exit');
  return {
    async close() {
      // Closed from within, so its connection ends cleanly (a terminated thread would leave it open); a thread
      // still starting up may miss the message, hence the deadline.
      worker.postMessage('close');
      const deadline = setTimeout(() => void worker.terminate(), 2000);
      await exited;
      clearTimeout(deadline);
    },
  };
}
