/**
 * The dashboard's access token: where a request carries it and how it is compared. Browsers
 * cannot set headers on a page load or an EventSource, so the query string is accepted too.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Tokens shorter than this are refused at start-up: they could be guessed. */
export const MIN_TOKEN_LENGTH = 16;

/**
 * A fresh random token (32 URL-safe characters), e.g. for `simulate`.
 *
 * @example startDashboard({ ..., token: generateDashboardToken() })
 */
export function generateDashboardToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The token from `Authorization: Bearer TOKEN`, else from `?token=TOKEN`; null when neither. */
export function tokenFromRequest(req: IncomingMessage, url: URL): string | null {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match === null ? null : match[1]!;
  }
  return url.searchParams.get('token');
}

/**
 * Whether `offered` equals `expected`, in time independent of where they differ. Both are
 * hashed first so `timingSafeEqual` sees equal-length buffers and the length does not leak.
 */
export function tokensMatch(offered: string | null, expected: string): boolean {
  if (offered === null) return false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(offered), digest(expected));
}
