/**
 * Mocha hooks for a suite whose tests start a coordinator: the backend once, a temp folder per
 * test, and after each test the coordinator it started stopped and the folder removed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningCoordinator } from '../../cli/roles/coordinator.js';
import { initBackend } from '../../shared/runtime/backend.js';

export interface CoordinatorTest {
  /** This test's temp folder. */
  dir: string;
  /** The coordinator this test started (set it), stopped after the test. */
  coordinator: RunningCoordinator | null;
}

/** @example const t = coordinatorPerTest('fedflow-grpc-'); ... t.coordinator = await startCoordinator(...) */
export function coordinatorPerTest(prefix: string): CoordinatorTest {
  const test: CoordinatorTest = { dir: '', coordinator: null };
  before(async () => {
    await initBackend();
  });
  beforeEach(() => {
    test.dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    await test.coordinator?.stop();
    test.coordinator = null;
    rmSync(test.dir, { recursive: true, force: true });
  });
  return test;
}
