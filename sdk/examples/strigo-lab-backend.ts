// A lab backend for strigo: Herald tells it an enrollment started, it provisions a VM and reports it back.
import { createServer } from 'node:http';
import { callbackFrom, verifyStrigo, WebhookVerificationError } from '@herald/sdk/receiver';

const env = (name: string) => process.env[name] ?? (console.error(`${name} is required`), process.exit(2));
const auth = { user: env('LAB_AUTH_USER'), key: env('LAB_AUTH_KEY') }; // the endpoint's `auth`
const callback = { user: env('LAB_CALLBACK_USER'), key: env('LAB_CALLBACK_KEY') }; // its `callback` credentials

const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let message;
  try {
    message = verifyStrigo(auth.user, auth.key, req.headers, Buffer.concat(chunks));
  } catch (e) {
    return res.writeHead(e instanceof WebhookVerificationError ? 401 : 400).end(String(e));
  }
  res.writeHead(200).end('ok'); // acknowledge first; provisioning takes its time
  const vm = `vm-${message.entity_ids[0]}`;
  const answer = await callbackFrom(message, callback).created({
    resources: [{ id: vm, type: 'VM', name: 'lab machine', status: 'READY' }],
    interfaces: [{ type: 'TERMINAL', resource_id: vm, name: 'shell' }],
  });
  console.log(JSON.stringify({ reported: message.message_id, ...answer }));
});
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => console.log(`listening on ${JSON.stringify(server.address())}`));
