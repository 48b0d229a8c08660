/**
 * Tests run from the sources without a build, but autograd needs the op gradients that the
 * build bundles (scripts/bundle.mjs, shared/model/register-gradients.ts): built here when
 * missing, once, before any test file loads.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!existsSync(join(root, 'dist', 'vendor', 'tfjs-core-gradients.cjs'))) {
  execFileSync(process.execPath, [join(root, 'scripts', 'bundle.mjs')], {
    stdio: 'inherit',
  });
}
