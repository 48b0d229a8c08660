/** What the commands that read flow files set up first: the backend, the reader's options. */
import { loadCsvMapping } from '../shared/flows/builtin-schemas.js';
import type { ReadOptions } from '../shared/flows/readers.js';
import { describeIssue, type RowIssue } from '../shared/flows/schema.js';
import {
  type BackendReport,
  describeBackend,
  initBackend,
  parseBackendChoice,
} from '../shared/runtime/backend.js';
import type { FlowFileOptions } from './flow-options.js';

/** Initialises the configured backend and says which one runs (on stderr). */
export async function startBackend(choice: string): Promise<BackendReport> {
  const backend = await initBackend(parseBackendChoice(choice, 'backend'));
  process.stderr.write(`${describeBackend(backend)}\n`);
  return backend;
}

/** Reader options: malformed rows are reported on stderr (the first 20) and counted. */
export async function readOptions(
  options: FlowFileOptions,
  maxBadShare: number,
): Promise<ReadOptions> {
  if (options.format === 'csv' && !options.csvSchema)
    throw new Error('--format csv needs --csv-schema FILE to map columns');
  let reported = 0;
  return {
    maxBadShare,
    csvMapping: options.csvSchema ? await loadCsvMapping(options.csvSchema) : undefined,
    onBadRow(issue: RowIssue) {
      if (reported++ < 20) process.stderr.write(`skipped malformed row: ${describeIssue(issue)}\n`);
      else if (reported === 21)
        process.stderr.write('(further malformed rows are counted, not shown)\n');
    },
  };
}
