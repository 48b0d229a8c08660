/**
 * Why excluding the majority site's poisoned deltas costs more than leaving the site out:
 * its honest sketch still shapes the encoder. The largest NSL-KDD by-service site sends
 * sign-flipped deltas (excluded every round by the default screening) and, in the encoder
 * round, (a) its own sketch, (b) a donor site's sketch instead (the vocabulary and bin edges
 * then describe only the honest sites), or, on the first seed, (c) its own categorical values
 * with the donor's numeric histograms and (d) the reverse.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nslKddSites, parseSplit } from '../../cli/simulate/site-data.js';
import { SiteWorker } from '../../client/agent/site-worker.js';
import type {
  ClientPayload,
  EncoderSketchPayload,
  Task,
} from '../../shared/federation/messages.js';
import { detectionQuality } from './detection-quality.js';
import { type Attack, runInProcess } from './in-process.js';
import { PAYLOAD_ATTACKS } from './poisoning.js';
import { spread } from './seed-summary.js';

const ATTACKER = 0;
const DONOR = 4;
const flip = PAYLOAD_ATTACKS['sign-flipped']!;

type SketchChoice = 'own' | 'donor' | 'own-categorical' | 'own-numeric';

export async function runSketchInfluence(
  nslDir: string,
  seeds: readonly number[],
  rounds: number,
  log: (line: string) => void,
) {
  const work = mkdtempSync(join(tmpdir(), 'fedflow-sketch-influence-'));
  try {
    const data = await nslKddSites(work, nslDir, 5, parseSplit('by-service'));
    const sites = data.siteFiles.map((files, i) => ({ name: `site-${i + 1}`, files }));
    // Sketching needs no model and no seed: the donor answers the attacker's sketch task.
    const donor = new SiteWorker({
      selection: { files: sites[DONOR]!.files, format: 'nsl-kdd', onlyLabel: 'normal', read: {} },
      shares: { validation: 0.1, calibration: 0.1, seed: 1 },
      seed: 1,
    });
    const runs: { seed: number; sketch: SketchChoice; auroc: number; excludedRounds: number }[] =
      [];
    for (const seed of seeds) {
      const choices: SketchChoice[] =
        seed === seeds[0] ? ['own', 'donor', 'own-categorical', 'own-numeric'] : ['own', 'donor'];
      for (const sketch of choices) {
        const run = await runInProcess({
          sites,
          format: 'nsl-kdd',
          onlyLabel: 'normal',
          settings: { 'federation.rounds': rounds },
          seed,
          attacker: {
            site: ATTACKER,
            attack: signFlipWithSketch(sketch, (task) => donor.run(task, null)),
          },
        });
        const { auroc } = await detectionQuality(run.model, data.testFiles, 'nsl-kdd');
        const excludedRounds = run.rounds.filter((r) =>
          r.results.some(
            (x) => x.clientId === sites[ATTACKER]!.name && x.update?.action === 'excluded',
          ),
        ).length;
        runs.push({ seed, sketch, auroc, excludedRounds });
        log(
          `sketch influence seed ${seed}: site 1 flips its deltas, sketch ${sketch}: AUROC ${auroc.toFixed(4)} (excluded in ${excludedRounds} rounds)`,
        );
      }
    }
    const of = (sketch: SketchChoice) =>
      runs.filter((r) => r.sketch === sketch).map((r) => r.auroc);
    return {
      attackerSite: sites[ATTACKER]!.name,
      donorSite: sites[DONOR]!.name,
      rounds,
      ownSketch: spread(of('own')),
      donorSketch: spread(of('donor')),
      runs,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Sign-flipped deltas, with the chosen sketch in the encoder round. A donor's sketch has
 * fewer rows, so the attacker's later claims are cut to them (the coordinator refuses more
 * examples or calibration flows than the rows a site declared).
 */
function signFlipWithSketch(
  choice: SketchChoice,
  donorAnswer: (task: Task) => Promise<ClientPayload>,
): Attack {
  let declared = Number.POSITIVE_INFINITY;
  return async (task, honest) => {
    const payload = task.kind === 'sketch' ? await honest() : await flip(task, honest);
    if (payload.kind === 'sketch') {
      const donor = await donorAnswer(task);
      if (donor.kind !== 'sketch') throw new Error('the donor site sent no sketch');
      const sent = mixSketch(choice, payload, donor);
      declared = sent.rows;
      return sent;
    }
    if (payload.kind === 'delta')
      return { ...payload, examples: Math.min(payload.examples, declared) };
    if (payload.kind !== 'histogram' || payload.flows <= declared) return payload;
    const counts = payload.counts.map((c) => Math.floor((c * declared) / payload.flows));
    return { ...payload, counts, flows: counts.reduce((a, b) => a + b, 0) };
  };
}

function mixSketch(
  choice: SketchChoice,
  own: EncoderSketchPayload,
  donor: EncoderSketchPayload,
): EncoderSketchPayload {
  if (choice === 'own') return own;
  if (choice === 'donor') return donor;
  if (choice === 'own-numeric') return { ...own, categorical: donor.categorical };
  // The donor's numeric histograms rescaled to the attacker's rows (every row has one value).
  const numeric = donor.numeric.map((entry) => {
    const counts = entry.counts.map((c) => Math.floor((c * own.rows) / donor.rows));
    const largest = counts.indexOf(Math.max(...counts));
    counts[largest]! += own.rows - counts.reduce((a, b) => a + b, 0);
    return { ...entry, counts };
  });
  return { ...own, numeric };
}
