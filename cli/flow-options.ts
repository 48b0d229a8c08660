/** Command-line options shared by the commands that read flow files. */
import { type Command, Option } from 'commander';
import { loadCsvMapping } from '../shared/flows/builtin-schemas.js';
import { FLOW_FORMATS, type FlowFormat } from '../shared/flows/formats.js';
import type { ReadOptions } from '../shared/flows/readers.js';
import { describeIssue, type RowIssue } from '../shared/flows/schema.js';
import {
  type BackendReport,
  describeBackend,
  initBackend,
  parseBackendChoice,
} from '../shared/runtime/backend.js';

export interface FlowFileOptions {
  data: string[];
  format: FlowFormat;
  csvSchema?: string;
  config?: string;
  backend?: string;
}

export function addFlowOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--data <file...>',
        "flow files to read (gzip is recognised and read as is; '-' reads standard input)",
      )
        .argParser(collectDataFiles)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--format <format>', 'input format')
        .choices([...FLOW_FORMATS])
        .makeOptionMandatory(),
    )
    .option('--csv-schema <file>', 'JSON column mapping for --format csv (see docs/formats.md)')
    .option('--config <file>', 'settings file (JSON); see config/local.example.json')
    .option('--backend <name>', 'TensorFlow.js backend: auto, tensorflow, wasm, cpu');
}

/** `--data` values, in order: '-' is standard input, read through /dev/stdin as a pipe. */
function collectDataFiles(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value === '-' ? STDIN_PATH : value];
}

const STDIN_PATH = '/dev/stdin';

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
