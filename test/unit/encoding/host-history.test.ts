import { expect } from 'chai';
import { FlowTable } from '../../../shared/encoding/flow-table.js';
import {
  type HistorySettings,
  HostHistory,
  NO_FLOW,
} from '../../../shared/encoding/host-history.js';

const FIELDS = 2;
const settings = (over: Partial<HistorySettings> = {}): HistorySettings => ({
  steps: 3,
  maxHosts: 10,
  gapSeconds: null,
  ...over,
});

/** Feeds one flow of `host` (codes [id, id + 100]) and returns its history's codes and ids. */
function feed(history: HostHistory, host: string | null, id: number, ts: number | null = null) {
  const steps = history.settings.steps;
  const codes = Uint16Array.of(id, id + 100);
  const out = new Uint16Array(steps * FIELDS);
  const ids = new Int32Array(steps);
  const real = history.next(host, ts, codes, 0, id, out, 0, ids, 0);
  return { real, codes: [...out], ids: [...ids] };
}

describe('HostHistory', () => {
  it("gives each flow its host's earlier flows oldest first, empty slots first, then records it", () => {
    const history = new HostHistory(FIELDS, settings());
    expect(feed(history, 'a', 1)).to.deep.equal({
      real: 0,
      codes: Array(6).fill(NO_FLOW),
      ids: [-1, -1, -1],
    });
    feed(history, 'a', 2);
    expect(feed(history, 'a', 3)).to.deep.equal({
      real: 2,
      codes: [NO_FLOW, NO_FLOW, 1, 101, 2, 102],
      ids: [-1, 1, 2],
    });
  });

  it('keeps only the last `steps` flows of a host, as a ring', () => {
    const history = new HostHistory(FIELDS, settings());
    for (let id = 1; id <= 5; id++) feed(history, 'a', id);
    expect(feed(history, 'a', 6).ids).to.deep.equal([3, 4, 5]);
    expect(feed(history, 'a', 7).codes).to.deep.equal([4, 104, 5, 105, 6, 106]);
  });

  it("never shows one host's flows in another's history", () => {
    const history = new HostHistory(FIELDS, settings());
    feed(history, 'a', 1);
    feed(history, 'b', 2);
    feed(history, 'a', 3);
    expect(feed(history, 'b', 4).ids).to.deep.equal([-1, -1, 2]);
    expect(feed(history, 'a', 5).ids).to.deep.equal([-1, 1, 3]);
  });

  it('forgets the least recently seen host beyond maxHosts, so memory stays bounded', () => {
    const history = new HostHistory(FIELDS, settings({ maxHosts: 2 }));
    feed(history, 'a', 1);
    feed(history, 'b', 2);
    feed(history, 'a', 3); // a is now more recent than b
    feed(history, 'c', 4); // evicts b
    expect(history.size).to.equal(2);
    expect(feed(history, 'a', 5).real).to.equal(2);
    expect(feed(history, 'b', 6).real, 'b was forgotten').to.equal(0);
    for (let i = 0; i < 1000; i++) feed(history, `h${i}`, i);
    expect(history.size).to.equal(2);
  });

  it('starts a host afresh after a gap longer than gapSeconds, and not after a shorter one', () => {
    const history = new HostHistory(FIELDS, settings({ gapSeconds: 60 }));
    feed(history, 'a', 1, 1000);
    expect(feed(history, 'a', 2, 1059).real).to.equal(1);
    expect(feed(history, 'a', 3, 1200).real).to.equal(0);
    expect(feed(history, 'a', 4, 1210).ids).to.deep.equal([-1, -1, 3]);
  });

  it('gives flows without a host an empty history and does not record them', () => {
    const history = new HostHistory(FIELDS, settings());
    feed(history, null, 1);
    expect(feed(history, null, 2).real).to.equal(0);
    expect(history.size).to.equal(0);
  });

  it('refuses a history of no steps', () => {
    expect(() => new HostHistory(FIELDS, settings({ steps: 0 }))).to.throw(/steps >= 1/);
  });
});

describe('a flow table with histories', () => {
  it('keeps each row its history through select and concat, and gives replayed rows none', () => {
    const table = new FlowTable(1, 4);
    for (let r = 0; r < 4; r++) table.codes[table.appendRow(null)] = 10 + r;
    // Rows 1 and 3 follow row 0 and row 2 of their hosts.
    table.history = { steps: 1, source: table.codes, rows: Int32Array.of(-1, 0, -1, 2) };
    const picked = table.select([3, 1]);
    expect([...picked.history!.rows]).to.deep.equal([2, 0]);
    expect(picked.history!.source[picked.history!.rows[0]!]).to.equal(12);
    const replay = new FlowTable(1, 1);
    replay.codes[replay.appendRow(null)] = 99;
    expect([...picked.concat(replay).history!.rows]).to.deep.equal([2, 0, -1]);
    const elsewhere = new FlowTable(1, 1);
    elsewhere.appendRow(null);
    elsewhere.history = { steps: 1, source: new Uint16Array(1), rows: Int32Array.of(-1) };
    expect(() => picked.concat(elsewhere)).to.throw(/different tables/);
  });
});
