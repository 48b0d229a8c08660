#!/usr/bin/env node
/** The `fedflow` command-line program. */
import { buildProgram } from './program.js';

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    // Expected failures (bad input, bad config) print one clear line; a stack helps nobody there.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`fedflow: ${message}\n`);
    if (process.env.FEDFLOW_DEBUG && error instanceof Error)
      process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  });
