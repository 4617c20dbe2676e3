/**
 * What a user installs must work, not only the workspace: pack every package with pnpm (which
 * turns `workspace:` ranges into versions), install the tarballs with npm into an empty folder,
 * and run a small example there. Needs the packages built (`pnpm build`, which `npm test` runs).
 */
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(process.cwd());

/** pnpm as the test runs under it (npx pnpm@... puts no pnpm on PATH), else from PATH. pnpm 12 is a native executable; older ones are scripts. */
function pnpmCommand(): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (!execPath || !/pnpm/.test(execPath)) return ['pnpm', []];
  return /\.[cm]?js$/.test(execPath) ? [process.execPath, [execPath]] : [execPath, []];
}
const packages = ['core', 'backend-tfjs', 'backend-onnx', 'backend-reference', 'conformance', 'keras-ts'];

const EXAMPLE = `
import * as keras from 'keras-ts';
import { registerBackendConformance, loadCases } from '@keras-ts/conformance';
// No setBackend and no ready(): the fastest installed backend (onnx) starts synchronously on the first op.
const x = keras.tensor([[1, 2], [3, 4]]);
const y = keras.tidy(() => keras.ops.softmax(keras.ops.matmul(x, x)));
const v = new keras.Variable(keras.tensor([1, 2, 3]), { name: 'v' });
const { value, grads } = keras.valueAndGrad(() => keras.ops.sum(keras.ops.square(v)), [v]);
keras.utils.setRandomSeed(7);
const w = keras.initializers.get('glorot_uniform').call([3, 2]);
console.log(JSON.stringify({
  backend: keras.backend(),
  listed: keras.listBackends(),
  softmaxRows: y.arraySync().map((r) => r.reduce((a, b) => a + b, 0)),
  value: value.arraySync(),
  grad: Array.from(grads[0].dataSync()),
  weightShape: w.shape,
  kit: typeof registerBackendConformance,
  cases: loadCases().length,
  tensors: keras.memory().numTensors,
}));
`;

describe('the packed packages', () => {
  it('install with npm into an empty folder and run an example', () => {
    for (const p of packages) {
      if (!existsSync(join(root, 'packages', p, 'dist', 'index.js'))) {
        throw new Error(`packages/${p}/dist/index.js is missing. Run 'pnpm build' (npm test does) before this test.`);
      }
    }
    const work = mkdtempSync(join(tmpdir(), 'keras-ts-pack-'));
    try {
      for (const p of packages) {
        const [command, prefix] = pnpmCommand();
        execFileSync(command, [...prefix, 'pack', '--pack-destination', work], { cwd: join(root, 'packages', p), stdio: 'pipe' });
      }
      const tarballs = readdirSync(work).filter((f) => f.endsWith('.tgz'));
      expect(tarballs).toHaveLength(packages.length);
      const app = join(work, 'app');
      execFileSync('mkdir', ['-p', app]);
      writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
      execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs.map((t) => join(work, t))], {
        cwd: app,
        stdio: 'pipe',
        // onnxruntime-node's install script downloads CUDA binaries; its CPU binaries are in the package.
        env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
      });
      writeFileSync(join(app, 'example.mjs'), EXAMPLE);
      const env: NodeJS.ProcessEnv = { ...process.env, KERAS_HOME: join(work, 'keras-home') };
      delete env.KERAS_BACKEND;
      const output = execFileSync('node', ['example.mjs'], { cwd: app, env, encoding: 'utf8' });
      const result = JSON.parse(output.trim().split('\n').pop() as string);
      expect(result.backend).toBe('onnx');
      expect(result.listed).toEqual(['onnx', 'tfjs-wasm', 'tfjs-cpu']);
      result.softmaxRows.forEach((s: number) => expect(s).toBeCloseTo(1, 5));
      expect(result.value).toBe(14);
      expect(result.grad).toEqual([2, 4, 6]);
      expect(result.weightShape).toEqual([3, 2]);
      expect(result.kit).toBe('function');
      expect(result.cases).toBeGreaterThan(300);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 600_000);
});
