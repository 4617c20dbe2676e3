/**
 * registerBackendConformance under node:test: spawns `node --test` on a file that imports the
 * built package (as a node:test user would) and checks the run, its skip, and that an unknown
 * skip id fails it with the id in the report. Needs `pnpm build` (the root `pnpm test` runs it).
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(process.cwd());
const fixture = resolve(root, 'packages/conformance/test/fixtures/node_test_reference.mjs');

function runNodeTest(env: Record<string, string> = {}): { status: number | null; output: string } {
  for (const p of ['core', 'backend-reference', 'conformance']) {
    if (!existsSync(resolve(root, 'packages', p, 'dist', 'index.js'))) {
      throw new Error(`packages/${p}/dist/index.js is missing: this test runs the built package. Run 'pnpm build' (or 'pnpm exec tsc -b packages/conformance') first.`);
    }
  }
  const result = spawnSync(process.execPath, ['--test', '--test-reporter=tap', fixture], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('registerBackendConformance under node:test', () => {
  it('runs the selected cases, reports the skip as skipped, and passes', () => {
    const { status, output } = runNodeTest();
    expect(output).toMatch(/^# fail 0$/m);
    expect(output).toMatch(/^# skipped 1$/m);
    expect(output).toMatch(/ok \d+ - gradients\/unary-exp/);
    expect(output).toMatch(/ok \d+ - training\/dense-classifier-sgd/);
    expect(output).toMatch(/ok \d+ - ops\/edge\/bool-not \(skipped: shows that a skip reaches node:test as a skipped test\) # SKIP/);
    // 3 setup tests, 8 bool edge cases (one skipped), unary-exp and unary-expm1, dense-real, the training case.
    expect(output).toMatch(/^# tests 15$/m);
    expect(status).toBe(0);
  }, 60_000);

  it('fails, naming the id, when a skip names no case', () => {
    const { status, output } = runNodeTest({ KIT_SKIP: JSON.stringify({ 'ops/edge/no-such-case': 'a reason' }) });
    expect(output).toMatch(/not ok \d+ - setup\/skips/);
    expect(output).toMatch(/unknown skip ids \(no case has them\): ops\/edge\/no-such-case/);
    expect(output).toMatch(/^# fail 1$/m);
    expect(status).not.toBe(0);
  }, 60_000);
});
