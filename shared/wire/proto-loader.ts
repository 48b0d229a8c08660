/**
 * Loads the wire contract (proto/fedflow/v1) once: the typed gRPC service definition for
 * clients and servers, and the protobufjs types that encode the payloads carried as bytes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync, type Options } from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { packageRoot } from '../runtime/package-root.js';
import type { ProtoGrpcType } from './generated/federation.js';

const FEDERATION_PROTO = 'fedflow/v1/federation.proto';
const PAYLOADS_PROTO = 'fedflow/v1/payloads.proto';

/**
 * How decoded messages look. The generated types in ./generated assume exactly these options
 * (see proto/gen-types.mjs); change both together.
 */
export const LOADER_OPTIONS = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
} as const satisfies Options;

/** protobufjs types for the messages that travel as bytes inside other messages. */
export interface PayloadTypes {
  readonly ClientPayload: protobuf.Type;
  readonly ModelRelease: protobuf.Type;
  readonly SealedEnvelope: protobuf.Type;
  /** Enum numbers by name: protobufjs verifies and encodes enums as numbers. */
  readonly PayloadKind: protobuf.Enum;
}

/** The directory holding fedflow/v1/*.proto: proto/ at the package's root. */
export function protoDirectory(): string {
  const dir = join(packageRoot(import.meta.url), 'proto');
  if (!existsSync(join(dir, FEDERATION_PROTO))) {
    throw new Error(`cannot find ${FEDERATION_PROTO} in ${dir}`);
  }
  return dir;
}

let federation: ProtoGrpcType | undefined;
let payloadTypes: PayloadTypes | undefined;

/**
 * The typed gRPC package: `fedflow.v1.Federation` is both the client constructor and, as
 * `.service`, the definition to add to a server.
 *
 * @example const client = new (loadFederation().fedflow.v1.Federation)(address, credentials);
 */
export function loadFederation(): ProtoGrpcType {
  if (federation === undefined) {
    const definition = loadSync(FEDERATION_PROTO, {
      ...LOADER_OPTIONS,
      includeDirs: [protoDirectory()],
    });
    federation = loadPackageDefinition(definition) as unknown as ProtoGrpcType;
  }
  return federation;
}

/** protobufjs types of ClientPayload, ModelRelease and SealedEnvelope, loaded once. */
export function loadPayloadTypes(): PayloadTypes {
  if (payloadTypes === undefined) {
    const root = new protobuf.Root();
    const protoDir = protoDirectory();
    // Imports name paths relative to proto/, as protoc's include path would.
    root.resolvePath = (_origin, target) => join(protoDir, target);
    root.loadSync(PAYLOADS_PROTO, { keepCase: LOADER_OPTIONS.keepCase });
    payloadTypes = {
      ClientPayload: root.lookupType('fedflow.v1.ClientPayload'),
      ModelRelease: root.lookupType('fedflow.v1.ModelRelease'),
      SealedEnvelope: root.lookupType('fedflow.v1.SealedEnvelope'),
      PayloadKind: root.lookupEnum('fedflow.v1.PayloadKind'),
    };
  }
  return payloadTypes;
}
