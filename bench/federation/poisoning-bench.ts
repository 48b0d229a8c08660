/**
 * The poisoning benchmark: 5 NSL-KDD sites split by service, one of them modified to send
 * (a) its delta x100, (b) its delta sign-flipped, (c) random values of magnitude 1e4, or
 * (d) an honest delta from data where attacks are labelled normal; each screening against
 * each attack, the attacker being the largest site or a small one. Reports AUROC on KDDTest+.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nslKddSites, parseSplit } from '../../cli/simulate/site-data.js';
import { SCREENINGS, STRATEGY_DEFAULTS } from '../../shared/config/strategy-config.js';
import { detectionQuality } from './detection-quality.js';
import { type Attack, type BenchSite, runInProcess } from './in-process.js';
import { mislabelledSiteFile, PAYLOAD_ATTACKS } from './poisoning.js';
import { spread } from './seed-summary.js';

/** Every screening with its default tuning, the default first (it runs every seed). */
export const DEFENCES = SCREENINGS.map((method) => ({
  name: method === 'none' ? 'none (plain averaging)' : method,
  settings: { 'strategy.screening.method': method },
  isDefault: method === STRATEGY_DEFAULTS.screening.method,
})).sort((a, b) => Number(b.isDefault) - Number(a.isDefault));

const defencesNamed = (only: readonly string[]) =>
  DEFENCES.filter(
    (d) => only.length === 0 || only.includes(d.settings['strategy.screening.method']),
  );

/** Site 1 holds about half of the rows (mostly http); site 3 about a ninth (mostly smtp). */
const ATTACKER_SITES = [0, 2];

export async function runPoisoning(
  nslDir: string,
  seeds: readonly number[],
  log: (line: string) => void,
  /** Screening methods to run (all when empty): the default alone takes a third of the time. */
  only: readonly string[] = [],
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
    const withoutAttacker = await aurocsWithoutAttacker(honest, seeds, auroc, log);
    const results: Result[] = [];
    for (const defence of defencesNamed(only)) {
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
    return {
      attackerSites: ATTACKER_SITES.map((i) => honest[i]!.name),
      summary: summarise(results, withoutAttacker),
      withoutAttacker,
      results,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

type Auroc = (
  sites: readonly BenchSite[],
  settings: Record<string, unknown>,
  seed: number,
  attacker?: { site: number; attack: Attack },
) => Promise<number>;

/**
 * What the federation reaches without the attacker's site at all: no defence can do better
 * against a site whose deltas carry nothing honest (sign flip, random values).
 */
async function aurocsWithoutAttacker(
  honest: readonly BenchSite[],
  seeds: readonly number[],
  auroc: Auroc,
  log: (line: string) => void,
) {
  const withoutAttacker = [];
  for (const site of ATTACKER_SITES)
    for (const seed of seeds) {
      const value = await auroc(
        honest.filter((_, i) => i !== site),
        {},
        seed,
      );
      withoutAttacker.push({ without: honest[site]!.name, seed, auroc: value });
      log(
        `default seed ${seed}: the 4 sites without ${honest[site]!.name}: AUROC ${value.toFixed(4)}`,
      );
    }
  return withoutAttacker;
}

type Result = {
  defence: string;
  isDefault: boolean;
  seed: number;
  clean: number;
  attacked: { attack: string; attackerSite: string; auroc: number; cost: number }[];
};

/**
 * The default screening per attack and attacker, medians over seeds: its AUROC, its cost
 * against the clean 5-site run, and against the 4 sites without the attacker (the most a
 * defence can keep of a site that sends nothing honest). Also what the default costs when
 * no one attacks, against plain averaging on the same seed.
 */
function summarise(
  results: readonly Result[],
  withoutAttacker: readonly { without: string; seed: number; auroc: number }[],
) {
  const defaults = results.filter((r) => r.isDefault);
  const cases = defaults[0]?.attacked.map((a) => [a.attack, a.attackerSite] as const) ?? [];
  const plain = results.find((r) => r.defence.startsWith('none'));
  const defaultOfPlainSeed = defaults.find((r) => r.seed === plain?.seed);
  return {
    defaultScreening: defaults[0]?.defence,
    cleanCostOfDefaultVsPlain:
      plain && defaultOfPlainSeed ? plain.clean - defaultOfPlainSeed.clean : null,
    clean: spread(defaults.map((r) => r.clean)),
    byAttack: cases.map(([attack, site]) => {
      const runs = defaults.map(
        (r) => r.attacked.find((a) => a.attack === attack && a.attackerSite === site)!,
      );
      const without = spread(withoutAttacker.filter((w) => w.without === site).map((w) => w.auroc));
      const auroc = spread(runs.map((a) => a.auroc));
      return {
        attack,
        attackerSite: site,
        auroc,
        cost: spread(runs.map((a) => a.cost)).median,
        withoutAttackerSite: without.median,
        costBeyondWithoutAttackerSite: without.median - auroc.median,
      };
    }),
  };
}
