import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Runs a snippet in a fresh process with the program's logging set up, as JSON to a pipe. */
function withLogging(snippet: string, nodeOptions: string[] = []) {
  const script = `const { setupLogging } = await import(${JSON.stringify(join(root, 'cli', 'logging.ts'))});
setupLogging({});
${snippet}`;
  return spawnSync(
    process.execPath,
    [...nodeOptions, '--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: root, encoding: 'utf8', env: { ...process.env, FEDFLOW_LOG_FORMAT: 'json' } },
  );
}

describe("the process's logger", function () {
  this.timeout(30_000);
  const warn =
    "process.emitWarning('TLS ServerName is an IP address', 'DeprecationWarning', 'DEP0123');";

  it("logs Node's own warnings as events at 40, not as plain lines", () => {
    const r = withLogging(warn);
    expect(r.status, r.stderr).to.equal(0);
    const lines = r.stderr.trim().split('\n');
    expect(JSON.parse(lines[0]!)).to.include({
      level: 40,
      warning: 'DeprecationWarning',
      code: 'DEP0123',
      msg: 'TLS ServerName is an IP address',
    });
    expect(lines).to.have.length(1);
  });

  it('adds no warning of its own when node runs with --no-warnings', () => {
    const r = withLogging(warn, ['--no-warnings']);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stderr).to.equal('');
  });
});
