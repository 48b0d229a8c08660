import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { layerViolations } from '../helpers/layers.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runtime imports of a module (type-only imports are erased and cannot carry code). */
function runtimeImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  const pattern = /^\s*(?:import|export)\s+(type\s+)?(?:([^'";]*?)\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (const match of source.matchAll(pattern)) {
    if (match[1]) continue; // `import type ... from`
    // `import { type A, type B } from` carries no runtime value either.
    const onlyTypes = /^\{([^}]*)\}$/.exec((match[2] ?? '').trim());
    if (
      onlyTypes?.[1]
        ?.split(',')
        .every((name) => name.trim() === '' || name.trim().startsWith('type '))
    )
      continue;
    specifiers.push(match[3]!);
  }
  return specifiers;
}

/** Every project file reachable at run time from `entry`, following relative imports. */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of runtimeImports(file)) {
      if (!spec.startsWith('.')) continue;
      visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
    }
  };
  visit(entry);
  return new Set([...seen].map((f) => relative(root, f)));
}

describe('architecture boundaries', () => {
  it('keeps every layer to its imports: shared/ under client/ and coordinator/, those two apart, cli/ on top, no product code importing bench/ or test/', () => {
    expect(layerViolations(root)).to.deep.equal([]);
  });

  it('catches each forbidden import direction in a tree built to break them, type-only and dynamic imports too', () => {
    expect(layerViolations(join(root, 'test', 'fixtures', 'layers'))).to.deep.equal([
      'cli/uses-bench.ts imports bench/timer.ts',
      'client/uses-coordinator.ts imports coordinator/names-client.ts',
      'client/uses-test.ts imports test/helper.ts',
      'coordinator/names-client.ts imports client/site-type.ts',
      'shared/loads-cli.ts imports cli/uses-bench.ts',
      'shared/reads-client.ts imports client/uses-coordinator.ts',
    ]);
  });

  it("keeps the client's network code from reaching anything that reads flow records", () => {
    const files = reachable(join(root, 'client', 'transport', 'coordinator-connection.ts'));
    const forbidden = [...files].filter(
      (f) =>
        f.startsWith('shared/flows/') ||
        f.startsWith('client/pipeline/') ||
        f.startsWith('client/detect/') ||
        f.startsWith('shared/encoding/'),
    );
    expect(forbidden, `client/transport reaches: ${forbidden.join(', ')}`).to.deep.equal([]);
    // It can only send what the payload codec encodes: sketches, deltas and histograms.
    expect(files).to.include('shared/wire/payload-codec.ts');
  });

  it('reads flow files in product code only through the flow pipeline, so every use derives alike', () => {
    const readers = join(root, 'shared', 'flows', 'readers.ts');
    const entries = ['cli/fedflow.ts', 'client/detect/encode-worker.ts', 'bench/run.ts'];
    const importers = entries
      .flatMap((entry) => [...reachable(join(root, entry))])
      .filter((file) =>
        runtimeImports(join(root, file)).some(
          (spec) => resolve(dirname(join(root, file)), spec.replace(/\.js$/, '.ts')) === readers,
        ),
      );
    // The readers bench times the readers themselves, below the pipeline, on purpose.
    expect([...new Set(importers)].sort()).to.deep.equal([
      'bench/readers-bench.ts',
      'shared/flows/pipeline.ts',
    ]);
  });

  it('keeps aggregation strategies free of network, proto and storage code', () => {
    const files = reachable(join(root, 'coordinator', 'strategy', 'strategy-factory.ts'));
    // The settings' vocabulary (names, defaults) is plain data shared with the config schema.
    const vocabulary = 'shared/config/strategy-config.ts';
    expect(runtimeImports(join(root, vocabulary))).to.deep.equal([]);
    expect(
      [...files].filter((f) => !f.startsWith('coordinator/strategy/') && f !== vocabulary),
    ).to.deep.equal([]);
  });

  it('keeps the round loop independent of gRPC and the wire format', () => {
    const files = reachable(join(root, 'coordinator', 'rounds', 'federation-loop.ts'));
    expect(
      [...files].filter(
        (f) => f.startsWith('shared/wire/') || f.startsWith('coordinator/service/'),
      ),
    ).to.deep.equal([]);
  });
});
