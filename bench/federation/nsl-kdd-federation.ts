/**
 * Federated vs central vs local-only vs personalised on NSL-KDD: 5 sites whose normal training
 * rows are split by service (non-IID), every strategy variant over several seeds, all scored
 * on KDDTest+. Federated runs use the real round loop and site workers in-process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nslKddSites, parseSplit } from '../../cli/simulate/site-data.js';
import type { BackendReport } from '../../shared/runtime/backend.js';
import { type DetectionQuality, detectionQuality } from './detection-quality.js';
import { type BenchSite, runInProcess } from './in-process.js';
import { centralWithEncoderOf, personalised, trainReference } from './reference-models.js';
import { roundDiagnostics } from './round-diagnostics.js';
import { spreadOf } from './seed-summary.js';
import { measureTransfer } from './transfer.js';
import { FEDERATION_VARIANTS } from './variants.js';

const SITES = 5;
const format = 'nsl-kdd' as const;
const onlyLabel = 'normal';

export async function runNslKddFederation(
  nslDir: string,
  backend: BackendReport,
  seeds: readonly number[],
  log: (line: string) => void,
) {
  const work = mkdtempSync(join(tmpdir(), 'fedflow-fedbench-'));
  try {
    const data = await nslKddSites(work, nslDir, SITES, parseSplit('by-service'));
    const sites: BenchSite[] = data.siteFiles.map((files, i) => ({ name: `site-${i + 1}`, files }));
    const score = (model: Parameters<typeof detectionQuality>[0]) =>
      detectionQuality(model, data.testFiles, format);
    const variants = [];
    for (const variant of FEDERATION_VARIANTS) {
      const runs = [];
      for (const seed of seeds) {
        const run = await runInProcess({
          sites,
          format,
          onlyLabel,
          settings: variant.settings,
          seed,
        });
        runs.push({ seed, run, quality: await score(run.model) });
        log(
          `${variant.name} seed ${seed}: AUROC ${runs.at(-1)!.quality.auroc.toFixed(4)} (${run.seconds.toFixed(0)} s)`,
        );
      }
      variants.push({ ...variant, runs });
    }
    const defaults = variants.find((v) => v.name === 'default')!;
    const everyRow = { files: [join(nslDir, 'KDDTrain+_20Percent.txt')], format, onlyLabel };
    const central = { sameEncoder: [] as DetectionQuality[], ownEncoder: [] as DetectionQuality[] };
    const perSite = sites.map((s) => ({
      site: s.name,
      localOnly: [] as number[],
      personalised: [] as number[],
      rows: 0,
    }));
    for (const [i, seed] of seeds.entries()) {
      const global = defaults.runs[i]!.run.model;
      central.sameEncoder.push(
        await score((await centralWithEncoderOf(global, everyRow, seed, backend)).model),
      );
      central.ownEncoder.push(await score((await trainReference(everyRow, seed, backend)).model));
      log(
        `central seed ${seed}: same encoder ${central.sameEncoder.at(-1)!.auroc.toFixed(4)}, own encoder ${central.ownEncoder.at(-1)!.auroc.toFixed(4)}`,
      );
      for (const [k, site] of sites.entries()) {
        const siteData = { files: site.files, format, onlyLabel };
        const alone = await trainReference(siteData, seed, backend);
        perSite[k]!.localOnly.push((await score(alone.model)).auroc);
        perSite[k]!.rows = alone.rows;
        perSite[k]!.personalised.push(
          (await score((await personalised(global, siteData, seed, backend)).model)).auroc,
        );
        log(
          `${site.name} seed ${seed}: local-only ${perSite[k]!.localOnly.at(-1)!.toFixed(4)}, personalised ${perSite[k]!.personalised.at(-1)!.toFixed(4)}`,
        );
      }
    }
    const transfer = await measureTransfer(work, data.siteFiles.flat(), { format, onlyLabel });
    log(
      `transfer: raw model ${transfer.rawModelBytes} bytes, sealed delta ${transfer.medianDeltaBytes} bytes per site per round`,
    );
    return { ...summarise(variants, central, perSite, seeds), transfer };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

type Variants = {
  name: string;
  settings: Record<string, unknown>;
  runs: {
    seed: number;
    run: Awaited<ReturnType<typeof runInProcess>>;
    quality: DetectionQuality;
  }[];
}[];

function summarise(
  variants: Variants,
  central: { sameEncoder: DetectionQuality[]; ownEncoder: DetectionQuality[] },
  perSite: { site: string; localOnly: number[]; personalised: number[]; rows: number }[],
  seeds: readonly number[],
) {
  const auroc = (q: DetectionQuality) => q.auroc;
  const defaults = variants.find((v) => v.name === 'default')!;
  const fiveRounds = variants.find((v) => v.name === 'default, 5 rounds')!;
  const federatedAuroc = spreadOf(defaults.runs, (r) => r.quality.auroc);
  const fiveRoundAuroc = spreadOf(fiveRounds.runs, (r) => r.quality.auroc);
  const centralSame = spreadOf(central.sameEncoder, auroc);
  const sites = perSite.map((s) => ({
    site: s.site,
    normalRows: s.rows,
    global: federatedAuroc,
    personalised: spreadOf(s.personalised, (x) => x),
    localOnly: spreadOf(s.localOnly, (x) => x),
  }));
  return {
    seeds,
    variants: variants.map((v) => ({
      name: v.name,
      settings: v.settings,
      strategy: v.runs[0]!.run.strategy,
      auroc: spreadOf(v.runs, (r) => r.quality.auroc),
      auprc: spreadOf(v.runs, (r) => r.quality.auprc),
      gapToCentral: centralSame.median - spreadOf(v.runs, (r) => r.quality.auroc).median,
      secondsPerRun: spreadOf(v.runs, (r) => r.run.seconds),
      runs: v.runs.map((r) => ({ seed: r.seed, ...r.quality })),
    })),
    central: {
      sameEncoder: { auroc: centralSame, runs: central.sameEncoder },
      ownEncoder: { auroc: spreadOf(central.ownEncoder, auroc), runs: central.ownEncoder },
      floorCost: spreadOf(central.ownEncoder, auroc).median - centralSame.median,
    },
    sites,
    checks: {
      gapToCentral: centralSame.median - federatedAuroc.median,
      withinTarget: centralSame.median - federatedAuroc.median <= 0.005,
      gapToCentralAfter5Rounds: centralSame.median - fiveRoundAuroc.median,
      withinTargetAfter5Rounds: centralSame.median - fiveRoundAuroc.median <= 0.005,
      sitesWhereGlobalBeatsLocalOnly: sites
        .filter((s) => s.global.median >= s.localOnly.median)
        .map((s) => s.site),
    },
    roundsOfDefaultSeed1: roundDiagnostics(defaults.runs[0]!.run.rounds),
    roundsOfOldDefaultSeed1: roundDiagnostics(variants[0]!.runs[0]!.run.rounds),
  };
}
