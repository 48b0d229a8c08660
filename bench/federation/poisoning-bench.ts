/**
 * The poisoning benchmark: 5 NSL-KDD sites split by service, one of them modified to send
 * (a) its delta x100, (b) its delta sign-flipped, (c) random values of magnitude 1e4, or
 * (d) an honest delta from data where attacks are labelled normal; each screening against
 * each attack, the attacker being the largest site or a small one. Reports AUROC on KDDTest+.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nslKddSites, parseSplit } from '../../shared/cli/simulate/site-data.js';
import { SCREENINGS, STRATEGY_DEFAULTS } from '../../shared/config/strategy-config.js';
import { detectionQuality } from './detection-quality.js';
import { type Attack, type BenchSite, runInProcess } from './in-process.js';
import { mislabelledSiteFile, PAYLOAD_ATTACKS } from './poisoning.js';

/** Every screening with its default tuning (norm bound 2x the median, trim 20%, f = 1). */
export const DEFENCES = SCREENINGS.map((method) => ({
  name: method === 'none' ? 'none (plain averaging)' : method,
  settings: { 'strategy.screening.method': method },
  isDefault: method === STRATEGY_DEFAULTS.screening.method,
}));

/** Site 1 holds about half of the rows (mostly http); site 3 about a ninth (mostly smtp). */
const ATTACKER_SITES = [0, 2];

export async function runPoisoning(
  nslDir: string,
  seeds: readonly number[],
  log: (line: string) => void,
) {
  const work = mkdtempSync(join(tmpdir(), 'fedflow-poison-'));
  try {
    const data = await nslKddSites(work, nslDir, 5, parseSplit('by-service'));
    const honest: BenchSite[] = data.siteFiles.map((files, i) => ({
      name: `site-${i + 1}`,
      files,
    }));
    const auroc = async (
      sites: readonly BenchSite[],
      settings: Record<string, unknown>,
      seed: number,
      attacker?: { site: number; attack: Attack },
    ) => {
      const run = await runInProcess({
        sites,
        format: 'nsl-kdd',
        onlyLabel: 'normal',
        settings,
        seed,
        attacker,
      });
      return (await detectionQuality(run.model, data.testFiles, 'nsl-kdd')).auroc;
    };
    const results = [];
    for (const defence of DEFENCES) {
      // Every seed for the default screening, the first for the others.
      for (const seed of defence.isDefault ? seeds : seeds.slice(0, 1)) {
        const clean = await auroc(honest, defence.settings, seed);
        const attacked: { attack: string; attackerSite: string; auroc: number; cost: number }[] =
          [];
        const record = (attack: string, site: number, value: number) => {
          attacked.push({
            attack,
            attackerSite: honest[site]!.name,
            auroc: value,
            cost: clean - value,
          });
          log(
            `${defence.name} seed ${seed}: ${attack} from ${honest[site]!.name}: AUROC ${value.toFixed(4)} (clean ${clean.toFixed(4)})`,
          );
        };
        for (const site of ATTACKER_SITES) {
          for (const [name, attack] of Object.entries(PAYLOAD_ATTACKS))
            record(name, site, await auroc(honest, defence.settings, seed, { site, attack }));
          const poisoned = join(work, `mislabelled-${site}.txt`);
          await mislabelledSiteFile(
            honest[site]!.files[0]!,
            join(nslDir, 'KDDTrain+_20Percent.txt'),
            poisoned,
          );
          const sites = honest.map((s, i) => (i === site ? { ...s, files: [poisoned] } : s));
          record('attacks-labelled-normal', site, await auroc(sites, defence.settings, seed));
        }
        results.push({
          defence: defence.name,
          isDefault: defence.isDefault,
          seed,
          clean,
          attacked,
        });
      }
    }
    return { attackerSites: ATTACKER_SITES.map((i) => honest[i]!.name), results };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
