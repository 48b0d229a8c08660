/**
 * TensorFlow.js backend selection: native TensorFlow (`@tensorflow/tfjs-node`, an optional
 * dependency) when it loads, else WebAssembly, else plain JavaScript CPU.
 */
import * as tf from '@tensorflow/tfjs';

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

const loaders: Record<BackendName, () => Promise<void>> = {
  async tensorflow() {
    await import(TFJS_NODE);
  },
  async wasm() {
    await import('@tensorflow/tfjs-backend-wasm');
  },
  async cpu() {
    // The plain JavaScript backend ships inside @tensorflow/tfjs itself.
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
