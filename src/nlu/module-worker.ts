import { Worker } from 'node:worker_threads';
import type { WorkerOptions } from 'node:worker_threads';

/**
 * The module `name` next to the module at `importMetaUrl`: its .ts source when running from
 * sources (tests, tsx), its .js build otherwise.
 */
export function siblingModule(name: string, importMetaUrl: string): URL {
  return new URL(`./${name}.${importMetaUrl.endsWith('.ts') ? 'ts' : 'js'}`, importMetaUrl);
}

/**
 * Starts a worker thread on an ES module of this project. Node 20 does not pass tsx's loader
 * on to worker threads, so a TypeScript entry is loaded through a bootstrap that registers it.
 */
export function startModuleWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
