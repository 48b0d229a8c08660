import { expect } from 'chai';
import { createLogger } from '../../../shared/logging/logger.js';

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
});
