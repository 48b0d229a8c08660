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
