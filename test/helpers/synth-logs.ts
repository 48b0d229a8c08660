/** Synthetic Zeek conn.logs for end-to-end tests, written by the real `fedflow synth`. */
import { expect } from 'chai';
import { runCli } from './run-cli.js';

export interface SynthLog {
  readonly file: string;
  readonly seed: number;
  /** Share of injected attack flows (0: normal traffic only). */
  readonly attackShare: number;
  readonly flows: number;
  readonly profile?: string;
}

export async function synthLogs(logs: readonly SynthLog[]): Promise<void> {
  for (const log of logs) {
    const r = await runCli([
      'synth',
      '--profile',
      log.profile ?? 'mail-dns',
      '--flows',
      String(log.flows),
      '--seed',
      String(log.seed),
      '--attack-share',
      String(log.attackShare),
      '--out',
      log.file,
    ]);
    expect(r.code, r.stderr).to.equal(0);
  }
}
