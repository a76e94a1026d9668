/** One Server-Sent Event as a client sees it; comments (heartbeats) are counted apart. */
export interface SseEvent {
  id: string | null;
  event: string | null;
  data: string;
}

/**
 * A stream client made of plain fetch, as a browser-less watcher would be: it reads the body and splits it into
 * events. `ended` resolves when the server closes the stream.
 */
export async function openSse(url: string, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  const events: SseEvent[] = [];
  let comments = 0;
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const notify = () => {
    for (const w of [...waiters]) {
      if (events.length >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  const ended = (async () => {
    if (!res.body || res.status !== 200) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const ev: SseEvent = { id: null, event: null, data: '' };
          let isEvent = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments++;
            else if (line.startsWith('id: ')) ev.id = line.slice(4);
            else if (line.startsWith('event: ')) ev.event = line.slice(7);
            else if (line.startsWith('data: ')) {
              ev.data += line.slice(6);
              isEvent = true;
            }
          }
          if (isEvent) events.push(ev);
        }
        notify();
      }
    } catch {
      // Aborted by close().
    }
  })();
  return {
    status: res.status,
    headers: res.headers,
    events,
    comments: () => comments,
    ended,
    waitFor(n: number, timeoutMs = 10_000): Promise<void> {
      if (events.length >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`stream got ${events.length} of ${n} events in ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    close: () => abort.abort(),
  };
}
