/** Standard padded base64 (RFC 4648 section 4) for keys in JSON files, decoded strictly. */

const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Encodes bytes as padded base64. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Decodes padded base64, refusing anything else. Buffer's own decoder skips invalid
 * characters and accepts missing padding, so a damaged key would decode to other bytes
 * instead of failing; the round trip check also refuses non-zero padding bits, so each key
 * has exactly one text form.
 */
export function fromBase64(text: string): Uint8Array {
  if (!CANONICAL_BASE64.test(text)) throw new SyntaxError('expected padded base64 text');
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text)
    throw new SyntaxError('expected canonical base64 (non-zero padding bits)');
  return new Uint8Array(bytes);
}
