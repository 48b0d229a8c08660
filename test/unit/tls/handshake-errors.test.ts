import { expect } from 'chai';
import { describeTlsError } from '../../../shared/tls/handshake-errors.js';
import { FedflowError } from '../../../shared/wire/errors.js';

describe('describeTlsError', () => {
  // Details as grpc-js 1.14 reports them on Node 20 (captured from real handshakes).
  const unavailable = (lastError: string) => ({
    code: 14,
    details: `No connection established. Last error: ${lastError}. Resolution note: `,
    message: `14 UNAVAILABLE: No connection established. Last error: ${lastError}. Resolution note: `,
  });
  const cases: [string, string, RegExp][] = [
    [
      'a server certificate from another CA',
      'Error: self-signed certificate in certificate chain',
      /not signed by the CA this client trusts \(tls\.ca\).*\(self-signed certificate in certificate chain\)$/,
    ],
    [
      'an expired server certificate',
      'Error: certificate has expired',
      /certificate presented by the server at 127\.0\.0\.1:7700 \(or its CA\) has expired/,
    ],
    [
      'a server certificate for another name',
      "Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list: ",
      /does not name the address this client dials/,
    ],
    [
      'no client certificate where one is required',
      '804C6CBFEE7F0000:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 116\n (2026-11-22T12:25:26.761Z)',
      /requires a client certificate \(mutual TLS\) and this client sent none.*\(tlsv13 alert certificate required\)$/,
    ],
    [
      'a refused client certificate',
      'Failed to connect (2026-11-22T12:25:26.774Z)',
      /closed the connection during the TLS handshake: it most likely refused this client's certificate.*does not use TLS$/,
    ],
    [
      'a server without TLS',
      'Error: 804C6CBFEE7F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n',
      /does not speak TLS.*\(wrong version number\)$/,
    ],
  ];
  for (const [what, lastError, expected] of cases)
    it(`explains ${what} in one sentence`, () => {
      const sentence = describeTlsError(unavailable(lastError), '127.0.0.1:7700');
      expect(sentence).to.match(/^TLS handshake failed: /);
      expect(sentence).to.match(expected);
      expect(sentence).not.to.include('\n');
    });

  it('reads through a FedflowError that wraps the gRPC error', () => {
    const grpcError = unavailable('Error: certificate has expired');
    const wrapped = new FedflowError('unavailable', grpcError.details, { cause: grpcError });
    expect(describeTlsError(wrapped)).to.match(
      /the certificate presented by the server \(or its CA\) has expired/,
    );
  });

  it('leaves errors that are not about TLS alone', () => {
    expect(
      describeTlsError(
        unavailable('connect ECONNREFUSED 127.0.0.1:7700 (2026-11-22T12:25:26.774Z)'),
      ),
    ).to.equal(undefined);
    expect(describeTlsError(new FedflowError('unauthenticated', 'unknown session'))).to.equal(
      undefined,
    );
    expect(describeTlsError(undefined)).to.equal(undefined);
  });
});
