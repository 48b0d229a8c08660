/**
 * Training progress for people and for logs: a live bar (epochs, loss, flows/s) when stderr
 * is a terminal, one plain line per epoch otherwise.
 */
import cliProgress from 'cli-progress';
import type { EpochReport, TrainingHooks } from '../client/trainer/local-trainer.js';

export function trainingProgress(
  stream: NodeJS.WriteStream = process.stderr,
): TrainingHooks & { stop(): void } {
  if (!stream.isTTY) {
    return {
      onEpoch: (r) => stream.write(`${epochLine(r)}\n`),
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format:
        'epoch {epoch}/{epochs} [{bar}] {percentage}% | loss {loss} | val {val} | {rate} flows/s',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let epochStart = performance.now();
  return {
    onBatch(done, total, epoch, epochs) {
      if (!started) {
        bar.start(total, 0, { epoch, epochs, loss: '-', val: '-', rate: '-' });
        started = true;
      }
      if (done === total || done % 8192 < 512) {
        const rate = Math.round(done / ((performance.now() - epochStart) / 1000));
        bar.update(done, { epoch, epochs, rate });
      }
    },
    onEpoch(r) {
      // Loss and validation of the epoch just finished stay shown while the next one runs.
      bar.update({
        loss: r.trainLoss.toFixed(3),
        val: r.validationLoss?.toFixed(3) ?? '-',
        rate: Math.round(r.flowsPerSecond),
      });
      epochStart = performance.now();
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

export function epochLine(r: EpochReport): string {
  const val = r.validationLoss === null ? '' : ` val_loss=${r.validationLoss.toFixed(4)}`;
  return `epoch ${r.epoch}/${r.epochs} loss=${r.trainLoss.toFixed(4)}${val} kl_weight=${r.klWeight.toFixed(2)} flows_per_s=${Math.round(r.flowsPerSecond)} seconds=${r.seconds.toFixed(2)}`;
}
