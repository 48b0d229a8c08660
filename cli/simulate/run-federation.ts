/**
 * A simulation's processes: the coordinator, then (once it listens) one client per site;
 * one failing stops the others. Rounds are reported as the coordinator closes them.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { RoundRecord } from '../../coordinator/store/federation-state.js';
import type { Consortium } from './consortium.js';
import { exited, jsonLines, spawnFedflow } from './processes.js';

/** The coordinator left running after its federation (simulate --keep-dashboard). */
export interface StayingCoordinator {
  /** Stops it (SIGTERM) and resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Runs the federation to its end; resolves with its rounds and the final model directory,
 * and with `keep`, the coordinator still serving its dashboard.
 */
export async function runFederation(
  dir: string,
  consortium: Consortium,
  say: (line: string) => void,
  keep = false,
): Promise<{ rounds: RoundRecord[]; finalModelDir: string; staying: StayingCoordinator | null }> {
  const { coordinatorDir, coordinatorConfig, siteConfigs, dashboardToken } = consortium;
  const rounds: RoundRecord[] = [];
  let port = 0;
  let finalModelDir = '';
  const server = spawnFedflow(
    ['coordinator', '--config', coordinatorConfig, ...(keep ? ['--stay'] : [])],
    join(coordinatorDir, 'log.txt'),
  );
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const listening = new Promise<void>((ready) =>
    jsonLines(server, (event) => {
      if (event.event === 'listening') {
        port = event.port as number;
        if (event.dashboardPort)
          say(
            `dashboard (while the run lasts): http://127.0.0.1:${event.dashboardPort}/?token=${dashboardToken}`,
          );
        ready();
      } else if (event.event === 'round') {
        const round = event as unknown as RoundRecord;
        rounds.push(round);
        say(
          `round ${round.round} ${round.kind}: ${round.outcome}, ${round.results.length}/${round.selected.length} results in ${(round.collectMs / 1000).toFixed(1)} s`,
        );
      } else if (event.event === 'done') {
        finalModelDir = event.modelDir as string;
        done();
      }
    }),
  );
  const serverExit = exited(server);
  await Promise.race([
    listening,
    serverExit.then((code) =>
      Promise.reject(
        new Error(
          `the coordinator exited (${code}) before listening; see ${join(coordinatorDir, 'log.txt')}`,
        ),
      ),
    ),
  ]);
  say(`coordinator listening on 127.0.0.1:${port}; starting ${siteConfigs.length} clients`);
  const clients = siteConfigs.map((config, i) =>
    spawnFedflow(
      ['client', '--config', config, '--coordinator', `127.0.0.1:${port}`],
      join(dir, `site-${i + 1}`, 'log.txt'),
    ),
  );
  const staying = await awaitEnd(server, clients, keep ? finished : null, dir);
  return { rounds, finalModelDir, staying };
}

/**
 * Waits for every process; one failing stops the others instead of waiting on them. A
 * coordinator told to stay (`staysAfter`) counts as done once it says so, not when it exits,
 * and is handed back still running.
 */
async function awaitEnd(
  server: ChildProcess,
  clients: readonly ChildProcess[],
  staysAfter: Promise<void> | null,
  dir: string,
): Promise<StayingCoordinator | null> {
  const all = [server, ...clients];
  const serverEnd = exited(server);
  const codes = await Promise.all(
    all.map((child) =>
      (child === server && staysAfter
        ? Promise.race([staysAfter.then(() => 0), serverEnd])
        : exited(child)
      ).then((code) => {
        if (code !== 0) for (const other of all) if (other.exitCode === null) other.kill('SIGTERM');
        return code;
      }),
    ),
  );
  if (codes.some((c) => c !== 0))
    throw new Error(
      `a process failed (exit codes: coordinator ${codes[0]}, clients ${codes.slice(1).join(', ')}); logs are in ${dir}`,
    );
  if (!staysAfter) return null;
  return {
    stop: async () => {
      if (server.exitCode === null) server.kill('SIGTERM');
      await serverEnd;
    },
  };
}
