#!/usr/bin/env node
// Herald ships TypeScript sources without a build step: register tsx in this process, then run the CLI. Running in
// process (not a child `node --import tsx`) keeps Ctrl-C, exit codes and stdin exactly the CLI's own.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/cli/main.ts', import.meta.url).href);
