/**
 * Data for a simulated federation: each site gets only its own share. Synthetic sites are
 * different organisation profiles; NSL-KDD's normal training rows are split IID, by service
 * group (non-IID) or by a Dirichlet draw per service.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { FlowFormat } from '../../shared/flows/formats.js';
import { ORGANISATION_PROFILES, writeSyntheticConnLog } from '../../shared/flows/synth/index.js';

export type SplitMode =
  | { kind: 'iid' }
  | { kind: 'by-service' }
  | { kind: 'dirichlet'; alpha: number };

export function parseSplit(text: string): SplitMode {
  if (text === 'iid' || text === 'by-service') return { kind: text };
  const match = /^dirichlet:([0-9.]+)$/.exec(text);
  if (match && Number(match[1]) > 0) return { kind: 'dirichlet', alpha: Number(match[1]) };
  throw new Error(`--split must be iid, by-service or dirichlet:ALPHA (ALPHA > 0), got '${text}'`);
}

/**
 * The seed of site `index` (0-based) in a simulated federation of seed `seed`: sites 1, 2, 3...
 * for seed 1, 101, 102... for seed 2. `simulate --seed` and the federation benchmarks use the
 * same, so a simulation reproduces a benchmark run.
 */
export function siteSeed(seed: number, index: number): number {
  return (seed - 1) * 100 + index + 1;
}

export interface SimulationData {
  readonly format: FlowFormat;
  /** Training files per site, in site order. */
  readonly siteFiles: string[][];
  /** Train only on rows with this label at every site (NSL-KDD: normal). */
  readonly onlyLabel: string;
  /** Labelled files the final model is evaluated on. */
  readonly testFiles: string[];
}

export async function syntheticSites(
  dir: string,
  clients: number,
  flows: number,
): Promise<SimulationData> {
  const siteFiles: string[][] = [];
  for (let i = 0; i < clients; i++) {
    const file = join(dir, `site-${i + 1}-train.conn.log`);
    await writeSyntheticConnLog(file, {
      profile: ORGANISATION_PROFILES[i % ORGANISATION_PROFILES.length]!,
      flows,
      seed: 1000 + i,
    });
    siteFiles.push([file]);
  }
  const testFiles: string[] = [];
  for (const [i, profile] of ORGANISATION_PROFILES.slice(
    0,
    Math.min(clients, ORGANISATION_PROFILES.length),
  ).entries()) {
    const file = join(dir, `test-${profile}.conn.log`);
    await writeSyntheticConnLog(file, {
      profile,
      flows: 10_000,
      seed: 2000 + i,
      attackShare: 0.05,
    });
    testFiles.push(file);
  }
  return { format: 'zeek', siteFiles, onlyLabel: '', testFiles };
}

/** Splits NSL-KDD's normal training rows across sites; every site is evaluated on KDDTest+. */
export async function nslKddSites(
  dir: string,
  nslDir: string,
  clients: number,
  split: SplitMode,
  seed = 7,
): Promise<SimulationData> {
  const rows: { line: string; service: string }[] = [];
  const lines = createInterface({
    input: createReadStream(join(nslDir, 'KDDTrain+_20Percent.txt')),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) {
    const cells = line.split(',');
    if (cells[41] === 'normal') rows.push({ line, service: cells[2]! });
  }
  const owner = assignRows(
    rows.map((r) => r.service),
    clients,
    split,
    seed,
  );
  const siteFiles = Array.from({ length: clients }, (_, i) => [
    join(dir, `site-${i + 1}-train.txt`),
  ]);
  const outs = siteFiles.map(([file]) => createWriteStream(file!));
  for (let i = 0; i < rows.length; i++) outs[owner[i]!]!.write(`${rows[i]!.line}\n`);
  await Promise.all(
    outs.map(async (out) => {
      out.end();
      await once(out, 'finish');
    }),
  );
  return {
    format: 'nsl-kdd',
    siteFiles,
    onlyLabel: 'normal',
    testFiles: [join(nslDir, 'KDDTest+.txt')],
  };
}

/** Which site each row goes to. */
export function assignRows(
  services: readonly string[],
  clients: number,
  split: SplitMode,
  seed: number,
): Uint16Array {
  const rng = xoroshiro128plus(seed);
  const owner = new Uint16Array(services.length);
  if (split.kind === 'iid') {
    for (let i = 0; i < services.length; i++) owner[i] = uniformInt(rng, 0, clients - 1);
    return owner;
  }
  const byService = new Map<string, number[]>();
  services.forEach((s, i) => {
    const rows = byService.get(s) ?? [];
    rows.push(i);
    byService.set(s, rows);
  });
  const groups = [...byService.entries()].sort(
    (a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1),
  );
  if (split.kind === 'by-service') {
    // Greedy balance: each service group goes to the site with the fewest rows so far;
    // then 10% of rows move to a random site, so each site is mostly, not only, its group.
    const load = new Array<number>(clients).fill(0);
    for (const [, indices] of groups) {
      const site = load.indexOf(Math.min(...load));
      for (const i of indices) owner[i] = site;
      load[site]! += indices.length;
    }
    services.forEach((_, i) => {
      if (uniformFloat64(rng) < 0.1) owner[i] = uniformInt(rng, 0, clients - 1);
    });
    return owner;
  }
  for (const [, indices] of groups) {
    const weights = dirichlet(rng, clients, split.alpha);
    for (const i of indices) owner[i] = pick(weights, uniformFloat64(rng));
  }
  return owner;
}

/** A Dirichlet(alpha, ..., alpha) draw from normalised Gamma(alpha) variates (Marsaglia-Tsang). */
function dirichlet(rng: ReturnType<typeof xoroshiro128plus>, n: number, alpha: number): number[] {
  const gamma = (a: number): number => {
    if (a < 1) return gamma(a + 1) * uniformFloat64(rng) ** (1 / a);
    const d = a - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const u1 = uniformFloat64(rng) || Number.MIN_VALUE;
      const x = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * uniformFloat64(rng));
      const v = (1 + c * x) ** 3;
      if (
        v > 0 &&
        Math.log(uniformFloat64(rng) || Number.MIN_VALUE) <
          0.5 * x * x + d - d * v + d * Math.log(v)
      )
        return d * v;
    }
  };
  const draws = Array.from({ length: n }, () => gamma(alpha));
  const total = draws.reduce((a, b) => a + b, 0);
  return draws.map((g) => g / total);
}

function pick(weights: readonly number[], u: number): number {
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i]!;
    if (u < acc) return i;
  }
  return weights.length - 1;
}
