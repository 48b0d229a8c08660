/**
 * Preloaded into a process under test (NODE_OPTIONS=--import=<this file>): when the process
 * exits, writes every CommonJS module it loaded, required or imported, one path a line, to the
 * file named by MODULE_PROBE_OUT. Every @tensorflow package is CommonJS, so none can load unseen.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
process.on('exit', () => {
  writeFileSync(process.env.MODULE_PROBE_OUT, `${Object.keys(require.cache).join('\n')}\n`);
});
