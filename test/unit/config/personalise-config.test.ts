import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { loadClientConfig } from '../../../shared/config/federation-config.js';

const example = join(
  resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'config'),
  'client.example.json',
);

describe("the client's personalise settings", () => {
  it('are off unless asked for, in the shipped example too', () => {
    expect(loadClientConfig(undefined).personalise.epochs).to.equal(0);
    expect(loadClientConfig(example).personalise.epochs).to.equal(0);
  });

  it('take a number of fine-tuning epochs', () => {
    expect(loadClientConfig(example, { 'personalise.epochs': 3 }).personalise.epochs).to.equal(3);
  });

  it('refuse a negative or fractional number of epochs, naming the key', () => {
    for (const epochs of [-1, 1.5])
      expect(() => loadClientConfig(example, { 'personalise.epochs': epochs })).to.throw(
        /personalise\.epochs/,
      );
  });
});
