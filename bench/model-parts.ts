/**
 * The bench parts that compare model kinds and detectors: the GAN baseline, every kind on every
 * data set (models), the classical detectors on the same features, adversarial evasion, and
 * the stick-breaking latent against the fixed mixture (only when named).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { iot23Dir, nslKddCandidates, nslKddDir } from '../cli/datasets.js';
import type { BackendReport } from '../shared/runtime/backend.js';
import type { BenchContext } from './bench-context.js';
import { runClassicalBench } from './classical-bench.js';
import { DEFAULT_EVASION, evasionCases, runEvasion } from './evasion/evasion-bench.js';
import { runGanBench } from './gan-bench.js';
import { runModels } from './models-bench.js';
import { runStickBreaking } from './stick-breaking-bench.js';

export interface ModelPartsContext extends BenchContext {
  readonly backend: BackendReport;
  readonly seeds: number[];
  /** bench/results, where the models part's table is read back by the classical part. */
  readonly resultsDir: string;
}

export async function runModelParts(context: ModelPartsContext): Promise<void> {
  const { runs, wanted, save, log, args, backend, seeds, resultsDir } = context;
  if (runs('gan')) {
    const dir = nslKddDir();
    if (!dir)
      log(`skipping the GAN baseline: no KDDTest+.txt in ${nslKddCandidates().join(' or ')}`);
    else
      save('gan-nsl-kdd', {
        protocol:
          'each kind trained on the normal rows of KDDTrain+_20Percent.txt (thresholds on its own calibration split), scored on KDDTest+.txt and KDDTest-21.txt',
        ...(await runGanBench(dir, backend, seeds, log)),
      });
  }

  if (runs('models')) {
    // Every model kind on every data set found (the synthetic sites are always there).
    save(
      'models',
      await runModels({ nslKdd: nslKddDir(), iot23: iot23Dir() }, backend, seeds, log),
    );
  }

  if (runs('classical')) {
    // The models part's saved table, if any, gets these rows merged in (withModels).
    const models = join(resultsDir, 'models.json');
    const rows = existsSync(models) ? JSON.parse(readFileSync(models, 'utf8')).table : null;
    const sources = { nslKdd: nslKddDir(), iot23: iot23Dir() };
    const result = await runClassicalBench(sources, seeds, rows, log);
    if (result) save('classical', result);
  }

  if (runs('evasion')) {
    // --per-category N searches fewer attack flows per category (a quicker run).
    const at = args.indexOf('--per-category');
    const perCategory = at >= 0 ? Number(args[at + 1]) : DEFAULT_EVASION.perCategory;
    const cases = evasionCases(nslKddDir(), iot23Dir());
    if (cases.length === 0) log('skipping evasion: neither NSL-KDD nor IoT-23 found');
    else
      save(
        'evasion',
        await runEvasion(cases, backend, seeds, { ...DEFAULT_EVASION, perCategory }, log),
      );
  }

  // Only when named: not part of a full run.
  if (wanted.includes('stick-breaking')) {
    const dir = nslKddDir();
    if (!dir) {
      log(`skipping stick-breaking: no KDDTest+.txt in ${nslKddCandidates().join(' or ')}`);
    } else {
      const at = args.indexOf('--concentration');
      const concentration = at >= 0 ? Number(args[at + 1]) : undefined;
      const result = await runStickBreaking(dir, backend, seeds, log, concentration);
      save(
        concentration ? `stick-breaking-nsl-kdd-alpha-${concentration}` : 'stick-breaking-nsl-kdd',
        {
          protocol:
            "train on normal rows of KDDTrain+_20Percent.txt (thresholds from each model's own calibration split), score KDDTest+.txt and KDDTest-21.txt; medians over seeds; flows/s noisy on a shared machine",
          concentration: concentration ?? 'default',
          ...result,
        },
      );
    }
  }
}
