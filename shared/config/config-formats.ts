/** Convict formats whose errors name the setting and say what it must be. */
import { MAX_LAST_CONNECTIONS } from '../flows/traffic-features.js';

/** A positive number (an integer when asked). */
export const positive = (name: string, integer: boolean) => (value: unknown) => {
  if (typeof value !== 'number' || !(value > 0) || (integer && !Number.isInteger(value))) {
    throw new Error(
      `${name} must be a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(value)}`,
    );
  }
};
/** A number in [min, max] (an integer when asked): a published local training setting. */
export const within =
  (name: string, min: number, max: number, integer: boolean) => (value: unknown) => {
    if (
      typeof value !== 'number' ||
      !(value >= min && value <= max) ||
      (integer && !Number.isInteger(value))
    ) {
      throw new Error(
        `${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got ${JSON.stringify(value)}`,
      );
    }
  };

/** One of a few allowed values. */
export const oneOf = (name: string, allowed: readonly unknown[]) => (value: unknown) => {
  if (!allowed.includes(value))
    throw new Error(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
};

/** How many of each host's last connections traffic features describe (0: none). */
export const lastConnectionsCount = (name: string) => within(name, 0, MAX_LAST_CONNECTIONS, true);
