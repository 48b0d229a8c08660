/** What every bench part gets from bench/run.ts: which parts run, where results go, the flags. */
export interface BenchContext {
  /** Whether a part runs: named on the command line, or nothing named. */
  readonly runs: (name: string) => boolean;
  /** The parts named on the command line. */
  readonly wanted: readonly string[];
  /** Writes bench/results/<name>.json with the backend and machine named. */
  readonly save: (name: string, body: object) => void;
  readonly log: (line: string) => void;
  /** The built bench folder (dist/bench). */
  readonly here: string;
  readonly args: readonly string[];
  /** A comma-separated list of numbers after `flag`, or `fallback`. */
  readonly seedsFrom: (flag: string, fallback: number[]) => number[];
}
