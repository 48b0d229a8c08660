/**
 * gRPC TLS credentials for the coordinator (server) and the sites (clients), from PEM text or
 * from files checked by loadTlsFiles.
 */
import * as grpc from '@grpc/grpc-js';
import {
  loadTlsFiles,
  OID_CLIENT_AUTH,
  OID_SERVER_AUTH,
  requirePurpose,
  type TlsFilePaths,
  type TlsMaterial,
} from './tls-files.js';

/**
 * Server credentials: the server's certificate and key, and, with `requireClientCert`, the CA
 * that must have issued every client's certificate (mutual TLS).
 * @example server.bindAsync(address, serverCredentials({ ...tls, requireClientCert: true }), cb);
 */
export function serverCredentials(options: {
  readonly caPem?: string;
  readonly certPem: string;
  readonly keyPem: string;
  readonly requireClientCert: boolean;
}): grpc.ServerCredentials {
  if (options.requireClientCert && !options.caPem)
    throw new Error(
      'requiring client certificates (mutual TLS) needs the CA that issues them (tls.ca)',
    );
  return grpc.ServerCredentials.createSsl(
    options.caPem ? Buffer.from(options.caPem) : null,
    [{ private_key: Buffer.from(options.keyPem), cert_chain: Buffer.from(options.certPem) }],
    options.requireClientCert,
  );
}

/**
 * Channel credentials: trust `caPem` (or, without it, the system's public roots) and, for
 * mutual TLS, present this site's certificate and key.
 * @example new Federation(address, clientCredentials({ caPem, certPem, keyPem }));
 */
export function clientCredentials(options: {
  readonly caPem?: string;
  readonly certPem?: string;
  readonly keyPem?: string;
}): grpc.ChannelCredentials {
  if (!options.certPem !== !options.keyPem)
    throw new Error('a client certificate and its private key go together: give both or neither');
  return grpc.credentials.createSsl(
    options.caPem ? Buffer.from(options.caPem) : null,
    options.keyPem ? Buffer.from(options.keyPem) : null,
    options.certPem ? Buffer.from(options.certPem) : null,
  );
}

/**
 * The coordinator's credentials from files: its certificate (which must be usable by a
 * server) and key, and with `requireClientCert` the CA of the sites' certificates.
 * @example loadServerCredentials({ ca: config.tls.ca, cert: config.tls.cert, key: config.tls.key, requireClientCert: config.tls.requireClientCert })
 */
export function loadServerCredentials(
  paths: TlsFilePaths & { readonly requireClientCert: boolean },
): { credentials: grpc.ServerCredentials; material: TlsMaterial } {
  if (!paths.cert || !paths.key)
    throw new Error(
      'TLS on the coordinator needs its certificate and key files (tls.cert, tls.key)',
    );
  if (paths.requireClientCert && !paths.ca)
    throw new Error(
      'tls.requireClientCert needs the CA that issues the sites’ certificates (tls.ca)',
    );
  const material = loadTlsFiles(paths);
  requirePurpose(paths.cert, material.certificate!, OID_SERVER_AUTH, 'a server (serverAuth)');
  const credentials = serverCredentials({
    caPem: material.caPem,
    certPem: material.certPem!,
    keyPem: material.keyPem!,
    requireClientCert: paths.requireClientCert,
  });
  return { credentials, material };
}

/**
 * A site's credentials from files: the CA to trust (empty: the system's public roots) and,
 * for mutual TLS, its certificate (which must be usable by a client) and key.
 * @example loadClientCredentials({ ca: config.tls.ca, cert: config.tls.cert, key: config.tls.key })
 */
export function loadClientCredentials(paths: TlsFilePaths): {
  credentials: grpc.ChannelCredentials;
  material: TlsMaterial;
} {
  const material = loadTlsFiles(paths);
  if (material.certificate)
    requirePurpose(paths.cert!, material.certificate, OID_CLIENT_AUTH, 'a client (clientAuth)');
  return { credentials: clientCredentials(material), material };
}

/**
 * Channel options that make a client verify the server's certificate against `serverName`
 * instead of the host it dials (e.g. dial 10.0.0.5, expect coordinator.example.org). Also
 * avoids Node's DEP0123 warning, which dialling an IP address with TLS prints once.
 * @example new Federation('10.0.0.5:7700', credentials, tlsChannelOptions('coordinator.example.org'));
 */
export function tlsChannelOptions(serverName?: string): grpc.ChannelOptions {
  return serverName ? { 'grpc.ssl_target_name_override': serverName } : {};
}
