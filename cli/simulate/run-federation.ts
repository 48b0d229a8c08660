/**
 * A simulation's processes: the coordinator, then (once it listens) one client per site;
 * one failing stops the others. Rounds are reported as the coordinator closes them.
 */
import { join } from 'node:path';
import type { RoundRecord } from '../../coordinator/store/federation-state.js';
import type { Consortium } from './consortium.js';
import { exited, jsonLines, spawnFedflow } from './processes.js';

/** Runs the federation to its end; resolves with its rounds and the final model directory. */
export async function runFederation(
  dir: string,
  consortium: Consortium,
  say: (line: string) => void,
): Promise<{ rounds: RoundRecord[]; finalModelDir: string }> {
  const { coordinatorDir, coordinatorConfig, siteConfigs, dashboardToken } = consortium;
  const rounds: RoundRecord[] = [];
  let port = 0;
  let finalModelDir = '';
  const server = spawnFedflow(
    ['coordinator', '--config', coordinatorConfig],
    join(coordinatorDir, 'log.txt'),
  );
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
  // One process failing ends the simulation: stop the others instead of waiting on them.
  const all = [server, ...clients];
  const codes = await Promise.all(
    all.map((child) =>
      exited(child).then((code) => {
        if (code !== 0) for (const other of all) if (other.exitCode === null) other.kill('SIGTERM');
        return code;
      }),
    ),
  );
  if (codes.some((c) => c !== 0))
    throw new Error(
      `a process failed (exit codes: coordinator ${codes[0]}, clients ${codes.slice(1).join(', ')}); logs are in ${dir}`,
    );

  return { rounds, finalModelDir };
}
