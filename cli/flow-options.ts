/** Command-line options shared by the commands that read flow files (definitions only). */
import { type Command, Option } from 'commander';
import { FLOW_FORMATS, type FlowFormat } from '../shared/flows/formats.js';

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
