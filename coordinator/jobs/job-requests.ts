/**
 * The operator's requests for federation jobs after the first (`fedflow admin job start`):
 * one file in the coordinator's state folder, signed with the coordinator's key like the
 * allow-list, which a running coordinator follows. Job 1 is the federation its configuration
 * describes; each request adds the next job, with the settings it changes (the model kind,
 * the rounds, ...) on top of that configuration.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Identity } from '../../shared/crypto/identity.js';
import { writeFileDurably } from '../../shared/fs/atomic-write.js';
import {
  AdminFileError,
  type AdminFileKind,
  parseSignedAdminFile,
  signedAdminText,
} from '../admin/signed-admin-file.js';

const JOB_REQUESTS: AdminFileKind = {
  label: 'job requests',
  format: 'fedflow-job-requests',
  version: 1,
  purpose: 'job-requests',
};

/** Setting groups a job may change; the rest (addresses, keys, TLS, data) belong to the coordinator. */
export const JOB_SETTING_GROUPS = [
  'federation',
  'model',
  'encoder',
  'strategy',
  'thresholds',
  'privacy',
] as const;

export type JobSettingValue = string | number | boolean;

export interface JobRequest {
  /** 2, 3, ...: job 1 is the configured federation. */
  readonly id: number;
  readonly name: string;
  /** Configuration keys (e.g. `model.kind`) and the values this job uses instead. */
  readonly settings: Readonly<Record<string, JobSettingValue>>;
  readonly requestedAt: string;
}

export interface JobRequestsFile {
  /** The number of requests signed so far (0: none). */
  readonly serial: number;
  readonly jobs: readonly JobRequest[];
}

/** Where the coordinator whose state folder is `stateDir` keeps the requests. */
export function jobRequestsPath(stateDir: string): string {
  return join(stateDir, 'jobs', 'requests.json');
}

/** The folder of job `id`'s rounds, models and open round (job 1: the state folder itself). */
export function jobDir(stateDir: string, id: number): string {
  return id === 1 ? stateDir : join(stateDir, 'jobs', String(id));
}

/** Why `key` may not differ between jobs, or null. */
export function jobSettingProblem(key: string): string | null {
  const group = key.split('.')[0] ?? '';
  return (JOB_SETTING_GROUPS as readonly string[]).includes(group) && key.includes('.')
    ? null
    : `${key}: a job may change only ${JOB_SETTING_GROUPS.map((g) => `${g}.*`).join(', ')} settings (the rest belong to the coordinator)`;
}

export function writeJobRequests(path: string, file: JobRequestsFile, coordinator: Identity): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileDurably(
    path,
    signedAdminText(JOB_REQUESTS, file.serial, { jobs: file.jobs }, coordinator),
  );
}

/** The requests at `path` if the coordinator whose key is `coordinatorKey` signed them; none if no file. */
export function readJobRequests(path: string, coordinatorKey: Uint8Array): JobRequestsFile {
  if (!existsSync(path)) return { serial: 0, jobs: [] };
  const { serial, fields } = parseSignedAdminFile(
    JOB_REQUESTS,
    path,
    readFileSync(path, 'utf8'),
    ['jobs'],
    coordinatorKey,
  );
  const fail = (reason: string): never => {
    throw new AdminFileError(JOB_REQUESTS, path, reason);
  };
  const { jobs } = fields;
  if (!Array.isArray(jobs)) return fail('jobs: expected a list');
  jobs.forEach((job: Partial<JobRequest>, i) => {
    if (job.id !== i + 2) fail(`jobs[${i}].id: expected ${i + 2}, got ${JSON.stringify(job.id)}`);
    if (typeof job.name !== 'string' || job.name.length === 0) fail(`jobs[${i}].name: missing`);
    if (typeof job.settings !== 'object' || job.settings === null)
      fail(`jobs[${i}].settings: expected an object`);
    for (const key of Object.keys(job.settings!)) {
      const problem = jobSettingProblem(key);
      if (problem) fail(`jobs[${i}].settings.${problem}`);
    }
  });
  if (serial !== jobs.length) fail(`serial: expected ${jobs.length} (one per job), got ${serial}`);
  return { serial, jobs: jobs as JobRequest[] };
}

/** `config` with `settings` (dotted keys, checked when the job was requested) in place. */
export function configForJob<T extends object>(
  config: T,
  settings: Readonly<Record<string, JobSettingValue>>,
): T {
  const copy = structuredClone(config) as Record<string, unknown>;
  for (const [key, value] of Object.entries(settings)) {
    const path = key.split('.');
    let node = copy;
    for (const part of path.slice(0, -1)) {
      if (typeof node[part] !== 'object' || node[part] === null)
        throw new Error(`job setting ${key}: ${part} is not a group of settings`);
      node = node[part] as Record<string, unknown>;
    }
    node[path.at(-1)!] = value;
  }
  return copy as T;
}
