/**
 * Starts a worker thread on one of fedflow's own modules. Built code runs the module's .js
 * file; tests run the TypeScript sources through tsx, whose loader must be registered inside
 * the new thread before the module loads.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * `moduleUrl` is the caller's `import.meta.url`; `name` the worker module beside it, without
 * extension. @example startModuleWorker(import.meta.url, 'encode-worker', { workerData })
 */
export function startModuleWorker(moduleUrl: string, name: string, options: WorkerOptions): Worker {
  const here = dirname(fileURLToPath(moduleUrl));
  const js = join(here, `${name}.js`);
  if (existsSync(js)) return new Worker(js, options);
  const ts = pathToFileURL(join(here, `${name}.ts`)).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(ts)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}
