import { expect } from 'chai';
import { createLogger, lineLog } from '../../../shared/logging/logger.js';

/** A stand-in for stderr that records what is written. */
function fakeStream(isTTY: boolean) {
  const lines: string[] = [];
  const write = (text: string) => {
    lines.push(String(text));
    return true;
  };
  const stream = { isTTY, write } as unknown as NodeJS.WriteStream;
  return { stream, lines };
}

describe('structured logs', () => {
  it('writes one JSON object per event with the role, site and event fields when not on a terminal', async () => {
    const { stream, lines } = fakeStream(false);
    const log = createLogger({ role: 'client', site: 'site-a' }, stream);
    log.info({ round: 3, task: 'train' }, 'task received');
    await new Promise((r) => setImmediate(r));
    const event = JSON.parse(lines.join('').trim());
    expect(event).to.include({
      role: 'client',
      site: 'site-a',
      round: 3,
      task: 'train',
      msg: 'task received',
      level: 30,
    });
  });

  it('writes a readable line on a terminal', async () => {
    const { stream, lines } = fakeStream(true);
    const log = createLogger({ role: 'coordinator' }, stream);
    log.warn({ round: 2, outcome: 'failed' }, 'round failed');
    await new Promise((r) => setImmediate(r));
    expect(lines.join('')).to.match(
      /^\d\d:\d\d:\d\d warn \[coordinator\] round failed round=2 outcome=failed\n$/,
    );
  });

  it('logs a line at the level it states: warnings at 40, errors at 50, the rest at 30', async () => {
    const { stream, lines } = fakeStream(false);
    const log = lineLog(createLogger({ role: 'client', site: 'site-a' }, stream));
    log('warning: TLS is off');
    log('error: the data file is gone', { file: 'a.log' });
    log('enrolled with the coordinator');
    log('a warning: not at the start');
    await new Promise((r) => setImmediate(r));
    const events = lines
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.map((e) => [e.level, e.msg])).to.deep.equal([
      [40, 'TLS is off'],
      [50, 'the data file is gone'],
      [30, 'enrolled with the coordinator'],
      [30, 'a warning: not at the start'],
    ]);
    expect(events[1].file).to.equal('a.log');
  });
});
