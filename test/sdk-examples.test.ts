import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Herald } from '../sdk/src/index.js';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, TEST_TOKEN, until } from './helpers/herald.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Example {
  url: string;
  lines: string[];
  stop(): Promise<void>;
}

/** Runs an example as its own process, the way a user would, importing the SDK by its package name. */
async function runExample(file: string, env: Record<string, string>): Promise<Example> {
  const child: ChildProcess = spawn(process.execPath, ['--conditions=herald-sdk-source', '--import', 'tsx', join(root, 'sdk/examples', file)], {
    cwd: root,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  let buffered = '';
  child.stdout!.on('data', (c: Buffer) => {
    buffered += c.toString('utf8');
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listening = await until(async () => {
    if (child.exitCode !== null) throw new Error(`${file} exited ${child.exitCode}: ${stderr}`);
    return lines.find((l) => l.startsWith('listening on '));
  }, 60_000, `${file} to listen`);
  const port = (JSON.parse(listening.slice('listening on '.length)) as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    lines,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

for (const dialect of DIALECTS) {
  describe(`examples against a live Herald (${dialect})`, { skip: skipFor(dialect) }, () => {
    test('the strigo lab backend verifies what Herald sends and reports its VM back through the callback', async () => {
      const h = await startTestHerald(dialect);
      const herald = new Herald({ url: h.url, token: TEST_TOKEN });
      // The callback credentials exist once the endpoint does; the backend's address is known once it runs.
      const ep = await herald.endpoints.create({ name: 'lab', url: 'http://127.0.0.1:9/placeholder', format: 'strigo', auth: { user: 'herald', key: 'lab-key-0123' } });
      const cb = ep.callback as { user: string; key: string };
      const backend = await runExample('strigo-lab-backend.ts', { LAB_AUTH_USER: 'herald', LAB_AUTH_KEY: 'lab-key-0123', LAB_CALLBACK_USER: cb.user, LAB_CALLBACK_KEY: cb.key });
      try {
        await herald.endpoints.update(String(ep.id), { url: backend.url });
        await herald.subscriptions.create({ endpoint_id: String(ep.id), events: ['ONDEMAND_ENROLLMENT/STARTED'] });
        const msg = await herald.events.publish({ type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: ['enr_42'], data: { student: 'ada' } });

        const entity = await until(async () => {
          const e = await herald.entities.get('enr_42').catch(() => null);
          return e && (e.resources as unknown[]).length > 0 ? e : null;
        }, 30_000, 'the lab backend to report its VM');
        assert.deepEqual(
          (entity.resources as Array<{ id: string; type: string; status: string }>).map((r) => [r.id, r.type, r.status]),
          [['vm-enr_42', 'VM', 'READY']],
        );
        assert.deepEqual((entity.interfaces as Array<{ type: string; resource_id: string }>).map((i) => [i.type, i.resource_id]), [['TERMINAL', 'vm-enr_42']]);
        await until(async () => backend.lines.find((l) => l.includes(String(msg.id))), 10_000, 'the backend to log its report');
        const report = JSON.parse(backend.lines.find((l) => l.includes(String(msg.id)))!);
        assert.deepEqual([report.reported, report.outcome], [msg.id, 'applied']);

        // A request without Herald's credentials is refused by the example, and nothing is reported for it.
        const forged = await fetch(backend.url, { method: 'POST', headers: { authorization: 'Bearer herald:guess', 'content-type': 'application/json' }, body: '{}' });
        assert.equal(forged.status, 401);
        const delivery = (await herald.deliveries.list({ message_id: String(msg.id) }).toArray())[0]!;
        assert.equal(delivery.status, 'succeeded');
      } finally {
        await backend.stop();
        await h.stop();
      }
    });

    test('the cloudpods robot passes the validation call, verifies events and refuses a forged token', async () => {
      const h = await startTestHerald(dialect);
      const herald = new Herald({ url: h.url, token: TEST_TOKEN });
      const robot = await runExample('cloudpods-robot.ts', { ROBOT_SECRET: 'robot-secret-0123' });
      try {
        // Creating the endpoint sends the validation call: the robot's 2xx is what lets it be created.
        const ep = await herald.endpoints.create({ name: 'robot', url: robot.url, format: 'cloudpods', secret: 'robot-secret-0123' });
        await herald.subscriptions.create({ endpoint_id: String(ep.id), events: ['SERVER/*'] });
        await herald.events.publish({ type: 'server', action: 'create', data: { name: 'vm-7' } });
        const line = await until(async () => robot.lines.find((l) => l.includes('SERVER/CREATE')), 30_000, 'the robot to log the event');
        assert.deepEqual(JSON.parse(line), { event: 'SERVER/CREATE', action: 'create', resource_type: 'server', name: 'vm-7', text: null });

        // An endpoint holding another secret: the robot refuses its validation call, so Herald refuses the endpoint.
        await assert.rejects(herald.endpoints.create({ name: 'impostor', url: robot.url, format: 'cloudpods', secret: 'not-the-robot-secret' }), (e: unknown) => {
          assert.equal((e as { status?: number }).status, 422);
          return true;
        });
        assert.ok(robot.lines.some((l) => l === JSON.stringify({ refused: 'bad_signature' })), robot.lines.join('\n'));
      } finally {
        await robot.stop();
        await h.stop();
      }
    });
  });
}
