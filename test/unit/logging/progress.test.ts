import { expect } from 'chai';
import { rowsProgress } from '../../../cli/progress/rows.js';
import { BarTerminal } from '../../../cli/progress/terminal.js';
import { trainingProgress } from '../../../cli/progress/training.js';
import { createLogger } from '../../../shared/logging/logger.js';

/** A stand-in for stderr that records what is written (ANSI escapes stripped on reading). */
function fakeStderr(isTTY: boolean) {
  let written = '';
  const stream = {
    isTTY,
    columns: 120,
    write(text: string) {
      written += text;
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the escapes are what is stripped
  const plain = () => written.replace(/\x1b(\[[0-9;?]*[A-Za-z]|[78])/g, '');
  return { stream, raw: () => written, plain };
}

describe('progress bars and log lines on stderr', () => {
  it('draws no bar off a terminal or when quiet: only log lines', () => {
    for (const [isTTY, allowed] of [
      [false, true],
      [true, false],
    ] as const) {
      const err = fakeStderr(isTTY);
      const terminal = new BarTerminal(err.stream);
      terminal.barsAllowed = allowed;
      const progress = rowsProgress('scoring', { terminal });
      progress.update(8192);
      progress.stop();
      terminal.write('a log line\n');
      expect(err.raw()).to.equal('a log line\n');
    }
  });

  it('logs where a long pass is, now and then, where no bar is drawn', async () => {
    const err = fakeStderr(false);
    const terminal = new BarTerminal(err.stream);
    const log = createLogger({}, terminal, { level: 'info', format: 'json' });
    const progress = rowsProgress('reading', { terminal, log, logEverySeconds: 0.05 });
    progress.update(8192);
    await new Promise((r) => setTimeout(r, 60));
    progress.update(16384);
    progress.stop();
    const events = err
      .raw()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.map((e) => [e.level, e.msg.replace(/[\d,]+ rows\/s/, 'N rows/s')])).to.deep.equal(
      [[30, 'reading: 16,384 rows so far, N rows/s']],
    );
  });

  it('writes a log line above the bar, then draws the bar again below it', () => {
    const err = fakeStderr(true);
    const terminal = new BarTerminal(err.stream);
    const progress = rowsProgress('reading', { terminal });
    progress.update(8192);
    terminal.write('08:00:00 warn skipped malformed row\n');
    progress.update(16384);
    progress.stop();
    const raw = err.raw();
    // The bar's line is cleared before the log line, which ends with a newline: never mixed.
    expect(raw).to.include('\r\x1b[2K08:00:00 warn skipped malformed row\n');
    const after = raw.slice(raw.indexOf('malformed row\n'));
    expect(after).to.match(/reading 8,192 rows/);
    expect(err.plain()).to.match(/reading 8,192 rows \| [\d,]+ rows\/s/);
  });

  it("shows the running loss of the epoch under way, not the last epoch's", () => {
    const err = fakeStderr(true);
    const terminal = new BarTerminal(err.stream);
    const log = createLogger({}, terminal, { level: 'info', format: 'text' });
    const progress = trainingProgress(log, terminal);
    const batch = (flowsDone: number, epoch: number, runningLoss: number) =>
      progress.onBatch!({ flowsDone, flowsTotal: 20000, epoch, epochs: 2, runningLoss });
    batch(10000, 1, 50.5);
    batch(20000, 1, 45.25);
    progress.onEpoch!({
      epoch: 1,
      epochs: 2,
      trainLoss: 45.25,
      validationLoss: 44,
      klWeight: 1,
      temperature: 1,
      flowsPerSecond: 10000,
      seconds: 2,
    });
    batch(10000, 2, 40.125);
    progress.stop();
    const text = err.plain();
    expect(text).to.include('epoch 1/2');
    expect(text).to.match(/info epoch finished epoch=1 epochs=2 loss=45\.25 valLoss=44/);
    expect(text).to.match(/epoch 2\/2 \[[^\]]*\] 50% loss 40\.125 val 44\.000/);
  });
});
