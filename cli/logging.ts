/**
 * The one logger of a `fedflow` process. The program sets it up from its global options
 * (--log-level, --quiet) before a command runs; every command and role logs through it (roles
 * as a child with their `role` and `site`), to stderr, above any progress bar.
 */
import type { Logger } from 'pino';
import { type LogSettings, logSettings } from '../shared/logging/log-settings.js';
import { createLogger } from '../shared/logging/logger.js';
import { stderrTerminal } from './progress/terminal.js';

/** The program's global options that shape its logs. */
export interface LogOptions {
  logLevel?: string;
  quiet?: boolean;
}

let logger: Logger | null = null;

/**
 * Sets up the process's logger (the program does, before a command runs); throws for a level
 * or format it does not know. Node's own warnings then go through it too.
 */
export function setupLogging(options: LogOptions): LogSettings {
  const settings = logSettings(
    { level: options.logLevel, quiet: options.quiet },
    stderrTerminal.isTTY,
  );
  stderrTerminal.barsAllowed = !options.quiet;
  const log = createLogger({}, stderrTerminal, settings);
  logger = log;
  logNodeWarnings(log);
  return settings;
}

/**
 * Node's process warnings (a deprecation such as DEP0123, which dialling an IP address over
 * TLS raises) as events at 40 rather than plain lines in the log stream. Node prints them
 * with a 'warning' listener of its own, which this replaces; with --no-warnings there is none
 * and none is added.
 */
function logNodeWarnings(log: Logger): void {
  if (process.listenerCount('warning') === 0) return;
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error & { code?: string }) =>
    log.warn({ warning: warning.name, code: warning.code }, warning.message),
  );
}

/**
 * The process's logger; set up from the environment alone when the program did not (an
 * action called from a test, an error before any command ran).
 */
export function processLogger(): Logger {
  if (logger === null) {
    try {
      logger = createLogger({}, stderrTerminal, logSettings({}, stderrTerminal.isTTY));
    } catch {
      // A bad FEDFLOW_LOG_LEVEL or FEDFLOW_LOG_FORMAT must not hide the error being reported.
      const format = stderrTerminal.isTTY ? 'text' : 'json';
      logger = createLogger({}, stderrTerminal, { level: 'info', format });
    }
  }
  return logger!;
}
