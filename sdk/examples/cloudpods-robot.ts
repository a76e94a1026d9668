// A Cloudpods webhook robot: verifies X-Auth-Token, answers the validation call, and logs each event it is sent.
import { createServer } from 'node:http';
import { verifyCloudpods, WebhookVerificationError } from '@herald/sdk/receiver';

const secret = process.env.ROBOT_SECRET ?? (console.error('ROBOT_SECRET is required'), process.exit(2));

const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const event = verifyCloudpods(secret, req.headers, Buffer.concat(chunks));
    if (!event.validation) {
      const { action, resource_type, resource_details } = event.message ?? {};
      console.log(JSON.stringify({ event: event.event, action, resource_type, name: resource_details?.name ?? null, text: event.text }));
    }
    res.writeHead(200).end('ok');
  } catch (e: unknown) {
    console.log(JSON.stringify({ refused: e instanceof WebhookVerificationError ? e.reason : String(e) }));
    res.writeHead(e instanceof WebhookVerificationError ? 401 : 500).end(String(e));
  }
});
server.listen(Number(process.env.PORT ?? 3001), '127.0.0.1', () => console.log(`listening on ${JSON.stringify(server.address())}`));
