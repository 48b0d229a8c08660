import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { participate } from '../../client/agent/participation.js';
import { CoordinatorConnection } from '../../client/transport/coordinator-connection.js';
import { generateIdentity, publicIdentity } from '../../shared/crypto/identity.js';
import {
  type CertificateBundle,
  createCa,
  issueCertificate,
} from '../../shared/tls/certificates.js';
import {
  clientCredentials,
  serverCredentials,
  tlsChannelOptions,
} from '../../shared/tls/credentials.js';
import { describeTlsError } from '../../shared/tls/handshake-errors.js';
import { FedflowError } from '../../shared/wire/errors.js';
import type { Challenge__Output } from '../../shared/wire/generated/fedflow/v1/Challenge.js';
import type { FederationHandlers } from '../../shared/wire/generated/fedflow/v1/Federation.js';
import { loadFederation } from '../../shared/wire/proto-loader.js';
import { wrapClientStream, wrapServerStream, wrapUnary } from '../../shared/wire/status.js';

const CALL_DEADLINE_MS = 5_000;
const DAY_MS = 24 * 60 * 60_000;
const CHALLENGE = Buffer.from('fixed challenge');

const unimplemented = async (): Promise<never> => {
  throw new FedflowError('unimplemented', 'not in this test server');
};

/** The federation service with only GetChallenge answering (a fixed challenge). */
const handlers: FederationHandlers = {
  GetChallenge: wrapUnary(async () => ({
    challenge: CHALLENGE,
    coordinatorSignKey: Buffer.alloc(32),
    coordinatorBoxKey: Buffer.alloc(32),
  })),
  Enrol: wrapUnary(unimplemented),
  WaitForTask: wrapServerStream(unimplemented),
  FetchModel: wrapServerStream(unimplemented),
  SubmitResult: wrapClientStream(unimplemented),
};

async function startServer(credentials: grpc.ServerCredentials) {
  const server = new grpc.Server();
  server.addService(loadFederation().fedflow.v1.Federation.service, handlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', credentials, (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return { server, port };
}

/** One GetChallenge call; resolves with the answer or the gRPC error. */
async function getChallenge(
  address: string,
  credentials: grpc.ChannelCredentials,
  options: grpc.ChannelOptions = tlsChannelOptions('localhost'),
): Promise<Challenge__Output | grpc.ServiceError> {
  const client = new (loadFederation().fedflow.v1.Federation)(address, credentials, options);
  try {
    return await new Promise((resolve) =>
      client.getChallenge(
        {},
        { deadline: new Date(Date.now() + CALL_DEADLINE_MS) },
        (error, response) => resolve(error ?? response!),
      ),
    );
  } finally {
    client.close();
  }
}

function expectChallenge(result: Challenge__Output | grpc.ServiceError): void {
  expect(result).not.to.be.instanceOf(Error);
  expect(Buffer.from((result as Challenge__Output).challenge)).to.deep.equal(CHALLENGE);
}

/** Expects a failed handshake (UNAVAILABLE) and returns its one-sentence description. */
function expectRefused(result: Challenge__Output | grpc.ServiceError, address: string): string {
  expect(result).to.be.instanceOf(Error);
  expect((result as grpc.ServiceError).code).to.equal(grpc.status.UNAVAILABLE);
  const sentence = describeTlsError(result, address);
  expect(sentence, (result as Error).message).to.be.a('string');
  return sentence!;
}

describe('gRPC over TLS on loopback', function () {
  this.timeout(30_000);
  let ca: CertificateBundle;
  let otherCa: CertificateBundle;
  let serverCert: CertificateBundle;
  const servers: grpc.Server[] = [];

  before(async () => {
    ca = await createCa('test consortium CA', 30);
    otherCa = await createCa('another CA', 30);
    serverCert = await issueCertificate(ca, {
      commonName: 'coordinator',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
      role: 'server',
      validDays: 10,
    });
  });
  after(() => {
    for (const server of servers) server.forceShutdown();
  });

  async function tlsServer(certificate: CertificateBundle, requireClientCert: boolean) {
    const { server, port } = await startServer(
      serverCredentials({ caPem: ca.certPem, ...certificate, requireClientCert }),
    );
    servers.push(server);
    return `127.0.0.1:${port}`;
  }

  describe('server authentication', () => {
    let address: string;
    before(async () => {
      address = await tlsServer(serverCert, false);
    });

    it('serves a client that trusts the server’s CA', async () => {
      expectChallenge(await getChallenge(address, clientCredentials({ caPem: ca.certPem })));
    });

    it('serves a client that dials the IP address the certificate lists', async () => {
      // Node warns once (DEP0123) when the TLS server name is an IP address; noise here.
      const noDeprecation = process.noDeprecation;
      process.noDeprecation = true;
      try {
        expectChallenge(await getChallenge(address, clientCredentials({ caPem: ca.certPem }), {}));
      } finally {
        process.noDeprecation = noDeprecation;
      }
    });

    it('fails a client that trusts another CA, saying the certificate is not from its CA', async () => {
      const result = await getChallenge(address, clientCredentials({ caPem: otherCa.certPem }));
      expect(expectRefused(result, address)).to.match(
        /^TLS handshake failed: the certificate presented by the server at 127\.0\.0\.1:\d+ is not signed by the CA this client trusts \(tls\.ca\)/,
      );
    });

    it('gives up after a bounded number of TLS failures, having said why once', async () => {
      const site = generateIdentity('client', 'site-a');
      const coordinator = generateIdentity('coordinator', 'coordinator');
      const lines: string[] = [];
      const connection = new CoordinatorConnection(address, site, publicIdentity(coordinator), {
        credentials: clientCredentials({ caPem: otherCa.certPem }),
      });
      let error: Error | null = null;
      try {
        await participate({
          connection,
          worker: {} as never, // never reached: no enrolment succeeds
          reconnect: { initialMs: 5, maxMs: 20, tlsAttempts: 3 },
          log: (line) => lines.push(line),
        });
      } catch (caught) {
        error = caught as Error;
      } finally {
        connection.close();
      }
      expect(error?.message).to.match(
        /^TLS handshake failed: the certificate presented by the server at .* is not signed by the CA this client trusts.*; gave up after 3 attempts$/,
      );
      expect(lines).to.have.length(1);
      expect(lines[0]).to.match(
        /^warning: TLS handshake failed: .*; trying 2 more times before giving up$/,
      );
    });

    it('fails a client that expects another server name', async () => {
      const result = await getChallenge(
        address,
        clientCredentials({ caPem: ca.certPem }),
        tlsChannelOptions('coordinator.example.org'),
      );
      expect(expectRefused(result, address)).to.match(
        /does not name the address this client dials/,
      );
    });

    it('fails a client when the server’s certificate has expired', async () => {
      const expired = await issueCertificate(ca, {
        commonName: 'coordinator',
        dnsNames: ['localhost'],
        role: 'server',
        validDays: 1,
        notBefore: new Date(Date.now() - 5 * DAY_MS),
      });
      const expiredAddress = await tlsServer(expired, false);
      const result = await getChallenge(expiredAddress, clientCredentials({ caPem: ca.certPem }));
      expect(expectRefused(result, expiredAddress)).to.match(
        /the certificate presented by the server at .* \(or its CA\) has expired.*\(certificate has expired\)$/,
      );
    });

    it('fails a TLS client that reaches a server without TLS, saying so', async () => {
      const { server, port } = await startServer(grpc.ServerCredentials.createInsecure());
      servers.push(server);
      const plainAddress = `127.0.0.1:${port}`;
      const result = await getChallenge(plainAddress, clientCredentials({ caPem: ca.certPem }));
      expect(expectRefused(result, plainAddress)).to.match(/does not speak TLS/);
    });
  });

  describe('mutual TLS', () => {
    let address: string;
    before(async () => {
      address = await tlsServer(serverCert, true);
    });

    it('refuses a client without a certificate, saying one is required', async () => {
      const result = await getChallenge(address, clientCredentials({ caPem: ca.certPem }));
      expect(expectRefused(result, address)).to.match(
        /requires a client certificate \(mutual TLS\) and this client sent none/,
      );
    });

    it('serves a client whose certificate the consortium CA issued', async () => {
      const site = await issueCertificate(ca, {
        commonName: 'site-a',
        role: 'client',
        validDays: 5,
      });
      expectChallenge(
        await getChallenge(address, clientCredentials({ caPem: ca.certPem, ...site })),
      );
    });

    it('refuses a client whose certificate another CA issued', async () => {
      const stranger = await issueCertificate(otherCa, {
        commonName: 'site-x',
        role: 'client',
        validDays: 5,
      });
      const result = await getChallenge(
        address,
        clientCredentials({ caPem: ca.certPem, ...stranger }),
      );
      expect(expectRefused(result, address)).to.match(
        /refused this client's certificate|closed the connection during the TLS handshake/,
      );
    });
  });
});
