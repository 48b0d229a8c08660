import { status } from '@grpc/grpc-js';
import { expect } from 'chai';
import { FedflowError, type FedflowErrorCode, WireError } from '../../../shared/wire/errors.js';
import {
  fromServiceError,
  INTERNAL_ERROR_DETAILS,
  toServiceError,
} from '../../../shared/wire/status.js';

const STATUS_OF_RAISED_CODES: [FedflowErrorCode, status][] = [
  ['invalid-argument', status.INVALID_ARGUMENT],
  ['unauthenticated', status.UNAUTHENTICATED],
  ['permission-denied', status.PERMISSION_DENIED],
  ['failed-precondition', status.FAILED_PRECONDITION],
  ['not-found', status.NOT_FOUND],
  ['already-exists', status.ALREADY_EXISTS],
  ['resource-exhausted', status.RESOURCE_EXHAUSTED],
  ['deadline-exceeded', status.DEADLINE_EXCEEDED],
  ['unavailable', status.UNAVAILABLE],
];

describe('toServiceError', () => {
  for (const [code, grpcStatus] of STATUS_OF_RAISED_CODES) {
    it(`sends a FedflowError coded ${code} as ${status[grpcStatus]} with its message`, () => {
      const error = new FedflowError(code, `the ${code} case`);

      expect(toServiceError(error)).to.deep.equal({
        code: grpcStatus,
        details: `the ${code} case`,
      });
    });
  }

  it('sends a WireError as INVALID_ARGUMENT', () => {
    expect(toServiceError(new WireError('expected chunk index 3 of 7, got 5'))).to.deep.equal({
      code: status.INVALID_ARGUMENT,
      details: 'expected chunk index 3 of 7, got 5',
    });
  });

  it('sends any other error as UNKNOWN with a generic text that leaks nothing', () => {
    const secret = new Error('ENOENT: /var/lib/fedflow/state/journal.db');

    const sent = toServiceError(secret);

    expect(sent).to.deep.equal({ code: status.UNKNOWN, details: INTERNAL_ERROR_DETAILS });
    expect(JSON.stringify(sent)).not.to.contain('journal');
  });

  it('sends thrown non-errors as UNKNOWN too', () => {
    expect(toServiceError('a string').code).to.equal(status.UNKNOWN);
    expect(toServiceError(undefined).code).to.equal(status.UNKNOWN);
  });
});

describe('fromServiceError', () => {
  function serviceError(code: status, details: string) {
    return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details });
  }

  for (const [code, grpcStatus] of STATUS_OF_RAISED_CODES) {
    it(`reads ${status[grpcStatus]} back as ${code}`, () => {
      const error = fromServiceError(serviceError(grpcStatus, 'why'));

      expect(error).to.be.instanceOf(FedflowError);
      expect(error.code).to.equal(code);
      expect(error.message).to.equal('why');
    });
  }

  it('reads statuses no handler raises on purpose as their closest code', () => {
    expect(fromServiceError(serviceError(status.UNKNOWN, 'internal error')).code).to.equal(
      'internal',
    );
    expect(fromServiceError(serviceError(status.CANCELLED, 'x')).code).to.equal('cancelled');
    expect(fromServiceError(serviceError(status.UNIMPLEMENTED, 'x')).code).to.equal(
      'unimplemented',
    );
    expect(fromServiceError(serviceError(status.ABORTED, 'x')).code).to.equal('unavailable');
  });

  it('keeps the original error as the cause', () => {
    const original = serviceError(status.NOT_FOUND, 'no model 7');

    expect(fromServiceError(original).cause).to.equal(original);
  });

  it('names the status when the details are empty', () => {
    expect(fromServiceError(serviceError(status.UNAVAILABLE, '')).message).to.equal('UNAVAILABLE');
  });

  it('reads an error without a gRPC status as internal', () => {
    const error = fromServiceError(new TypeError('x is not a function'));

    expect(error.code).to.equal('internal');
    expect(error.message).to.equal('call failed without a gRPC status: x is not a function');
  });
});
