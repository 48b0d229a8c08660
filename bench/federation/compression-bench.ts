/**
 * Compressed updates: the 5 NSL-KDD sites split by service under the default settings, with
 * deltas sent as float32, 8-bit and 4-bit values (error feedback at the site), side by side
 * for each seed (32, 8, 4, 32, 8, 4, ...). AUROC on KDDTest+ from the in-process round loop;
 * bytes per site per round from a 2-round federation over real gRPC on loopback.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nslKddSites, parseSplit } from '../../cli/simulate/site-data.js';
import type { UpdateBits } from '../../shared/codec/block-quantizer.js';
import { median } from '../stats.js';
import { detectionQuality } from './detection-quality.js';
import { type BenchSite, runInProcess } from './in-process.js';
import { spread } from './seed-summary.js';
import { measureTransfer } from './transfer.js';

const WIDTHS: readonly UpdateBits[] = [32, 8, 4];
const format = 'nsl-kdd' as const;
const onlyLabel = 'normal';

export async function runCompression(
  nslDir: string,
  seeds: readonly number[],
  log: (line: string) => void,
) {
  const work = mkdtempSync(join(tmpdir(), 'fedflow-compression-'));
  try {
    const data = await nslKddSites(work, nslDir, 5, parseSplit('by-service'));
    const sites: BenchSite[] = data.siteFiles.map((files, i) => ({ name: `site-${i + 1}`, files }));
    const auroc = new Map<UpdateBits, number[]>(WIDTHS.map((bits) => [bits, []]));
    const seconds = new Map<UpdateBits, number[]>(WIDTHS.map((bits) => [bits, []]));
    for (const seed of seeds) {
      for (const bits of WIDTHS) {
        const settings = { 'federation.updateBits': bits };
        const run = await runInProcess({ sites, format, onlyLabel, settings, seed });
        auroc.get(bits)!.push((await detectionQuality(run.model, data.testFiles, format)).auroc);
        seconds.get(bits)!.push(run.seconds);
        log(
          `${bits}-bit seed ${seed}: AUROC ${auroc.get(bits)!.at(-1)!.toFixed(4)} (${run.seconds.toFixed(0)} s)`,
        );
      }
    }
    const widths = [];
    for (const bits of WIDTHS) {
      const transfer = await measureTransfer(
        work,
        data.siteFiles.flat(),
        { format, onlyLabel },
        {
          'federation.updateBits': bits,
        },
      );
      const float32 = auroc.get(32)!;
      const mine = auroc.get(bits)!;
      widths.push({
        updateBits: bits,
        auroc: spread(mine),
        // Paired by seed: each seed's float32 run minus its run at this width.
        aurocLossBySeed: float32.map((a, i) => a - mine[i]!),
        aurocLoss: median(float32.map((a, i) => a - mine[i]!)),
        secondsPerRun: spread(seconds.get(bits)!),
        rawModelBytes: transfer.rawModelBytes,
        sealedDeltaBytesPerSitePerRound: transfer.medianDeltaBytes,
        toFloat32Model: transfer.deltaToRawRatio,
        trainRoundsCollectMs: transfer.rounds
          .filter((r) => r.kind === 'train')
          .map((r) => r.collectMs),
      });
      log(
        `${bits}-bit: sealed delta ${transfer.medianDeltaBytes} bytes = ${transfer.deltaToRawRatio.toFixed(3)}x the float32 model`,
      );
    }
    const int8 = widths.find((w) => w.updateBits === 8)!;
    return {
      seeds,
      widths,
      checks: {
        int8BytesRatio: int8.toFloat32Model,
        int8WithinBytes: int8.toFloat32Model <= 0.3,
        int8AurocLoss: int8.aurocLoss,
        int8WithinAurocLoss: int8.aurocLoss <= 0.002,
      },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
