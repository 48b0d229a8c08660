/** Scores flow files into a JSON-lines file (or stdout): the `score` command's whole job. */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { FlowFormat } from '../../shared/flows/formats.js';
import type { ReadOptions } from '../../shared/flows/readers.js';
import type { ScoreOptions } from '../../shared/model/vae.js';
import { alertLines } from './alert-lines.js';
import type { LoadedModel } from './loaded-model.js';
import { type ScoreRunSummary, scoreFlowFiles } from './score-flows.js';

export interface AlertRunSummary extends ScoreRunSummary {
  /** Rows that crossed at least one threshold. */
  readonly alerts: number;
}

export async function writeAlertLines(
  loaded: LoadedModel,
  files: readonly string[],
  format: FlowFormat,
  read: ReadOptions,
  options: ScoreOptions & { topFields: number },
  outPath: string,
): Promise<AlertRunSummary> {
  const out = outPath === '-' ? process.stdout : createWriteStream(outPath);
  let alerts = 0;
  const summary = await scoreFlowFiles(loaded, files, format, read, options, async (batch) => {
    let text = '';
    for (const line of alertLines(
      loaded.saved.spec,
      loaded.saved.thresholds,
      batch,
      options.topFields,
    )) {
      for (const crossed of Object.values(line.alerts)) {
        if (crossed) {
          alerts++;
          break;
        }
      }
      text += `${JSON.stringify(line)}\n`;
    }
    if (!out.write(text)) await once(out, 'drain');
  });
  if (out !== process.stdout) {
    out.end();
    await once(out, 'finish');
  }
  return { ...summary, alerts, seconds: summary.seconds };
}
