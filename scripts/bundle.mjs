/**
 * The build's second step, after tsc has type-checked and compiled (npm run build):
 * dist/vendor/tfjs-core-gradients.cjs, the gradients of every op, which tfjs-core's Node build
 * leaves unregistered and whose ES-module files Node cannot load as they are (extensionless
 * imports). shared/model/register-gradients.ts requires it.
 *
 * The tests run from sources without a build; their setup runs this when the file is missing.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where shared/model/register-gradients.ts looks for them, relative to the package root. */
const GRADIENTS_FILE = 'dist/vendor/tfjs-core-gradients.cjs';

const shared = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  legalComments: 'eof',
};

/**
 * A copy of tfjs-core's gradient code and the op code it calls; it registers into the tfjs-core
 * that the program loaded, through the registries tfjs-core keeps on globalThis (the way the
 * @tensorflow/tfjs bundle does it).
 */
async function bundleGradients() {
  await build({
    ...shared,
    entryPoints: ['@tensorflow/tfjs-core/dist/register_all_gradients.js'],
    format: 'cjs',
    outfile: join(root, GRADIENTS_FILE),
  });
}

await bundleGradients();
