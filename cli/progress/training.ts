/**
 * Training progress: one log line per epoch (loss, validation, flows/s), and on a terminal a
 * live bar of the epoch under way with its running loss, the last validation score and flows/s.
 */
import type { Logger } from 'pino';
import type {
  BatchProgress,
  EpochReport,
  TrainingHooks,
} from '../../client/trainer/training-hooks.js';
import { stderrTerminal } from './terminal.js';

/** Bar redraws: every this many flows trained (and at each epoch's end). */
const REDRAW_FLOWS = 8192;

export function trainingProgress(
  log: Logger,
  terminal = stderrTerminal,
): TrainingHooks & { stop(): void } {
  let bar: ReturnType<typeof terminal.startBar> = null;
  let started = false;
  let epochStart = performance.now();
  let lastDrawn = 0;
  let validation = '-';
  return {
    onBatch(p: BatchProgress) {
      if (!started) {
        started = true;
        epochStart = performance.now();
        bar = terminal.startBar(
          // Fits 80 columns: a wider line is cut at the terminal's width.
          'epoch {epoch}/{epochs} [{bar}] {percentage}% loss {loss} val {val} {rate} flows/s',
          p.flowsTotal,
          { epoch: p.epoch, epochs: p.epochs, loss: '-', val: validation, rate: '-' },
          true,
        );
      }
      if (bar === null) return;
      if (p.flowsDone < lastDrawn) lastDrawn = 0; // a new epoch
      if (p.flowsDone !== p.flowsTotal && p.flowsDone - lastDrawn < REDRAW_FLOWS) return;
      lastDrawn = p.flowsDone;
      const rate = Math.round(p.flowsDone / ((performance.now() - epochStart) / 1000));
      bar.update(p.flowsDone, {
        epoch: p.epoch,
        epochs: p.epochs,
        loss: p.runningLoss.toFixed(3),
        val: validation,
        rate,
      });
    },
    onEpoch(r: EpochReport) {
      validation = r.validationLoss?.toFixed(3) ?? '-';
      bar?.update({ val: validation, rate: Math.round(r.flowsPerSecond) });
      log.info(epochFields(r), 'epoch finished');
      epochStart = performance.now();
    },
    stop() {
      if (bar) terminal.stopBar(bar);
      bar = null;
    },
  };
}

/** The epoch's numbers as log fields, for a log shipper. */
function epochFields(r: EpochReport): Record<string, number> {
  return {
    epoch: r.epoch,
    epochs: r.epochs,
    loss: Number(r.trainLoss.toFixed(4)),
    ...(r.validationLoss === null ? {} : { valLoss: Number(r.validationLoss.toFixed(4)) }),
    klWeight: Number(r.klWeight.toFixed(2)),
    flowsPerSecond: Math.round(r.flowsPerSecond),
    seconds: Number(r.seconds.toFixed(2)),
  };
}
