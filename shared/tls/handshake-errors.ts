/**
 * Turns a failed TLS handshake, as grpc-js reports it (UNAVAILABLE with Node's or OpenSSL's
 * reason buried in the details), into one sentence that says what is wrong and what to do.
 */

interface HandshakeProblem {
  readonly pattern: RegExp;
  readonly explain: (peer: string) => string;
}

// Reasons as Node/OpenSSL word them (client side of grpc-js), most specific first.
const HANDSHAKE_PROBLEMS: readonly HandshakeProblem[] = [
  {
    pattern: /alert certificate required|peer did not return a certificate/i,
    explain: (peer) =>
      `${peer} requires a client certificate (mutual TLS) and this client sent none: set tls.cert and tls.key to a certificate issued by the consortium CA`,
  },
  {
    pattern:
      /alert (unknown ca|bad certificate|certificate unknown|certificate expired|certificate revoked|unsupported certificate)/i,
    explain: (peer) =>
      `${peer} refused this client's certificate: it must be issued by the consortium CA, be a client certificate and be within its validity dates (tls.cert)`,
  },
  {
    pattern: /certificate has expired/i,
    explain: (peer) =>
      `the certificate presented by ${peer} (or its CA) has expired: the operator must issue a new one`,
  },
  {
    pattern: /certificate is not yet valid/i,
    explain: (peer) =>
      `the certificate presented by ${peer} is not valid yet: check the clocks of both machines`,
  },
  {
    pattern: /ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate's altnames/i,
    explain: (peer) =>
      `the certificate presented by ${peer} does not name the address this client dials: connect using a DNS name or IP address the certificate lists, or reissue it with that name (fedflow certs server --dns/--ip)`,
  },
  {
    pattern:
      /self[- ]signed certificate|unable to get local issuer certificate|unable to verify the first certificate|certificate signature failure|unable to get issuer certificate/i,
    explain: (peer) =>
      `the certificate presented by ${peer} is not signed by the CA this client trusts (tls.ca): check that tls.ca is the consortium's CA certificate`,
  },
  {
    pattern: /unsupported certificate purpose/i,
    explain: (peer) =>
      `the certificate presented by ${peer} is not a server certificate (no serverAuth usage): the operator must use one made with fedflow certs server`,
  },
  {
    pattern: /wrong version number|packet length too long|http request|unknown protocol/i,
    explain: (peer) =>
      `${peer} does not speak TLS: enable TLS on the coordinator, or disable it on this client (tls.enabled) only on a trusted network`,
  },
  {
    // grpc-js's text when the connection closed during the handshake without an alert: Node
    // servers drop a client whose certificate they reject (unknown CA, expired) this way.
    pattern: /Last error: Failed to connect/,
    explain: (peer) =>
      `${peer} closed the connection during the TLS handshake: it most likely refused this client's certificate (mutual TLS: tls.cert must be a client certificate from the consortium CA and not expired), or it does not use TLS`,
  },
];

/**
 * One sentence for a failed call whose cause is a TLS handshake problem (a gRPC UNAVAILABLE
 * from grpc-js, or a FedflowError wrapping one), or undefined when it is not one. Call it
 * only when TLS is enabled on this side.
 * @example log(describeTlsError(error, address) ?? (error as Error).message);
 */
export function describeTlsError(error: unknown, address?: string): string | undefined {
  const text = errorTexts(error).join('\n');
  const problem = HANDSHAKE_PROBLEMS.find((p) => p.pattern.test(text));
  if (problem === undefined) return undefined;
  const peer = address ? `the server at ${address}` : 'the server';
  const reason = handshakeReason(text);
  return `TLS handshake failed: ${problem.explain(peer)}${reason ? ` (${reason})` : ''}`;
}

function errorTexts(error: unknown, depth = 0): string[] {
  if (typeof error !== 'object' || error === null || depth > 4)
    return typeof error === 'string' ? [error] : [];
  const { message, details, cause } = error as {
    message?: unknown;
    details?: unknown;
    cause?: unknown;
  };
  const own = [message, details].filter((t): t is string => typeof t === 'string');
  return [...own, ...errorTexts(cause, depth + 1)];
}

// The library's reason without grpc-js's framing, OpenSSL's source location or timestamps.
function handshakeReason(text: string): string | undefined {
  const last =
    /Last error: ([\s\S]*?)(?: \(\d{4}-\d\d-\d\dT[^)]*\))?\.?(?: Resolution note:|$)/.exec(
      text,
    )?.[1];
  if (last === undefined) return undefined;
  const openssl = /SSL routines:[^:]*:([^:]+):/.exec(last)?.[1];
  if (openssl !== undefined) return openssl.trim();
  const reason = last.replace(/^Error(?: \[[A-Z_]+\])?: /, '').trim();
  // grpc-js's own placeholder says nothing the sentence does not.
  return reason === '' || reason === 'Failed to connect' ? undefined : reason;
}
