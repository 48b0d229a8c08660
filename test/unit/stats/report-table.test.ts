import { expect } from 'chai';
import { formatReportNumber, formatTable } from '../../../shared/stats/report-table.js';

describe('formatTable', () => {
  it('aligns text left and numbers right under a dashed rule', () => {
    const table = formatTable(
      ['category', 'flows', 'TPR'],
      [
        ['dos', 7458, 0.97312],
        ['probe', 2421, 0.88],
      ],
    );
    expect(table).to.equal(
      [
        'category  flows     TPR',
        '--------  -----  ------',
        'dos        7458  0.9731',
        'probe      2421  0.8800',
      ].join('\n'),
    );
  });

  it('left-aligns the header of a column that mixes text and numbers', () => {
    const table = formatTable(
      ['metric', 'value'],
      [
        ['AUROC', 0.5],
        ['model', 'vae'],
      ],
    );
    expect(table.split('\n')).to.deep.equal([
      'metric  value',
      '------  ------',
      'AUROC   0.5000',
      'model   vae',
    ]);
  });

  it('uses a caller-supplied number format', () => {
    const table = formatTable(['rate'], [[0.25]], { formatNumber: (v) => `${v * 100}%` });
    expect(table.split('\n')[2]).to.equal(' 25%');
  });

  it('measures width in characters, not UTF-16 units', () => {
    const table = formatTable(
      ['name', 'n'],
      [
        ['𝑥-flows', 1],
        ['plain', 22],
      ],
    );
    expect(table.split('\n').slice(2)).to.deep.equal(['𝑥-flows   1', 'plain    22']);
  });

  it('prints only the headers for no rows', () => {
    expect(formatTable(['a', 'bb'], [])).to.equal('a  bb\n-  --');
  });

  it('refuses a row whose length differs from the headers', () => {
    expect(() => formatTable(['a', 'b'], [[1]])).to.throw(
      RangeError,
      /row 0 has 1 cells, expected 2/,
    );
  });
});

describe('formatReportNumber', () => {
  it('writes integers as they are and other numbers with four decimals', () => {
    expect(formatReportNumber(22544)).to.equal('22544');
    expect(formatReportNumber(0.953125)).to.equal('0.9531');
  });

  it('switches to exponent form where four decimals would hide the value', () => {
    expect(formatReportNumber(0.00012)).to.equal('1.200e-4');
    expect(formatReportNumber(Number.NaN)).to.equal('NaN');
  });
});
