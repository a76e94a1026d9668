import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A simulated customer backend, as a Strigo-format receiver would be: when an enrollment starts it "builds a lab"
 * and reports back on the callback URL Herald put in the message, first CREATED with two VMs STARTING, then
 * UPDATED with both READY and their terminal and web interfaces. It also serves the pages those interface
 * links open, so clicking them in the console lands somewhere.
 */
export interface BackendOptions {
  /** Between CREATED and UPDATED READY. */
  readyAfterMs?: number;
  /** Every n-th message is refused once with a 503, so the delivery log shows a retry. 0 never refuses. */
  refuseEvery?: number;
  log?: (line: string) => void;
}

export interface CustomerBackend {
  url: string;
  /** The endpoint's callback credentials, known once Herald created the endpoint. */
  setCallbackCredentials(user: string, key: string): void;
  labsBuilt(): number;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startCustomerBackend({ readyAfterMs = 2000, refuseEvery = 4, log = () => {} }: BackendOptions = {}): Promise<CustomerBackend> {
  let credentials: string | null = null;
  let received = 0;
  let built = 0;
  const refused = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let base = '';

  async function report(callback: string, body: unknown): Promise<void> {
    if (!credentials) return;
    try {
      const res = await fetch(callback, {
        method: 'POST',
        headers: { authorization: `Bearer ${credentials}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) log(`backend: callback answered ${res.status}: ${await res.text()}`);
    } catch (e) {
      log(`backend: callback failed: ${(e as Error).message}`);
    }
  }

  function later(ms: number, fn: () => Promise<void>): void {
    const t = setTimeout(() => {
      timers.delete(t);
      void fn();
    }, ms);
    timers.add(t);
  }

  function buildLab(messageId: string, enrollment: string, callback: string): void {
    const vms = [
      { id: `${enrollment}-ws`, type: 'VM', name: 'workstation' },
      { id: `${enrollment}-srv`, type: 'VM', name: 'lab server' },
    ];
    later(300, async () => {
      await report(callback, {
        source_message_id: messageId,
        type: 'RESOURCE',
        action: 'CREATED',
        timestamp: new Date().toISOString(),
        data: { resources: vms.map((v) => ({ ...v, status: 'STARTING' })), interfaces: [] },
      });
      log(`backend: lab for ${enrollment} is starting`);
    });
    later(300 + readyAfterMs, async () => {
      await report(callback, {
        source_message_id: messageId,
        type: 'RESOURCE',
        action: 'UPDATED',
        timestamp: new Date().toISOString(),
        data: {
          resources: vms.map((v, i) => ({ ...v, status: 'READY', config: { ip: `10.20.0.${10 + i}` } })),
          interfaces: [
            { type: 'TERMINAL', resource_id: vms[0]!.id, name: 'shell', config: { url: `${base}/labs/${encodeURIComponent(enrollment)}/terminal` } },
            { type: 'WEB_INTERFACE', resource_id: vms[1]!.id, name: 'app', config: { url: `${base}/labs/${encodeURIComponent(enrollment)}/web` } },
          ],
        },
      });
      built++;
      log(`backend: lab for ${enrollment} is READY`);
    });
  }

  const server: Server = createServer(async (req, res) => {
    if (req.method === 'GET' && req.url?.startsWith('/labs/')) {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`This is where the demo lab's ${req.url.split('/').pop()} would open.\n`);
      return;
    }
    const text = await readBody(req);
    let msg: { message_id?: string; type?: string; status?: string; entity_ids?: string[]; callback?: string };
    try {
      msg = JSON.parse(text);
    } catch {
      res.writeHead(400).end('not JSON');
      return;
    }
    received++;
    const id = msg.message_id ?? '';
    if (refuseEvery > 0 && received % refuseEvery === 0 && !refused.has(id)) {
      // Refused once: Herald retries by its schedule and the console shows both attempts.
      refused.add(id);
      res.writeHead(503, { 'content-type': 'text/plain' }).end('busy, try again');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":true}');
    if (msg.type === 'ONDEMAND_ENROLLMENT' && msg.status === 'STARTED' && msg.callback) {
      for (const enrollment of msg.entity_ids ?? []) buildLab(id, enrollment, msg.callback);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/herald`,
    setCallbackCredentials(user, key) {
      credentials = `${user}:${key}`;
    },
    labsBuilt: () => built,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
