#!/usr/bin/env node
/** The `fedflow` command-line program. */
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';

const HELP_OR_VERSION = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

buildProgram()
  .parseAsync(process.argv)
  .catch(async (error: unknown) => {
    if (error instanceof CommanderError && HELP_OR_VERSION.has(error.code)) {
      process.exitCode = error.exitCode; // commander wrote what was asked (or the help for none)
      return;
    }
    // Expected failures (bad input, bad config) are one clear error line; a stack helps nobody
    // there. The error is the command's last log line, at level 50 in JSON.
    const { processLogger } = await import('./logging.js');
    const { stderrTerminal } = await import('./progress/terminal.js');
    stderrTerminal.stopBar();
    const message = error instanceof Error ? error.message : String(error);
    processLogger().error(errorFields(error), message.replace(/^error: /, ''));
    process.exitCode = error instanceof CommanderError ? error.exitCode : 1;
  });

/** The stack, with FEDFLOW_DEBUG set (the message already names the file and line of bad input). */
function errorFields(error: unknown): Record<string, unknown> {
  return process.env.FEDFLOW_DEBUG && error instanceof Error ? { stack: error.stack } : {};
}
