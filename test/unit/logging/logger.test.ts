import { expect } from 'chai';
import { logSettings, readableLogs } from '../../../shared/logging/log-settings.js';
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

  describe('settings: level, quiet and format', () => {
    it('logs info and above by default, as text on a terminal and JSON elsewhere', () => {
      expect(logSettings({}, true, {})).to.deep.equal({ level: 'info', format: 'text' });
      expect(logSettings({}, false, {})).to.deep.equal({ level: 'info', format: 'json' });
    });

    it('takes --log-level over FEDFLOW_LOG_LEVEL, and FEDFLOW_LOG_FORMAT over the terminal', () => {
      const env = { FEDFLOW_LOG_LEVEL: 'debug', FEDFLOW_LOG_FORMAT: 'json' };
      expect(logSettings({}, true, env)).to.deep.equal({ level: 'debug', format: 'json' });
      expect(logSettings({ level: 'error' }, true, env).level).to.equal('error');
      expect(logSettings({}, false, { FEDFLOW_LOG_FORMAT: 'text' }).format).to.equal('text');
    });

    it('keeps warnings and errors only when quiet, and a stricter level if one was asked', () => {
      expect(logSettings({ quiet: true }, false, { FEDFLOW_LOG_LEVEL: 'debug' }).level).to.equal(
        'warn',
      );
      expect(logSettings({ quiet: true }, false, { FEDFLOW_LOG_LEVEL: 'error' }).level).to.equal(
        'error',
      );
    });

    it('names the setting and the values it takes when a level or format is unknown', () => {
      expect(() => logSettings({}, false, { FEDFLOW_LOG_LEVEL: 'loud' })).to.throw(
        "FEDFLOW_LOG_LEVEL: unknown value 'loud': expected one of trace, debug, info, warn, error, fatal, silent",
      );
      expect(() => logSettings({ level: 'chatty' }, false, {})).to.throw(/^--log-level: /);
      expect(() => logSettings({}, false, { FEDFLOW_LOG_FORMAT: 'xml' })).to.throw(
        "FEDFLOW_LOG_FORMAT: unknown value 'xml': expected one of json, text",
      );
    });

    it('counts as readable for a person what is text: a terminal, or FEDFLOW_LOG_FORMAT=text', () => {
      expect(readableLogs(true, {})).to.equal(true);
      expect(readableLogs(false, {})).to.equal(false);
      expect(readableLogs(true, { FEDFLOW_LOG_FORMAT: 'json' })).to.equal(false);
      expect(readableLogs(false, { FEDFLOW_LOG_FORMAT: 'text' })).to.equal(true);
    });

    it('writes only the events at or above its level', async () => {
      const { stream, lines } = fakeStream(false);
      const log = createLogger({}, stream, logSettings({ quiet: true }, false, {}));
      log.debug('detail');
      log.info('progress');
      log.warn('thin calibration');
      log.error('bad input');
      await new Promise((r) => setImmediate(r));
      const levels = lines.map((l) => JSON.parse(l).level);
      expect(levels).to.deep.equal([40, 50]);
    });

    it('writes text lines where asked even off a terminal, and JSON on a terminal where asked', async () => {
      const text = fakeStream(false);
      createLogger({}, text.stream, { level: 'info', format: 'text' }).info('hello');
      const json = fakeStream(true);
      createLogger({}, json.stream, { level: 'info', format: 'json' }).info('hello');
      await new Promise((r) => setImmediate(r));
      expect(text.lines.join('')).to.match(/^\d\d:\d\d:\d\d info hello\n$/);
      expect(JSON.parse(json.lines.join(''))).to.include({ level: 30, msg: 'hello' });
    });
  });
});
