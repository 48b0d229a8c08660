/**
 * The folder of fedflow's package.json, found upwards from a module: the same answer whether
 * the module runs from its TypeScript source (cli/x.ts), from tsc's output (dist/cli/x.js) or
 * from the bundle (dist/bundle/chunk.js), whose depths differ. Files that ship beside the code
 * (proto/, the dashboard's assets, the built gradient registrations) are found from here.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `moduleUrl` is the caller's `import.meta.url`. */
export function packageRoot(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(moduleUrl)}`);
    dir = parent;
  }
  return dir;
}
