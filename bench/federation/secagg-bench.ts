/**
 * Secure aggregation: what it costs and whether it changes the model. (1) The protocol alone on
 * vectors of the default model's size: 10 sites, and 5 sites of which 2 drop mid-round (one
 * after its shares, one after its masked delta); the unmasked sum against the plaintext sum,
 * and each step's time at a site and at the coordinator. (2) NSL-KDD by service, default
 * settings without screening (SecAgg needs none), with and without secure aggregation side by
 * side per seed, on 10 sites and on 5 with 2 dropping mid-round in every training round.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nslKddSites, parseSplit } from '../../cli/simulate/site-data.js';
import type { RoundRecord } from '../../coordinator/store/federation-state.js';
import { seededUniform } from '../../shared/codec/stochastic-rounding.js';
import {
  decodeSecureSum,
  encodeSecureInput,
  secureEncoding,
} from '../../shared/secagg/masked-input.js';
import { defaultThreshold } from '../../shared/secagg/roster.js';
import {
  buildRoster,
  routeShares,
  unmaskedSum,
  unmaskRequest,
} from '../../shared/secagg/secagg-server.js';
import { SecAggSite } from '../../shared/secagg/secagg-site.js';
import { median } from '../stats.js';
import { detectionQuality } from './detection-quality.js';
import { type Attack, type BenchSite, runInProcess } from './in-process.js';
import { spread } from './seed-summary.js';

const format = 'nsl-kdd' as const;

/** Milliseconds `work` takes. */
async function timed<T>(work: () => Promise<T> | T): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, performance.now() - started];
}

/** One aggregation of random deltas of `length` values; `drops` maps a site index to the step it vanishes before. */
export async function protocolRun(
  sites: number,
  length: number,
  drops: Record<number, 'input' | 'unmask'>,
  seed: number,
) {
  const uniform = seededUniform(seed);
  const ids = Array.from({ length: sites }, (_, i) => `site-${String(i + 1).padStart(2, '0')}`);
  const deltas = ids.map(() => Float32Array.from({ length }, () => (uniform() - 0.5) * 0.1));
  const examples = ids.map(() => 500 + Math.floor(uniform() * 5000));
  const ms: Record<string, number[]> = { keys: [], shares: [], input: [], unmask: [] };
  const clients = ids.map((id) => new SecAggSite(id));
  const keys = new Map<string, ReturnType<SecAggSite['advertise']>>();
  for (const c of clients) {
    const [k, t] = await timed(() => c.advertise());
    keys.set(c.id, k);
    ms.keys!.push(t);
  }
  const [roster, rosterMs] = await timed(() =>
    buildRoster('bench', keys, { degree: sites - 1, threshold: defaultThreshold }, (x) => x),
  );
  const sent = new Map();
  for (const c of clients) {
    const [s, t] = await timed(() => c.shareKeys(roster));
    sent.set(c.id, s);
    ms.shares!.push(t);
  }
  const [inbox, routeMs] = await timed(() => routeShares(roster, sent));
  const encoding = secureEncoding(
    examples.reduce((a, b) => a + b),
    1,
  );
  const masked = new Map<string, Uint32Array>();
  for (const [k, c] of clients.entries()) {
    if (drops[k] === 'input') continue;
    const words = encodeSecureInput(deltas[k]!, examples[k]!, 20, encoding, uniform);
    const [m, t] = await timed(() => c.maskInput(words, inbox.get(c.id)!, ids));
    masked.set(c.id, m);
    ms.input!.push(t);
  }
  const request = unmaskRequest(ids, [...masked.keys()]);
  const responses = new Map();
  for (const [k, c] of clients.entries()) {
    if (drops[k] !== undefined) continue;
    const [r, t] = await timed(() => c.unmask(request));
    responses.set(c.id, r);
    ms.unmask!.push(t);
  }
  const commitments = new Map([...sent].map(([id, s]) => [id, s.selfMaskCommitment]));
  const [sum, unmaskMs] = await timed(() =>
    unmaskedSum({ roster, commitments, request, masked, responses }),
  );
  const decoded = decodeSecureSum(sum, encoding);
  // The plaintext example-weighted mean of the deltas that arrived, in float64.
  const arrived = ids.map((_, k) => k).filter((k) => drops[k] !== 'input');
  const total = arrived.reduce((n, k) => n + examples[k]!, 0);
  let worst = 0;
  for (let i = 0; i < length; i++) {
    const plain = arrived.reduce((s, k) => s + deltas[k]![i]! * examples[k]!, 0) / total;
    worst = Math.max(worst, Math.abs(decoded.mean[i]! - plain));
  }
  return {
    sites,
    dropped: Object.keys(drops).length,
    examplesExact: decoded.examples === total,
    maxErrorOfMean: worst,
    // Stochastic rounding moves each weighted value by less than one step.
    errorBound: (arrived.length * encoding.step) / total,
    siteMs: Object.fromEntries(Object.entries(ms).map(([step, t]) => [step, median(t)])),
    siteTotalMs: Object.values(ms).reduce((s, t) => s + median(t), 0),
    coordinatorMs: { roster: rosterMs, route: routeMs, unmask: unmaskMs },
  };
}

/** A site that never answers tasks of these kinds (it vanished there, every round). */
const vanishAt =
  (...kinds: string[]): Attack =>
  (task, honest) =>
    kinds.includes(task.kind) ? new Promise(() => {}) : honest();

/** Per training round: milliseconds from the first task to the published model. */
function roundMs(rounds: readonly RoundRecord[]): number[] {
  const byRound = new Map<number, number>();
  for (const r of rounds)
    if (r.kind === 'train' || r.kind.startsWith('secagg-'))
      byRound.set(r.round, (byRound.get(r.round) ?? 0) + r.collectMs + r.aggregateMs);
  return [...byRound.values()];
}

export async function runSecAgg(
  nslDir: string,
  seeds: readonly number[],
  log: (line: string) => void,
  rounds = 8,
) {
  const work = mkdtempSync(join(tmpdir(), 'fedflow-secagg-'));
  try {
    const federations = [];
    for (const sites of [10, 5])
      federations.push(await compareFederations(work, nslDir, sites, seeds, rounds, log));
    // The protocol alone on vectors of the size the federations above published.
    const parameters = federations[0]!.parameters;
    const protocol = [
      await protocolRun(10, parameters, {}, 1),
      await protocolRun(5, parameters, { 1: 'input', 3: 'unmask' }, 2),
    ];
    for (const p of protocol)
      log(
        `protocol ${p.sites} sites, ${p.dropped} dropping: site ${p.siteTotalMs.toFixed(0)} ms, coordinator unmask ${p.coordinatorMs.unmask.toFixed(0)} ms, max error of the mean ${p.maxErrorOfMean.toExponential(2)} (bound ${p.errorBound.toExponential(2)})`,
      );
    return { seeds, parameters, protocolAlone: protocol, federations };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * NSL-KDD split by service over `sites` sites, with and without secure aggregation side by
 * side per seed. With 5 sites, two vanish in every round: one during its training (in both
 * runs; its delta is in neither sum), one before unmasking (its masked delta is in the sum;
 * the plain round has no such step, so its delta is in both).
 */
async function compareFederations(
  work: string,
  nslDir: string,
  sites: number,
  seeds: readonly number[],
  rounds: number,
  log: (line: string) => void,
) {
  const data = await nslKddSites(work, nslDir, sites, parseSplit('by-service'));
  const benchSites: BenchSite[] = data.siteFiles.map((files, i) => ({
    name: `site-${i + 1}`,
    files,
  }));
  const dropouts =
    sites === 5
      ? [
          { site: 3, attack: vanishAt('train', 'secagg-train') },
          { site: 4, attack: vanishAt('secagg-unmask') },
        ]
      : [];
  const runs = [];
  let parameters = 0;
  for (const seed of seeds) {
    const row: Record<string, number> = { seed };
    for (const secure of [false, true]) {
      const settings = {
        'strategy.screening.method': 'none',
        'secureAggregation.stepTimeoutSeconds': 5,
        'secureAggregation.enabled': secure,
        'federation.rounds': rounds,
        'federation.minClients': 3,
        // A vanished site holds its step until this deadline; 5 sites train in seconds here.
        ...(dropouts.length > 0 ? { 'federation.roundTimeoutSeconds': 20 } : {}),
      };
      const run = await runInProcess({
        sites: benchSites,
        format,
        onlyLabel: 'normal',
        settings,
        seed,
        attackers: dropouts,
      });
      parameters = run.model.weights.length;
      const auroc = (await detectionQuality(run.model, data.testFiles, format)).auroc;
      row[secure ? 'secure' : 'plain'] = auroc;
      row[secure ? 'secureRoundMs' : 'plainRoundMs'] = median(roundMs(run.rounds));
      const how = secure ? `, secure aggregation${dropouts.length ? ', 2 dropping' : ''}` : '';
      log(`${sites} sites${how} seed ${seed}: AUROC ${auroc.toFixed(4)}`);
    }
    runs.push(row);
  }
  return {
    sites,
    parameters,
    droppingPerRound: dropouts.length,
    plain: spread(runs.map((r) => r.plain!)),
    secure: spread(runs.map((r) => r.secure!)),
    aurocLoss: median(runs.map((r) => r.plain! - r.secure!)),
    roundMs: {
      plain: median(runs.map((r) => r.plainRoundMs!)),
      secure: median(runs.map((r) => r.secureRoundMs!)),
    },
    runs,
  };
}
