import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running `entry`. Run from the TypeScript sources (tests, development), a worker does not
 * inherit the TypeScript loader, so a two-line bootstrap registers it before importing the entry. Built, the
 * entry is plain JavaScript.
 */
export function newThread(entry: URL, options: WorkerOptions): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const loader = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(loader)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(code, { ...options, eval: true });
}

/** The sibling module `name` of `importMetaUrl`, as a `.ts` source or built `.js`, whichever is running. */
export function siblingEntry(importMetaUrl: string, name: string): URL {
  return new URL(importMetaUrl.endsWith('.ts') ? `./${name}.ts` : `./${name}.js`, importMetaUrl);
}
