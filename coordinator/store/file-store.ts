/**
 * Coordinator state on disk: `journal.jsonl` (every round record, appended and fsynced),
 * `state.json` (phase, round records) written durably after the model it names, one
 * model directory per published version under `models/`, and the server optimiser's state
 * per version under `server-state/`. A crash between two writes leaves
 * the previous consistent state.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { appendJsonLine } from '../../shared/fs/append-log.js';
import { writeFileDurably } from '../../shared/fs/atomic-write.js';
import { loadModelDir, saveModelDir } from '../../shared/model/model-dir.js';
import type { FederationState, FederationStore } from './federation-state.js';
import { loadRelease, removeReleasesAfter, saveRelease } from './release-file.js';
import { loadServerState, removeServerStatesAfter, saveServerState } from './server-state-file.js';

interface StateFile {
  readonly format: 'fedflow-coordinator-state';
  readonly version: 1;
  readonly phase: FederationState['phase'];
  readonly nextRound: number;
  readonly modelVersion: number | null;
  readonly rounds: FederationState['rounds'];
}

export class FileFederationStore implements FederationStore {
  private journaledRounds: number | null = null;
  constructor(readonly dir: string) {
    mkdirSync(join(dir, 'models'), { recursive: true });
  }

  private get serverStateDir(): string {
    return join(this.dir, 'server-state');
  }

  private get releasesDir(): string {
    return join(this.dir, 'releases');
  }

  modelDir(version: number): string {
    return join(this.dir, 'models', `v${version}`);
  }

  load(): FederationState | null {
    const path = join(this.dir, 'state.json');
    if (!existsSync(path)) return null;
    let file: StateFile;
    try {
      file = JSON.parse(readFileSync(path, 'utf8')) as StateFile;
    } catch (error) {
      throw new Error(
        `${path}: not valid JSON (${(error as Error).message}); the coordinator state is damaged`,
      );
    }
    if (file.format !== 'fedflow-coordinator-state' || file.version !== 1)
      throw new Error(`${path}: not a fedflow coordinator state file (version 1)`);
    this.removeUnpublishedModels(file.modelVersion ?? 0);
    removeServerStatesAfter(this.serverStateDir, file.modelVersion ?? 0);
    removeReleasesAfter(this.releasesDir, file.modelVersion ?? 0);
    const model =
      file.modelVersion === null
        ? null
        : { version: file.modelVersion, ...loadModelDir(this.modelDir(file.modelVersion)) };
    return {
      phase: file.phase,
      nextRound: file.nextRound,
      rounds: file.rounds,
      serverState:
        file.modelVersion === null ? null : loadServerState(this.serverStateDir, file.modelVersion),
      release: file.modelVersion === null ? null : loadRelease(this.releasesDir, file.modelVersion),
      model: model && {
        version: model.version,
        spec: model.spec,
        weights: model.weights,
        thresholds: model.thresholds,
      },
    };
  }

  /**
   * A crash between writing a model directory and state.json leaves a version the state never
   * named; the rerun round may produce different weights under that number, so drop it.
   */
  private removeUnpublishedModels(current: number): void {
    for (const name of readdirSync(join(this.dir, 'models'))) {
      const version = /^v(\d+)$/.exec(name);
      if (version && Number(version[1]) > current)
        rmSync(join(this.dir, 'models', name), { recursive: true, force: true });
    }
  }

  save(state: FederationState): void {
    // The journal gets every round record once, in order, before the state that includes it.
    const journaled = this.journaledRounds ?? this.load()?.rounds.length ?? 0;
    for (const record of state.rounds.slice(journaled))
      appendJsonLine(join(this.dir, 'journal.jsonl'), {
        event: 'round',
        at: new Date().toISOString(),
        ...record,
      });
    this.journaledRounds = state.rounds.length;
    const { model } = state;
    if (model) {
      const dir = this.modelDir(model.version);
      // Thresholds are added to the last version after calibration, so rewrite when they change.
      const stored = existsSync(dir) ? loadModelDir(dir) : null;
      if (!stored || JSON.stringify(stored.thresholds) !== JSON.stringify(model.thresholds)) {
        saveModelDir(dir, {
          spec: model.spec,
          weights: model.weights,
          thresholds: model.thresholds,
          metadata: { createdBy: 'fedflow coordinator', version: model.version },
        });
      }
    }
    // Written before state.json names the version, like the model directory.
    if (model && state.serverState)
      saveServerState(this.serverStateDir, model.version, state.serverState);
    // Written once per version, before state.json names it.
    if (
      model &&
      state.release &&
      state.release.baseVersion + 1 === model.version &&
      !existsSync(join(this.releasesDir, `v${model.version}.json`))
    )
      saveRelease(this.releasesDir, model.version, state.release);
    const file: StateFile = {
      format: 'fedflow-coordinator-state',
      version: 1,
      phase: state.phase,
      nextRound: state.nextRound,
      modelVersion: model?.version ?? null,
      rounds: state.rounds,
    };
    writeFileDurably(join(this.dir, 'state.json'), `${JSON.stringify(file, null, 2)}\n`);
  }
}
