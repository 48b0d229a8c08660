import { expect } from 'chai';
import { FedflowError } from '../../../shared/wire/errors.js';
import {
  MalformedRequest,
  tolerantService,
  wellFormed,
} from '../../../shared/wire/malformed-request.js';
import { loadFederation } from '../../../shared/wire/proto-loader.js';

describe('requests that do not decode', () => {
  const service = tolerantService(loadFederation().fedflow.v1.Federation.service);

  it('decodes a well-formed request exactly as the plain service does', () => {
    const plain = loadFederation().fedflow.v1.Federation.service;
    const bytes = plain.WaitForTask.requestSerialize({ sessionToken: 'abc' });
    expect(service.WaitForTask.requestDeserialize(bytes)).to.deep.equal(
      plain.WaitForTask.requestDeserialize(bytes),
    );
  });

  it('hands a request whose bytes do not decode to the handler as a MalformedRequest naming the message type', () => {
    const request = service.Enrol.requestDeserialize(Buffer.from([0x0a, 0xff]));
    expect(request).to.be.instanceOf(MalformedRequest);
    expect((request as unknown as MalformedRequest).expected).to.equal('EnrolRequest');
  });

  it('keeps the response side and the paths of every method unchanged', () => {
    const plain = loadFederation().fedflow.v1.Federation.service;
    for (const name of Object.keys(plain) as (keyof typeof plain)[]) {
      expect(service[name].path).to.equal(plain[name].path);
      expect(service[name].responseSerialize).to.equal(plain[name].responseSerialize);
    }
  });

  it('refuses a MalformedRequest as invalid-argument with the decoder reason, and passes anything else through', () => {
    const refused = () => wellFormed(new MalformedRequest('EnrolRequest', 'index out of range'));
    expect(refused).to.throw(
      FedflowError,
      'the request is not a valid EnrolRequest message: index out of range',
    );
    try {
      refused();
    } catch (error) {
      expect((error as FedflowError).code).to.equal('invalid-argument');
    }
    const request = { sessionToken: 'x' };
    expect(wellFormed(request)).to.equal(request);
  });
});
