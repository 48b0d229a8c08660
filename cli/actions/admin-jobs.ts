/**
 * What `fedflow admin job start|list` does: the operator requests another federation job
 * (fresh traffic, another model kind) from a running coordinator by signing the next version
 * of its job requests (coordinator/jobs/job-requests.ts), and lists the jobs with their phase.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type JobSettingValue,
  jobDir,
  jobRequestsPath,
  jobSettingProblem,
  readJobRequests,
  writeJobRequests,
} from '../../coordinator/jobs/job-requests.js';
import { loadCoordinatorConfig } from '../../shared/config/federation-config.js';
import { loadPrivateIdentity } from '../../shared/crypto/key-files.js';

type Write = (text: string) => void;
const toStdout: Write = (text) => process.stdout.write(text);

export interface JobStartOptions {
  config: string;
  name?: string;
  rounds?: number;
  modelKind?: string;
  /** `key=value` settings, e.g. `federation.epochs=4`. */
  set?: string[];
}

export function startJob(options: JobStartOptions, write: Write = toStdout): void {
  const settings = jobSettings(options);
  // The coordinator's own checks, now: a bad setting is refused here, not when the job opens.
  loadCoordinatorConfig(options.config, settings);
  const config = loadCoordinatorConfig(options.config);
  const coordinator = loadPrivateIdentity(config.privateKey);
  const path = jobRequestsPath(config.stateDir);
  const requests = readJobRequests(path, coordinator.signPublicKey);
  const id = requests.jobs.length + 2;
  const name = options.name ?? `job ${id}`;
  const job = { id, name, settings, requestedAt: new Date().toISOString() };
  writeJobRequests(
    path,
    { serial: requests.serial + 1, jobs: [...requests.jobs, job] },
    coordinator,
  );
  const changes = Object.entries(settings).map(([k, v]) => `${k}=${v}`);
  write(
    `requested job ${id} (${name})${changes.length ? `: ${changes.join(', ')}` : ''}; a running coordinator starts it when the jobs before it are done\n`,
  );
}

export function listJobs(options: { config: string }, write: Write = toStdout): void {
  const config = loadCoordinatorConfig(options.config);
  const coordinator = loadPrivateIdentity(config.privateKey);
  const { jobs } = readJobRequests(jobRequestsPath(config.stateDir), coordinator.signPublicKey);
  const rows = [
    { id: 1, name: 'as configured', settings: {} },
    ...jobs.map((j) => ({ id: j.id, name: j.name, settings: j.settings })),
  ];
  for (const job of rows) {
    const dir = jobDir(config.stateDir, job.id);
    const changes = Object.entries(job.settings).map(([k, v]) => `${k}=${v}`);
    write(
      `job ${job.id}  ${job.name}  ${progress(dir)}${changes.length ? `  ${changes.join(' ')}` : ''}\n`,
    );
  }
}

/** The phase and model version a job's state records, read without touching it. */
function progress(dir: string): string {
  const path = join(dir, 'state.json');
  if (!existsSync(path)) return 'not started';
  try {
    const state = JSON.parse(readFileSync(path, 'utf8')) as {
      phase: string;
      modelVersion: number | null;
    };
    return `${state.phase}${state.modelVersion ? `, model v${state.modelVersion}` : ''}`;
  } catch (error) {
    return `unreadable state (${(error as Error).message})`;
  }
}

/** The settings the options change, as configuration keys. */
function jobSettings(options: JobStartOptions): Record<string, JobSettingValue> {
  const settings: Record<string, JobSettingValue> = {};
  if (options.rounds !== undefined) settings['federation.rounds'] = options.rounds;
  if (options.modelKind !== undefined) settings['model.kind'] = options.modelKind;
  for (const pair of options.set ?? []) {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--set ${pair}: expected KEY=VALUE, e.g. federation.epochs=4`);
    const key = pair.slice(0, at);
    const problem = jobSettingProblem(key);
    if (problem) throw new Error(`--set ${problem}`);
    settings[key] = settingValue(pair.slice(at + 1));
  }
  return settings;
}

/** A number or true/false as such, anything else as text. */
function settingValue(text: string): JobSettingValue {
  if (text === 'true' || text === 'false') return text === 'true';
  const number = Number(text);
  return text.trim() !== '' && Number.isFinite(number) ? number : text;
}
