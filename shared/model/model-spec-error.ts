/**
 * A model spec that cannot be used, with where it came from and what is wrong. Its own module
 * (no imports) so code that must not reach the encoder, such as a site's network code, can
 * still raise it.
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
