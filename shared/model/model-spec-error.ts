/**
 * A model spec that cannot be used, with where it came from and what is wrong, and the parse
 * of a spec's text. Their own module (no imports) so code that must not reach the encoder,
 * such as a site's network code, can still raise it.
 */
export class ModelSpecError extends Error {
  constructor(
    readonly source: string,
    readonly problem: string,
  ) {
    super(`${source}: ${problem}`);
    this.name = 'ModelSpecError';
  }
}

/** The JSON value of a spec's text; a ModelSpecError naming `source` if it is not JSON. */
export function parseSpecJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ModelSpecError(source, `the spec is not JSON: ${(error as Error).message}`);
  }
}
