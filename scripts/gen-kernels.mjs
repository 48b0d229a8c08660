// Assembles the hand-written WebAssembly kernels (shared/kernels/*.wat) into TypeScript modules
// that hold their bytes, so that running fedflow needs no assembler and no build step for them.
// With --check it fails, naming each stale module, when a checked-in module differs from what
// its .wat assembles to.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import initWabt from 'wabt';

const kernelsDir = fileURLToPath(new URL('../shared/kernels', import.meta.url));
const check = process.argv.includes('--check');
const wabt = await initWabt();

let stale = 0;
for (const source of readdirSync(kernelsDir).filter((f) => f.endsWith('.wat'))) {
  const name = source.slice(0, -'.wat'.length);
  const parsed = wabt.parseWat(source, readFileSync(join(kernelsDir, source), 'utf8'), {
    simd: true,
  });
  const { buffer } = parsed.toBinary({});
  parsed.destroy();
  const target = join(kernelsDir, `${name}-wasm.ts`);
  const text = [
    `// Generated from ${source} by scripts/gen-kernels.mjs (npm run kernels:gen): do not edit.`,
    `export const WASM_BASE64 =`,
    `  '${Buffer.from(buffer).toString('base64')}';`,
    '',
  ].join('\n');
  if (!check) writeFileSync(target, text);
  else if (readFileSync(target, 'utf8') !== text) {
    console.error(`stale: ${target} (run npm run kernels:gen)`);
    stale++;
  }
}
if (stale > 0) process.exit(1);
