/** What the commands that read flow files set up first: the backend, the reader's options. */
import type { Logger } from 'pino';
import { loadCsvMapping } from '../shared/flows/builtin-schemas.js';
import type { ReadOptions } from '../shared/flows/readers.js';
import type { RowIssue } from '../shared/flows/schema.js';
import {
  type BackendReport,
  describeBackend,
  initBackend,
  parseBackendChoice,
} from '../shared/runtime/backend.js';
import type { FlowFileOptions } from './flow-options.js';
import { processLogger } from './logging.js';

/** Malformed rows logged one by one; the rest are counted (and the count logged at the end). */
const BAD_ROWS_LOGGED = 20;

/** Initialises the configured backend and logs which one runs. */
export async function startBackend(
  choice: string,
  log: Logger = processLogger(),
): Promise<BackendReport> {
  const backend = await initBackend(parseBackendChoice(choice, 'backend'));
  log.info(describeBackend(backend));
  return backend;
}

/**
 * Reader options: malformed rows are logged as warnings (the first 20) and counted; `onProgress`
 * hears of the rows read as they are.
 */
export async function readOptions(
  options: FlowFileOptions,
  maxBadShare: number,
  {
    onProgress,
    log = processLogger(),
  }: { onProgress?: ReadOptions['onProgress']; log?: Logger } = {},
): Promise<ReadOptions> {
  if (options.format === 'csv' && !options.csvSchema)
    throw new Error('--format csv needs --csv-schema FILE to map columns');
  let reported = 0;
  return {
    maxBadShare,
    csvMapping: options.csvSchema ? await loadCsvMapping(options.csvSchema) : undefined,
    onBadRow(issue: RowIssue) {
      if (reported++ < BAD_ROWS_LOGGED) log.warn({ ...issue }, 'skipped malformed row');
      else if (reported === BAD_ROWS_LOGGED + 1)
        log.warn('further malformed rows are counted, not logged');
    },
    ...(onProgress ? { onProgress } : {}),
  };
}
