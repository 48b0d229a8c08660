import { expect } from 'chai';
import {
  attackCategory,
  KDD_ATTACKS_BY_CATEGORY,
} from '../../../shared/stats/attack-categories.js';

describe('attackCategory', () => {
  it('maps normal traffic to normal', () => {
    expect(attackCategory('normal')).to.equal('normal');
  });

  it('maps training-set attacks to their KDD category', () => {
    expect(attackCategory('neptune')).to.equal('dos');
    expect(attackCategory('smurf')).to.equal('dos');
    expect(attackCategory('portsweep')).to.equal('probe');
    expect(attackCategory('guess_passwd')).to.equal('r2l');
    expect(attackCategory('buffer_overflow')).to.equal('u2r');
  });

  it('maps attacks that occur only in the test set to their category', () => {
    expect(attackCategory('mscan')).to.equal('probe');
    expect(attackCategory('saint')).to.equal('probe');
    expect(attackCategory('apache2')).to.equal('dos');
    expect(attackCategory('processtable')).to.equal('dos');
    expect(attackCategory('snmpgetattack')).to.equal('r2l');
    expect(attackCategory('httptunnel')).to.equal('r2l');
    expect(attackCategory('sqlattack')).to.equal('u2r');
    expect(attackCategory('xterm')).to.equal('u2r');
  });

  it('ignores case, surrounding spaces and the trailing dot of KDD99 labels', () => {
    expect(attackCategory('smurf.')).to.equal('dos');
    expect(attackCategory(' Normal. ')).to.equal('normal');
    expect(attackCategory('IPSWEEP')).to.equal('probe');
  });

  it('returns an unknown label unchanged as its own category', () => {
    expect(attackCategory('scan')).to.equal('scan');
    expect(attackCategory('Exfil.')).to.equal('Exfil.');
  });

  it('lists each of the 39 attack names of the dataset README in exactly one category', () => {
    const names = Object.values(KDD_ATTACKS_BY_CATEGORY).flat();
    expect(names).to.have.length(39);
    expect(new Set(names).size).to.equal(39);
    expect(KDD_ATTACKS_BY_CATEGORY.u2r).to.have.members([
      'buffer_overflow',
      'loadmodule',
      'perl',
      'rootkit',
      'ps',
      'sqlattack',
      'xterm',
    ]);
  });
});
