/**
 * runConformance reports instead of crashing (a factory that throws or returns a non-backend, a
 * kernel that throws, a bad skip), and each tier catches the kind of wrong kernel it is there for:
 * the reference backend with one kernel broken at a time must fail exactly the cases that say so.
 */
import { describe, expect, it } from '@jest/globals';
import { runConformance, type ConformanceReport, type RunOptions } from '@keras-ts/conformance';
import { ReferenceBackend, type RefHandle } from '@keras-ts/backend-reference';
import type { AdamAttrs, Backend, BinaryOp, Conv2DAttrs, KernelTensor, OutputSpec, Pool2DAttrs } from '@keras-ts/core';

let count = 0;
const uniqueName = (what: string) => `kit-${what}-${count++}`;

/** The reference backend with some kernels replaced; `original` calls the reference's own kernels. */
function mutant(replace: (original: ReferenceBackend) => Partial<Record<keyof Backend, unknown>>): () => Backend {
  return () => {
    const backend = new ReferenceBackend();
    const original = new Proxy(backend, {
      get: (target, key) => {
        const own = Reflect.get(ReferenceBackend.prototype, key) as unknown;
        return typeof own === 'function' ? own.bind(target) : Reflect.get(target, key);
      },
    });
    return Object.assign(backend, replace(original)) as Backend;
  };
}

/** Rewrites a handle's values in place (its identity is what the reference backend tracks). */
function rewrite<H extends { values: ArrayLike<number> & { [i: number]: number } }>(handle: H, f: (v: number, i: number) => number): H {
  for (let i = 0; i < handle.values.length; i++) handle.values[i] = f(handle.values[i], i);
  return handle;
}

type T = KernelTensor<RefHandle>;

const failures = (report: ConformanceReport) => report.groups.flatMap((g) => g.failures);
const failedIds = (report: ConformanceReport) => failures(report).map((f) => f.id);
const run = (what: string, factory: () => Backend | Promise<Backend>, options: RunOptions) => runConformance(uniqueName(what), factory, options);

describe('runConformance reports every problem as a failed case', () => {
  it('a factory that throws', async () => {
    const report = await run('throws', () => {
      throw new Error('no GPU here');
    }, {});
    expect(report.ok).toBe(false);
    expect(report.groups.map((g) => g.group)).toEqual(['setup']);
    expect(failures(report)).toEqual([{ id: 'setup/start', message: expect.stringMatching(/did not start: threw Error: no GPU here/) }]);
    expect(report.capabilities).toBeUndefined();
  });

  it('a factory that returns something other than a backend', async () => {
    const report = await run('not-a-backend', () => 42 as unknown as Backend, {});
    expect(failures(report)[0].message).toMatch(/its factory returned number, not a Backend/);
  });

  it('a kernel that throws, with the memory check still in place for the other cases', async () => {
    const report = await run('throwing-kernel', mutant(() => ({
      tile: () => {
        throw new Error('tile is broken');
      },
    })), { only: ['gradients/tile', 'gradients/reshape', 'ops/edge/bool-tile'] });
    expect(report.ok).toBe(false);
    expect(failures(report)).toEqual([
      { id: 'ops/edge/bool-tile', message: expect.stringMatching(/^threw Error: tile is broken/) },
      { id: 'gradients/tile', message: expect.stringMatching(/^threw Error: tile is broken/) },
    ]);
    expect(report.groups.find((g) => g.group === 'gradients')?.passed).toBe(1);
    expect(report.capabilities?.missing).toEqual([]);
  });

  it('an unknown skip id and a skip without a reason', async () => {
    const report = await run('skips', () => new ReferenceBackend(), { only: ['gradients/unary-exp'], skip: { 'gradients/no-such-case': 'x', 'gradients/unary-exp': ' ' } });
    expect(failures(report)).toEqual([
      { id: 'setup/skips', message: 'unknown skip ids (no case has them): gradients/no-such-case; skips without a reason: gradients/unary-exp' },
    ]);
  });

  it('a backend without a required kernel', async () => {
    const report = await run('missing', mutant(() => ({ reverse: undefined })), { only: ['ops/edge/int32-reverse'] });
    expect(failedIds(report)).toEqual(['setup/required-kernels', 'ops/edge/int32-reverse']);
    expect(failures(report)[0].message).toBe('the backend lacks required kernels: reverse');
  });
});

describe('each tier catches the wrong kernels it is there for', () => {
  it('ops/edge: maximum that drops NaN, int32 arithmetic through float32', async () => {
    const report = await run('nan', mutant((original) => ({
      binary(op: BinaryOp, a: T, b: T, out: OutputSpec) {
        const y = original.binary(op, a, b, out);
        const [av, bv] = [original.readSync(a), original.readSync(b)];
        // Math.max(v || 0, ...) is what a NaN-dropping maximum does; int32 through float32 loses 2**24 + 1.
        if (op === 'maximum') rewrite(y, (_, i) => (Number.isNaN(av[i]) ? bv[i] : Number.isNaN(bv[i]) ? av[i] : Math.max(av[i], bv[i])));
        if (op === 'add' && out.dtype === 'int32') rewrite(y, (v) => Math.fround(v));
        return y;
      },
    })), { only: ['ops/edge/nan-maximum', 'ops/edge/int32-add-exact', 'ops/edge/nan-minimum'] });
    expect(failedIds(report)).toEqual(['ops/edge/nan-maximum', 'ops/edge/int32-add-exact']);
    expect(failures(report)[0].message).toMatch(/nan-maximum\[0\]: got 1, expected NaN/);
  });

  it('gradients: a backprop kernel 1% off, a pooling backprop that drops the gradient', async () => {
    const report = await run('backprop', mutant((original) => ({
      conv2dBackpropFilter: (x: T, dy: T, attrs: Conv2DAttrs, out: OutputSpec) => rewrite(original.conv2dBackpropFilter(x, dy, attrs, out), (v) => v * 1.01),
      maxPool2dBackprop: (dy: T, x: T, attrs: Pool2DAttrs, out: OutputSpec) => rewrite(original.maxPool2dBackprop(dy, x, attrs, out), () => 0),
    })), { only: ['gradients/conv2d', 'gradients/max-pool', 'layers/conv2d-gradient-step', 'agreement/conv-classifier'] });
    expect(failedIds(report)).toEqual(['gradients/conv2d-grad-filter', 'gradients/max-pool', 'gradients/max-pool-same-overlapping', 'layers/conv2d-gradient-step', 'agreement/conv-classifier-sgd', 'agreement/conv-classifier-adam']);
    expect(failures(report)[0].message).toMatch(/^d\/dkernel\[\d+\]: vjp .*, finite differences .* eps 0\.01\)$/);
  });

  it('agreement: a fused Adam update whose first moment is 1% off', async () => {
    const report = await run('adam', mutant((original) => ({
      adamUpdate(w: T, m: T, v: T, g: T, alpha: T, attrs: AdamAttrs, out: OutputSpec) {
        const [next, mNext, vNext] = original.adamUpdate!(w, m, v, g, alpha, attrs, out);
        return [next, rewrite(mNext, (x) => x * 1.01), vNext];
      },
    })), { only: ['agreement/dense-classifier'] });
    expect(failedIds(report)).toEqual(['agreement/dense-classifier-adam']);
    expect(failures(report)[0].message).toMatch(/after 5 steps/);
  });

  // Training takes the plain ops (the fused cell's gradient would recompute the step), so only
  // inference reaches the backend's lstmCell: the layers tier catches it, the training agreement does not run it.
  it('layers: an LSTM cell whose forget gate is off', async () => {
    const report = await run('lstm', mutant((original) => ({
      lstmCell(x: T, h: T, c: T, k: T, r: T, b: T, out: OutputSpec) {
        const [hNext, cNext] = original.lstmCell(x, h, c, k, r, b, out);
        return [hNext, rewrite(cNext, (v) => v * 0.999)];
      },
    })), { only: ['layers/lstm-return-sequences', 'agreement/lstm-regressor'] });
    expect(failedIds(report)).toEqual(['layers/lstm-return-sequences']);
    expect(failures(report)[0].message).toMatch(/lstm/i);
  });
});
