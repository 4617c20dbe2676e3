/**
 * `keras-ts conformance`, run as a user runs it (the built CLI in a child process): the matrix and
 * the exit code, and the clear reports for a module that exports no backend factory, a kernel that
 * throws, and bad arguments. Needs `pnpm build` (the root `pnpm test` runs it first).
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(process.cwd());
const cli = resolve(root, 'packages/keras-ts/dist/cli.js');
const fixture = (name: string) => `./packages/keras-ts/test/fixtures/${name}`;

function keras(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: this test runs the built CLI. Run 'pnpm build' first.`);
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.KERAS_BACKEND;
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('keras-ts conformance', () => {
  it('prints the matrix, the failures, the skips and the capabilities, and exits 0 when every case passes', () => {
    const { status, stdout } = keras('conformance', '--backend', 'reference', '--tier', 'gradients,layers');
    expect(stdout).toMatch(/^keras-ts conformance: reference; tiers gradients, layers /);
    expect(stdout).toMatch(/^\s+reference$/m);
    expect(stdout).toMatch(/^setup\s+3 ✓ 0 ✗ 0 skipped$/m);
    expect(stdout).toMatch(/^gradients\s+\d{2} ✓ 0 ✗ 0 skipped$/m);
    expect(stdout).toMatch(/^layers\s+\d{2} ✓ 0 ✗ 0 skipped$/m);
    expect(stdout).not.toMatch(/^ops\//m);
    expect(stdout).toContain('Failures: none.');
    expect(stdout).toMatch(/Capabilities:\n {2}reference\n {4}native: {3}upload, readSync/);
    expect(status).toBe(0);
  }, 60_000);

  it('reports a module without a backend factory as a failed case and exits 1', () => {
    const { status, stdout } = keras('conformance', '--module', fixture('not_a_backend.mjs'), '--backend', 'reference', '--tier', 'training');
    expect(stdout).toMatch(/^\s+\.\/packages\/keras-ts\/test\/fixtures\/not_a_backend\.mjs\s+reference$/m);
    expect(stdout).toMatch(/^setup\s+0 ✓ 1 ✗ 0 skipped\s+3 ✓ 0 ✗ 0 skipped$/m);
    expect(stdout).toMatch(/^training\s+not run\s+4 ✓ 0 ✗ 0 skipped$/m);
    expect(stdout).toContain(
      'module ./packages/keras-ts/test/fixtures/not_a_backend.mjs has no default export that is a backend factory (its default export is number). Expected: export default () => new MyBackend().',
    );
    expect(stdout).toMatch(/not available \(the backend did not start\)/);
    expect(status).toBe(1);
  }, 60_000);

  it('reports a kernel that throws as failed cases with the message, not a crash', () => {
    const { status, stdout } = keras('conformance', '--module', fixture('throwing_kernel.mjs'), '--tier', 'layers', '--only', 'dense');
    expect(stdout).toMatch(/^layers\s+1 ✓ 2 ✗ 0 skipped$/m);
    expect(stdout).toMatch(/ {2}\.\/packages\/keras-ts\/test\/fixtures\/throwing_kernel\.mjs {2}layers\/dense-real\n {6}threw Error: matmul exploded/);
    expect(stdout).toContain('Failures (2):');
    expect(status).toBe(1);
  }, 60_000);

  it('explains bad arguments with the usage and exits 2', () => {
    const tier = keras('conformance', '--tier', 'speed');
    expect(tier.stderr).toMatch(/unknown tier 'speed'; the tiers are ops, gradients, layers, training, agreement\./);
    expect(tier.stderr).toContain('Usage: keras-ts conformance');
    expect(tier.status).toBe(2);
    const flag = keras('conformance', '--backnd', 'onnx');
    expect(flag.stderr).toMatch(/unknown argument '--backnd'/);
    expect(flag.status).toBe(2);
  });
});
