import { expect } from 'chai';
import { loadDashboardAssets } from '../../../coordinator/http/dashboard-assets.js';

describe('dashboard assets', () => {
  it('write a token with quotes and URL characters into the page and every script module so it stays one quoted string', async () => {
    const token = `it's "a" token (x*y)!~ & more`;
    const assets = await loadDashboardAssets(token);
    const scripts = [...assets].filter(([path]) => /^\/assets\/dashboard.*\.js$/.test(path));
    expect(scripts.length).to.be.greaterThan(1);
    const written = encodeURIComponent(token).replaceAll("'", '%27');
    for (const [path, asset] of [['/', assets.get('/')!] as const, ...scripts]) {
      const text = asset.body.toString('utf8');
      expect(text, path).to.not.include('__TOKEN__');
      expect(text, path).to.not.include(token);
      expect(text, path).to.not.include("it's");
      if (text.includes('token=')) expect(text, path).to.include(`token=${written}`);
    }
    expect(decodeURIComponent(written)).to.equal(token);
  });
});
