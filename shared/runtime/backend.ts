/**
 * TensorFlow.js backend selection: native TensorFlow (`@tensorflow/tfjs-node`, an optional
 * dependency) when it loads, else WebAssembly, else plain JavaScript CPU. Only tfjs-core loads
 * up front; a backend's package loads when that backend is tried (a run loads what it uses).
 */
import { createRequire } from 'node:module';
import { tf } from './tf.js';

export const BACKEND_CHOICES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export type BackendName = Exclude<BackendChoice, 'auto'>;

export interface BackendReport {
  readonly name: BackendName;
  /** Why this backend runs, e.g. "forced by FEDFLOW_BACKEND" or why a better one was skipped. */
  readonly reason: string;
}

/** The environment variable that forces a backend (same values as `--backend`). */
export const BACKEND_ENV = 'FEDFLOW_BACKEND';

// A variable keeps TypeScript from resolving a module that may be absent by design.
const TFJS_NODE = '@tensorflow/tfjs-node';

// Each backend's CommonJS bundle is required, not imported, for the reason tf.ts gives.
const require = createRequire(import.meta.url);

const loaders: Record<BackendName, () => Promise<void>> = {
  async tensorflow() {
    // The TensorFlow C library writes its own info lines to stderr (oneDNN, CPU instructions);
    // 1 drops those, warnings and errors still show. An operator's own setting is kept.
    process.env.TF_CPP_MIN_LOG_LEVEL ??= '1';
    require(TFJS_NODE);
  },
  async wasm() {
    require('@tensorflow/tfjs-backend-wasm');
  },
  async cpu() {
    require('@tensorflow/tfjs-backend-cpu');
  },
};

let active: BackendReport | null = null;

export function parseBackendChoice(text: string, source: string): BackendChoice {
  if ((BACKEND_CHOICES as readonly string[]).includes(text)) return text as BackendChoice;
  throw new Error(
    `${source}: unknown backend '${text}': expected one of ${BACKEND_CHOICES.join(', ')}`,
  );
}

async function tryBackend(name: BackendName): Promise<string | null> {
  try {
    await loaders[name]();
    if (!(await tf.setBackend(name))) return 'it did not initialise';
    await tf.ready();
    return null;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return 'not installed';
    return error instanceof Error ? error.message.split('\n')[0]! : String(error);
  }
}

/**
 * Selects and initialises the backend once per process. `choice` defaults to the
 * FEDFLOW_BACKEND environment variable, then `auto`. A forced backend that fails is an error.
 *
 * @example const { name } = await initBackend(); // 'wasm' on a machine without tfjs-node
 */
export async function initBackend(choice?: BackendChoice): Promise<BackendReport> {
  const fromEnv = process.env[BACKEND_ENV];
  const wanted: BackendChoice =
    choice ?? (fromEnv ? parseBackendChoice(fromEnv, BACKEND_ENV) : 'auto');
  if (active && (wanted === 'auto' || wanted === active.name)) return active;
  if (wanted !== 'auto') {
    const failure = await tryBackend(wanted);
    if (failure) throw new Error(`backend '${wanted}' was requested but failed: ${failure}`);
    active = {
      name: wanted,
      reason: choice ? 'forced by configuration' : `forced by ${BACKEND_ENV}`,
    };
    return active;
  }
  const skipped: string[] = [];
  for (const name of ['tensorflow', 'wasm', 'cpu'] as const) {
    const failure = await tryBackend(name);
    if (!failure) {
      const reason = skipped.length ? `auto; ${skipped.join('; ')}` : 'auto';
      active = { name, reason };
      return active;
    }
    skipped.push(`${name === 'tensorflow' ? '@tensorflow/tfjs-node' : name} ${failure}`);
  }
  throw new Error(`no TensorFlow.js backend could start: ${skipped.join('; ')}`);
}

export function describeBackend(report: BackendReport): string {
  return `TensorFlow.js backend: ${report.name} (${report.reason})`;
}
