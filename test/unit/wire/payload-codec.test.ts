import { expect } from 'chai';
import { dequantizeBlocks, quantizeBlocks } from '../../../shared/codec/block-quantizer.js';
import { seededUniform } from '../../../shared/codec/stochastic-rounding.js';
import type { SealedEnvelope } from '../../../shared/crypto/sealed-envelope.js';
import type {
  EncoderSketchPayload,
  ModelDeltaPayload,
  ScoreHistogramPayload,
} from '../../../shared/federation/messages.js';
import { WireError } from '../../../shared/wire/errors.js';
import {
  decodeClientPayload,
  decodeModelRelease,
  decodeSealedEnvelope,
  encodeClientPayload,
  encodeModelRelease,
  encodeSealedEnvelope,
  type ModelRelease,
} from '../../../shared/wire/payload-codec.js';
import { loadPayloadTypes } from '../../../shared/wire/proto-loader.js';

function pseudoRandomFloats(length: number): Float32Array {
  const values = new Float32Array(length);
  let state = 12345;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    values[i] = (state / 2147483648 - 0.5) * 1e-2;
  }
  return values;
}

describe('client payload codec', () => {
  it('round-trips an encoder sketch', () => {
    const sketch: EncoderSketchPayload = {
      kind: 'sketch',
      rows: 120_000,
      categorical: [
        { field: 'proto', values: ['tcp', 'udp', 'icmp'], counts: [100_000, 19_000, 1_000] },
        { field: 'service', values: [], counts: [] },
      ],
      numeric: [{ field: 'duration', counts: [0, 3.5, 1e6, 0] }],
    };

    const decoded = decodeClientPayload(encodeClientPayload(sketch));

    expect(decoded).to.deep.equal(sketch);
  });

  it('round-trips a model delta of 1,000,000 floats exactly', () => {
    const delta: ModelDeltaPayload = {
      kind: 'delta',
      modelVersion: 7,
      delta: pseudoRandomFloats(1_000_000),
      examples: 250_000,
      validationLoss: 12.375,
    };

    const bytes = encodeClientPayload(delta);
    const decoded = decodeClientPayload(bytes);

    // Packed float32: 4 bytes a value plus a few bytes of framing.
    expect(bytes.length).to.be.within(4_000_000, 4_000_040);
    expect(decoded.kind).to.equal('delta');
    const { delta: values, ...rest } = decoded as ModelDeltaPayload;
    expect(rest).to.deep.equal({
      kind: 'delta',
      modelVersion: 7,
      examples: 250_000,
      validationLoss: 12.375,
    });
    expect(values).to.be.instanceOf(Float32Array);
    expect(Buffer.from(values.buffer).equals(Buffer.from(delta.delta.buffer))).to.equal(true);
  });

  it('round-trips a score histogram', () => {
    const histogram: ScoreHistogramPayload = {
      kind: 'histogram',
      modelVersion: 3,
      counts: [0, 10, 250.5, 3],
      flows: 263,
    };

    expect(decodeClientPayload(encodeClientPayload(histogram))).to.deep.equal(histogram);
  });

  for (const bits of [8, 4] as const) {
    it(`sends a ${bits}-bit delta as its codes and scales, and decodes the values they stand for`, () => {
      const values = pseudoRandomFloats(100_000);
      const quantized = quantizeBlocks(values, bits, seededUniform(1));
      const delta: ModelDeltaPayload = {
        kind: 'delta',
        modelVersion: 2,
        delta: dequantizeBlocks(quantized),
        quantized,
        examples: 10,
        validationLoss: 1.5,
      };
      const bytes = encodeClientPayload(delta);
      const float32Bytes = encodeClientPayload({ ...delta, quantized: undefined }).length;
      expect(bytes.length / float32Bytes).to.be.below(bits === 8 ? 0.26 : 0.135);
      const decoded = decodeClientPayload(bytes) as ModelDeltaPayload;
      expect([...decoded.delta]).to.deep.equal([...delta.delta]);
      expect(decoded.quantized?.bits).to.equal(bits);
      expect([...decoded.quantized!.scales]).to.deep.equal([...quantized.scales]);
    });
  }

  it('refuses a delta carrying both float32 values and codes, and codes that do not add up', () => {
    const types = loadPayloadTypes();
    const quantized = quantizeBlocks(pseudoRandomFloats(300), 8, seededUniform(1));
    const wire = (patch: object) =>
      types.ClientPayload.encode({
        delta: {
          modelVersion: 1,
          examples: 1,
          quantizedDelta: {
            bits: 8,
            length: 300,
            blockSize: quantized.blockSize,
            scales: { littleEndian: new Uint8Array(quantized.scales.buffer) },
            codes: quantized.codes,
          },
          ...patch,
        },
      }).finish();
    expect(decodeClientPayload(wire({})).kind).to.equal('delta');
    expect(() =>
      decodeClientPayload(wire({ delta: { littleEndian: new Uint8Array(4) } })),
    ).to.throw(WireError, 'expected a ModelDelta with delta or quantized_delta, got both');
    const short = {
      bits: 8,
      length: 301,
      blockSize: quantized.blockSize,
      scales: { littleEndian: new Uint8Array(quantized.scales.buffer) },
      codes: quantized.codes,
    };
    expect(() => decodeClientPayload(wire({ quantizedDelta: short }))).to.throw(
      WireError,
      'malformed quantized delta: 301 values of 8 bits need 301 bytes of codes, got 300',
    );
  });

  it('round-trips a masked delta as 32-bit words, and refuses bytes that are not whole words', () => {
    const masked = Uint32Array.from({ length: 1001 }, (_, i) => (i * 2654435761) >>> 0);
    const decoded = decodeClientPayload(
      encodeClientPayload({ kind: 'masked-delta', modelVersion: 3, masked }),
    );
    expect(decoded).to.deep.equal({ kind: 'masked-delta', modelVersion: 3, masked });
    const odd = loadPayloadTypes()
      .ClientPayload.encode({
        maskedDelta: { modelVersion: 3, maskedLittleEndian: new Uint8Array(7) },
      })
      .finish();
    expect(() => decodeClientPayload(odd)).to.throw(
      WireError,
      'expected a masked delta of a multiple of 4 bytes (32-bit words), got 7 bytes',
    );
  });

  it('keeps non-finite delta values for the coordinator to judge', () => {
    const delta: ModelDeltaPayload = {
      kind: 'delta',
      modelVersion: 1,
      delta: Float32Array.of(Number.NaN, Number.POSITIVE_INFINITY, -0),
      examples: 1,
      validationLoss: Number.NaN,
    };

    const decoded = decodeClientPayload(encodeClientPayload(delta)) as ModelDeltaPayload;

    expect(Array.from(decoded.delta)).to.deep.equal([Number.NaN, Number.POSITIVE_INFINITY, -0]);
    expect(decoded.validationLoss).to.be.NaN;
  });

  it('refuses to encode a negative count into an unsigned field', () => {
    const histogram: ScoreHistogramPayload = {
      kind: 'histogram',
      modelVersion: 1,
      counts: [1],
      flows: -1,
    };

    expect(() => encodeClientPayload(histogram)).to.throw(
      WireError,
      'expected flows to be a non-negative integer, got -1',
    );
  });

  it('rejects bytes that are not a protobuf message', () => {
    const garbage = Uint8Array.of(0x12, 0xff, 0xff, 0xff, 0x0f, 0x01);

    expect(() => decodeClientPayload(garbage)).to.throw(WireError, /malformed ClientPayload/);
  });

  it('rejects a truncated payload', () => {
    const bytes = encodeClientPayload({
      kind: 'histogram',
      modelVersion: 1,
      counts: [1, 2],
      flows: 3,
    });

    expect(() => decodeClientPayload(bytes.subarray(0, bytes.length - 3))).to.throw(
      WireError,
      /malformed ClientPayload/,
    );
  });

  it('rejects a payload without a body, such as one from a newer version', () => {
    // Field 9 does not exist in this version's oneof: protobuf skips it, leaving no body.
    const unknownBody = Uint8Array.of((9 << 3) | 2, 0);

    expect(() => decodeClientPayload(new Uint8Array(0))).to.throw(WireError, /got none/);
    expect(() => decodeClientPayload(unknownBody)).to.throw(WireError, /got none/);
  });

  it('carries the errors as invalid-argument', () => {
    try {
      decodeClientPayload(Uint8Array.of(0xff));
      expect.fail('decoding should have thrown');
    } catch (error) {
      expect(error).to.be.instanceOf(WireError);
      expect((error as WireError).code).to.equal('invalid-argument');
    }
  });
});

describe('model release codec', () => {
  it('round-trips a release with its float32 weights', () => {
    const release: ModelRelease = {
      version: 4,
      specJson: '{"latent":16}',
      weights: pseudoRandomFloats(10_001),
      thresholdsJson: '{"fpr=0.01":42.5}',
      createdMs: 1_763_800_000_000,
      weightsSha256: new Uint8Array(32).fill(7),
    };

    const decoded = decodeModelRelease(encodeModelRelease(release));

    expect(decoded).to.deep.equal(release);
  });

  it('round-trips a release relative to a base version with its quantised change', () => {
    const release: ModelRelease = {
      version: 5,
      specJson: '',
      weights: new Float32Array(0),
      thresholdsJson: '',
      createdMs: 1_763_800_000_000,
      weightsSha256: new Uint8Array(32).fill(9),
      base: {
        version: 4,
        weightsSha256: new Uint8Array(32).fill(3),
        delta: {
          bits: 8,
          length: 3,
          blockSize: 256,
          scales: Float32Array.of(0.5),
          codes: Uint8Array.of(1, 255, 127),
        },
      },
    };

    expect(decodeModelRelease(encodeModelRelease(release))).to.deep.equal(release);
  });

  it('stores the weights as little-endian float32', () => {
    const bytes = encodeModelRelease({
      version: 1,
      specJson: '{}',
      weights: Float32Array.of(1),
      thresholdsJson: '',
      createdMs: 0,
    });
    const message = loadPayloadTypes().ModelRelease.decode(bytes) as unknown as {
      weights: { littleEndian: Uint8Array };
    };

    expect(Array.from(message.weights.littleEndian)).to.deep.equal([0x00, 0x00, 0x80, 0x3f]);
  });

  it('rejects weights whose length is not a multiple of four bytes, and a release without weights', () => {
    const cut = loadPayloadTypes()
      .ModelRelease.encode({ version: 1, weights: { littleEndian: Uint8Array.of(1, 2, 3) } })
      .finish();
    expect(() => decodeModelRelease(cut)).to.throw(
      WireError,
      'expected the weights of a multiple of 4 bytes (float32), got 3 bytes',
    );
    const none = loadPayloadTypes().ModelRelease.encode({ version: 1 }).finish();
    expect(() => decodeModelRelease(none)).to.throw(
      WireError,
      'expected the weights as a Float32Vector, got none',
    );
  });
});

describe('float vectors on the wire', () => {
  it('encodes a delta and a release the same way: 4 little-endian bytes a value, exactly', () => {
    const values = Float32Array.of(1, -0.5, 3.4e38, 1e-45, Number.NaN, -0);
    const delta = loadPayloadTypes().ClientPayload.decode(
      encodeClientPayload({
        kind: 'delta',
        modelVersion: 1,
        delta: values,
        examples: 1,
        validationLoss: 0,
      }),
    ) as unknown as { delta: { delta: { littleEndian: Uint8Array } } };
    const release = loadPayloadTypes().ModelRelease.decode(
      encodeModelRelease({
        version: 1,
        specJson: '{}',
        weights: values,
        thresholdsJson: '',
        createdMs: 0,
      }),
    ) as unknown as { weights: { littleEndian: Uint8Array } };
    const expected = Buffer.alloc(values.length * 4);
    for (const [i, v] of values.entries()) expected.writeFloatLE(v, i * 4);
    expect(Buffer.from(delta.delta.delta.littleEndian).equals(expected)).to.equal(true);
    expect(Buffer.from(release.weights.littleEndian).equals(expected)).to.equal(true);
  });

  it('decodes a vector that sits at an odd offset of a larger buffer into its own aligned copy', () => {
    const values = Float32Array.of(0.25, -7, 1e-3);
    const bytes = encodeClientPayload({
      kind: 'delta',
      modelVersion: 2,
      delta: values,
      examples: 3,
      validationLoss: 1,
    });
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const decoded = decodeClientPayload(shifted.subarray(1));
    expect(decoded.kind === 'delta' && Array.from(decoded.delta)).to.deep.equal(Array.from(values));
  });
});

describe('sealed envelope codec', () => {
  const envelope: SealedEnvelope = {
    senderSignKey: new Uint8Array(32).fill(1),
    nonce: new Uint8Array(24).fill(2),
    ciphertext: new Uint8Array(pseudoRandomFloats(1000).buffer),
    signature: new Uint8Array(64).fill(3),
    context: { kind: 'delta', round: 5, taskId: 'round-5-a' },
  };

  it('round-trips an envelope', () => {
    const decoded = decodeSealedEnvelope(encodeSealedEnvelope(envelope));

    expect({
      ...decoded,
      senderSignKey: new Uint8Array(decoded.senderSignKey),
      nonce: new Uint8Array(decoded.nonce),
      ciphertext: new Uint8Array(decoded.ciphertext),
      signature: new Uint8Array(decoded.signature),
    }).to.deep.equal(envelope);
  });

  it('rejects an envelope of an unspecified payload kind', () => {
    const bytes = loadPayloadTypes()
      .SealedEnvelope.encode({ round: 1, taskId: 't', kind: 0 })
      .finish();

    expect(() => decodeSealedEnvelope(bytes)).to.throw(WireError, /expected a payload kind/);
  });

  it('rejects an envelope of a payload kind this version does not know', () => {
    const bytes = Uint8Array.of((5 << 3) | 0, 9);

    expect(() => decodeSealedEnvelope(bytes)).to.throw(WireError, /malformed SealedEnvelope/);
  });
});
