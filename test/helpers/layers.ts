/**
 * The layering rules of the tree (docs/architecture.md) and a checker that reads imports as
 * text: every `import`/`export ... from` (type-only too: a type import still couples the
 * layers) and every `import('...')`, relative ones resolved to files of the tree.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Which top-level folders each folder must not import from. */
export const LAYER_RULES: Readonly<Record<string, readonly string[]>> = {
  shared: ['client', 'coordinator', 'cli', 'bench', 'test'],
  client: ['coordinator', 'cli', 'bench', 'test'],
  coordinator: ['client', 'cli', 'bench', 'test'],
  cli: ['bench', 'test'],
};

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g;
const BARE_IMPORT = /(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
const DYNAMIC_IMPORT = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Relative import specifiers of one source file. */
export function relativeImports(source: string): string[] {
  return [IMPORT, BARE_IMPORT, DYNAMIC_IMPORT]
    .flatMap((pattern) => [...source.matchAll(pattern)].map((m) => m[1]!))
    .filter((spec) => spec.startsWith('.'));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every import under `root` that breaks LAYER_RULES, as "from.ts imports to.ts". */
export function layerViolations(root: string): string[] {
  const violations: string[] = [];
  for (const [layer, forbidden] of Object.entries(LAYER_RULES)) {
    let files: string[];
    try {
      files = sourceFiles(join(root, layer));
    } catch {
      continue; // a tree without this layer
    }
    for (const file of files) {
      for (const spec of relativeImports(readFileSync(file, 'utf8'))) {
        const target = relative(root, resolve(dirname(file), spec)).replace(/\.js$/, '.ts');
        const top = target.split('/')[0]!;
        if (forbidden.includes(top)) violations.push(`${relative(root, file)} imports ${target}`);
      }
    }
  }
  return violations.sort();
}
