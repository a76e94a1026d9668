import { serveFromEnv } from './serve.js';

/** `npm start`: Herald from the environment, until SIGTERM or SIGINT. */
void serveFromEnv();
