/**
 * Runs the PyTorch peer (bench/peers/*.py) as child processes: whether python3 with torch is
 * here at all, one subcommand's JSON answer, and whole-process wall times.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PYTHON = process.env.FEDFLOW_PEER_PYTHON ?? 'python3';

/** bench/peers in the repository, from the source (tsx) or from dist/bench/peers. */
export function peersDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return join(dir, 'bench', 'peers');
}

export interface PeerInfo {
  readonly torch: string;
  readonly numpy: string;
  readonly pandas: string;
  readonly defaultThreads: number;
}

/** The peer's versions, or why it cannot run (no python3, no torch, numpy or pandas). */
export function probePeer(): PeerInfo | { missing: string } {
  const probe = spawnSync(PYTHON, [join(peersDir(), 'peer_bench.py'), 'info'], {
    encoding: 'utf8',
  });
  if (probe.error) return { missing: `${PYTHON} did not start (${probe.error.message})` };
  if (probe.status !== 0) {
    const last = probe.stderr.trim().split('\n').at(-1) ?? '';
    return { missing: `${PYTHON} cannot run the peer: ${last}` };
  }
  return JSON.parse(probe.stdout) as PeerInfo;
}

/** One peer_bench.py subcommand; its JSON answer, or an error carrying its stderr. */
export function runPeer<T = Record<string, unknown>>(args: readonly string[]): T {
  const run = spawnSync(PYTHON, [join(peersDir(), 'peer_bench.py'), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  if (run.error || run.status !== 0)
    throw new Error(
      `peer_bench.py ${args[0]} failed (${run.error?.message ?? `exit ${run.status}`}): ${run.stderr.trim()}`,
    );
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as T;
}

/** Wall seconds of a whole process, from spawn to exit; throws if it fails. */
export function timeProcess(command: string, args: readonly string[]): number {
  const started = performance.now();
  const run = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const seconds = (performance.now() - started) / 1000;
  if (run.error || run.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} failed (${run.error?.message ?? `exit ${run.status}`}): ${run.stderr.trim()}`,
    );
  return seconds;
}
