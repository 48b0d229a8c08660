/** Runs the real `fedflow` program (TypeScript sources through tsx) as a child process. */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts the program with its standard input open, for a test to feed and signal it. */
export function startCli(args: string[]): ChildProcessByStdio<Writable, Readable, Readable> {
  return spawn(process.execPath, ['--import', 'tsx', join(root, 'cli', 'fedflow.ts'), ...args], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export function runCli(
  args: string[],
  env: Record<string, string> = {},
  /** Written to the program's standard input, which is then closed (none: no input). */
  stdin?: string | Buffer,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'cli', 'fedflow.ts'), ...args],
      {
        cwd: root,
        env: { ...process.env, ...env },
        stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      },
    );
    // A program that fails before reading all its input closes the pipe: its exit code says why.
    child.stdin?.on('error', () => {});
    child.stdin?.end(stdin);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => {
      stdout += d;
    });
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** One line the program logged (JSON lines: stderr is not a terminal when run from a test). */
export interface LogEvent {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** The JSON log lines of a run's stderr (lines that are not JSON, e.g. usage help, are skipped). */
export function logEvents(stderr: string): LogEvent[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogEvent);
}

/** The messages a run logged at error level (50): why it failed. */
export function errorLines(r: CliResult): string {
  return logEvents(r.stderr)
    .filter((e) => e.level === 50)
    .map((e) => e.msg)
    .join('\n');
}
