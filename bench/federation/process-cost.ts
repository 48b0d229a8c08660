/**
 * What a round costs beyond local training, measured as a consortium really runs: the
 * coordinator and every site as separate processes on loopback (mutual TLS, as `fedflow
 * simulate`), read back from their logs: each training round's time from its start to the
 * next round's start against the slowest site's optimiser steps, and the bytes each site
 * sent (sealed delta) and fetched (signed release) for it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { provisionConsortium } from '../../cli/simulate/consortium.js';
import { runFederation } from '../../cli/simulate/run-federation.js';
import type { SimulationData } from '../../cli/simulate/site-data.js';
import { parameterCount } from '../../shared/model/model-spec.js';
import { median } from '../stats.js';

/** The built fedflow program beside this file (dist/bench/federation -> dist/cli). */
const FEDFLOW = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'cli', 'fedflow.js');

interface SiteTask {
  round: number;
  trainMs: number;
  workMs: number;
  fetchMs: number;
  submitMs: number;
  upBytes: number;
  downBytes: number;
}

const jsonLinesOf = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** One federation of `data`'s sites as processes, with coordinator `settings` over the defaults. */
export async function processCost(
  dir: string,
  data: SimulationData,
  rounds: number,
  settings: Record<string, unknown>,
) {
  const clients = data.siteFiles.length;
  const consortium = await provisionConsortium(dir, { clients, rounds, seed: 1 }, data);
  const config = JSON.parse(readFileSync(consortium.coordinatorConfig, 'utf8'));
  for (const [key, value] of Object.entries(settings)) {
    const [group, name] = key.split('.') as [string, string];
    config[group] = { ...config[group], [name]: value };
  }
  writeFileSync(consortium.coordinatorConfig, JSON.stringify(config, null, 2));
  // runFederation starts the program it runs in (process.argv[1]); here that is the bench.
  const bench = process.argv[1];
  process.argv[1] = FEDFLOW;
  let finalModelDir: string;
  try {
    ({ finalModelDir } = await runFederation(dir, consortium, () => {}));
  } finally {
    process.argv[1] = bench;
  }
  const spec = JSON.parse(readFileSync(join(finalModelDir, 'model.json'), 'utf8'));
  const rawModelBytes = parameterCount(spec.weights) * 4;
  // Each round's start, from the coordinator's log; a round ends where the next one starts.
  const startMs = new Map<number, number>();
  const training: number[] = [];
  for (const e of jsonLinesOf(join(consortium.coordinatorDir, 'log.txt'))) {
    const m = /^round (\d+) \((\w+)\) started/.exec(String(e.msg));
    if (!m) continue;
    startMs.set(Number(m[1]), e.time as number);
    if (m[2] === 'train') training.push(Number(m[1]));
  }
  const tasks: SiteTask[] = data.siteFiles.flatMap((_, i) =>
    jsonLinesOf(join(dir, `site-${i + 1}`, 'log.txt'))
      .filter((e) => e.msg === 'submitted delta')
      .map((e) => ({
        round: e.round as number,
        trainMs: e.trainMs as number,
        workMs: e.workMs as number,
        fetchMs: e.fetchMs as number,
        submitMs: e.submitMs as number,
        upBytes: e.sealedBytes as number,
        downBytes: e.releaseBytes as number,
      })),
  );
  const perRound = training.map((round) => {
    const mine = tasks.filter((t) => t.round === round);
    const spanMs = startMs.get(round + 1)! - startMs.get(round)!;
    const slowestTrainMs = Math.max(...mine.map((t) => t.trainMs));
    const slowestWorkMs = Math.max(...mine.map((t) => t.workMs));
    return {
      round,
      spanMs,
      slowestTrainMs,
      slowestWorkMs,
      toSlowestTraining: spanMs / slowestTrainMs,
      toSlowestWork: spanMs / slowestWorkMs,
      fetchMs: mine.map((t) => t.fetchMs),
      submitMs: mine.map((t) => t.submitMs),
      upBytes: mine.map((t) => t.upBytes),
      downBytes: mine.map((t) => t.downBytes),
    };
  });
  const perSiteRound = tasks.map((t) => (t.upBytes + t.downBytes) / rawModelBytes);
  return {
    settings,
    rawModelBytes,
    roundToSlowestTraining: median(perRound.map((r) => r.toSlowestTraining)),
    roundToSlowestWork: median(perRound.map((r) => r.toSlowestWork)),
    bytesUpDownToFloat32Model: median(perSiteRound),
    bytesUpDownToFloat32ModelMean: perSiteRound.reduce((a, b) => a + b, 0) / perSiteRound.length,
    upToFloat32Model: median(tasks.map((t) => t.upBytes / rawModelBytes)),
    downToFloat32Model: median(tasks.map((t) => t.downBytes / rawModelBytes)),
    rounds: perRound,
  };
}
