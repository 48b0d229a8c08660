/**
 * Runs the diagnosis experiments (diagnosis.ts) on NSL-KDD's 5 by-service sites under the
 * federation's own encoder (from a one-round federation) and reports per-site held-out loss.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nslKddSites, parseSplit } from '../../cli/simulate/site-data.js';
import { initialWeights } from '../../shared/model/parameters.js';
import type { BackendReport } from '../../shared/runtime/backend.js';
import { fixedPoint, forgetting, perSiteLoss, siteTables } from './diagnosis.js';
import { runInProcess } from './in-process.js';
import { centralWithEncoderOf } from './reference-models.js';

export async function runDiagnosis(
  nslDir: string,
  backend: BackendReport,
  rounds: number,
  log: (line: string) => void,
) {
  const work = mkdtempSync(join(tmpdir(), 'fedflow-diagnosis-'));
  try {
    const data = await nslKddSites(work, nslDir, 5, parseSplit('by-service'));
    const sites = data.siteFiles.map((files, i) => ({
      name: `site-${i + 1}`,
      files,
      format: 'nsl-kdd' as const,
      onlyLabel: 'normal',
    }));
    const encoderRound = await runInProcess({
      ...sites[0]!,
      sites,
      settings: { 'federation.rounds': 1 },
      seed: 1,
    });
    const spec = encoderRound.model.spec;
    const tables = await siteTables(spec, sites);
    const everyRow = {
      files: [join(nslDir, 'KDDTrain+_20Percent.txt')],
      format: 'nsl-kdd' as const,
      onlyLabel: 'normal',
    };
    const central = await centralWithEncoderOf(encoderRound.model, everyRow, 1, backend);
    const centralLoss = perSiteLoss(spec, central.model.weights, tables);
    log(
      `diagnosis: central model's held-out loss per site ${centralLoss.map((l) => l.toFixed(2)).join(', ')}`,
    );
    const fixed = await fixedPoint(spec, initialWeights(spec.weights, 1), tables, rounds);
    log(
      `diagnosis: after ${rounds} rounds of one step: local Adam averaged ${fixed.localAdamAveraged.map((l) => l.toFixed(2)).join(', ')}; gradients averaged then server Adam ${fixed.gradientsAveragedThenServerAdam.map((l) => l.toFixed(2)).join(', ')}`,
    );
    const forgot = await forgetting(spec, central.model.weights, tables, 22);
    return {
      sites: tables.map((t) => ({
        site: t.name,
        trainRows: t.train.length,
        validationRows: t.validation.length,
      })),
      centralHeldOutLoss: centralLoss,
      fixedPoint: fixed,
      forgettingFromCentral: forgot,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
