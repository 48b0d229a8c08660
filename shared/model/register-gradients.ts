/**
 * Registers the gradient of every op, which autograd needs and scoring does not. tfjs-core's
 * Node build registers none, and its ES-module files that do cannot be loaded by Node as they
 * are (extensionless imports); the build bundles them into one CommonJS file
 * (scripts/bundle.mjs), required here. The default model trains through its hand-written
 * gradient and needs none of them, so only code that calls autograd calls this.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../runtime/package-root.js';
// tfjs-core first: the bundled copy then registers into the engine and registries it keeps
// on globalThis instead of making its own.
import '../runtime/tf.js';

const GRADIENTS_FILE = join('dist', 'vendor', 'tfjs-core-gradients.cjs');

let registered = false;

export function registerGradients(): void {
  if (registered) return;
  const file = join(packageRoot(import.meta.url), GRADIENTS_FILE);
  if (!existsSync(file)) {
    throw new Error(`the op gradients are not built: ${file} is missing (run npm run build)`);
  }
  createRequire(import.meta.url)(file);
  registered = true;
}
