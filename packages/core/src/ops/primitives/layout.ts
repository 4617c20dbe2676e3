/** Layout primitives: reshape, transpose, slice, concat, pad, gather, scatterAdd, tile, reverse. */
import { definePrimitive, type Primitive } from '../../runtime/primitive.js';
import { formatShape, type Dim, type Shape, type SymbolicShape } from '../../tensor/shape.js';
import { run1 } from '../../runtime/engine.js';
import * as g from './grad_ops.js';

const knownSize = (shape: SymbolicShape): number | null =>
  shape.some((d) => d === null) ? null : (shape as Shape).reduce((a, b) => a * b, 1);

export const reshapePrimitive: Primitive<{ readonly shape: SymbolicShape }> = definePrimitive<{ readonly shape: SymbolicShape }>({
  name: 'reshape',
  infer([x], { shape }) {
    const from = knownSize(x.shape);
    const to = knownSize(shape);
    if (from !== null && to !== null && from !== to) {
      throw new Error(
        `reshape: cannot reshape ${formatShape(x.shape)} (${from} elements) to ${formatShape(shape)} (${to} elements). ` +
          `Expected a shape with the same number of elements. Fix: check the target shape, or use -1 for one axis to infer it.`,
      );
    }
    return [{ shape, dtype: x.dtype }];
  },
  forward(backend, [x], _attrs, [out]) {
    return [backend.reshape(x, out)];
  },
  grad: ({ dys: [dy], inputs: [x] }) => [g.reshape(dy, x.shape)],
});

export function inversePermutation(perm: readonly number[]): number[] {
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  return inverse;
}

export const transposePrimitive: Primitive<{ readonly perm: readonly number[] }> = definePrimitive<{ readonly perm: readonly number[] }>({
  name: 'transpose',
  infer([x], { perm }) {
    return [{ shape: perm.map((p) => x.shape[p]), dtype: x.dtype }];
  },
  forward(backend, [x], { perm }, [out]) {
    return [backend.transpose(x, perm, out)];
  },
  grad: ({ dys: [dy], attrs: { perm } }) => [g.transpose(dy, inversePermutation(perm))],
});

export const slicePrimitive: Primitive<{ readonly begin: readonly number[]; readonly size: readonly number[] }> = definePrimitive<{ readonly begin: readonly number[]; readonly size: readonly number[] }>({
  name: 'slice',
  infer([x], { size }) {
    return [{ shape: [...size], dtype: x.dtype }];
  },
  forward(backend, [x], { begin, size }, [out]) {
    return [backend.slice(x, begin, size, out)];
  },
  grad: ({ dys: [dy], inputs: [x], attrs: { begin, size } }) => [
    run1(padPrimitive, [dy], { paddings: begin.map((b, i) => [b, x.shape[i] - b - size[i]] as const), constantValue: 0 }),
  ],
});

export const concatPrimitive: Primitive<{ readonly axis: number }> = definePrimitive<{ readonly axis: number }>({
  name: 'concat',
  infer(xs, { axis }) {
    const shape: Dim[] = [...xs[0].shape];
    let total: Dim = 0;
    for (const x of xs) total = total === null || x.shape[axis] === null ? null : total + (x.shape[axis] as number);
    shape[axis] = total;
    return [{ shape, dtype: xs[0].dtype }];
  },
  forward(backend, xs, { axis }, [out]) {
    return [backend.concat(xs, axis, out)];
  },
  grad: ({ dys: [dy], inputs, attrs: { axis } }) => {
    let offset = 0;
    return inputs.map((x) => {
      const begin = dy.shape.map((_, i) => (i === axis ? offset : 0));
      offset += x.shape[axis];
      return run1(slicePrimitive, [dy], { begin, size: x.shape });
    });
  },
});

export interface PadAttrs {
  readonly paddings: readonly (readonly [number, number])[];
  readonly constantValue: number;
}

export const padPrimitive: Primitive<PadAttrs> = definePrimitive<PadAttrs>({
  name: 'pad',
  infer([x], { paddings }) {
    return [{ shape: x.shape.map((d, i) => (d === null ? null : d + paddings[i][0] + paddings[i][1])), dtype: x.dtype }];
  },
  forward(backend, [x], { paddings, constantValue }, [out]) {
    return [backend.pad(x, paddings, constantValue, out)];
  },
  grad: ({ dys: [dy], inputs: [x], attrs: { paddings } }) => [
    run1(slicePrimitive, [dy], { begin: paddings.map((p) => p[0]), size: x.shape }),
  ],
});

function gatherShape(x: SymbolicShape, indices: SymbolicShape, axis: number): Dim[] {
  return [...x.slice(0, axis), ...indices, ...x.slice(axis + 1)];
}

export const gatherPrimitive: Primitive<{ readonly axis: number }> = definePrimitive<{ readonly axis: number }>({
  name: 'gather',
  infer([x, indices], { axis }) {
    if (indices.dtype !== 'int32') throw new TypeError(`gather: indices must be int32, got ${indices.dtype}. Fix: ops.cast(indices, 'int32').`);
    return [{ shape: gatherShape(x.shape, indices.shape, axis), dtype: x.dtype }];
  },
  forward(backend, [x, indices], { axis }, [out]) {
    return [backend.gather(x, indices, axis, out)];
  },
  grad: ({ dys: [dy], inputs: [x, indices], attrs: { axis } }) => [
    x.dtype === 'float32' ? run1(scatterAddPrimitive, [dy, indices], { axis, shape: x.shape }) : null,
    null,
  ],
});

export const scatterAddPrimitive: Primitive<{ readonly axis: number; readonly shape: Shape }> = definePrimitive<{ readonly axis: number; readonly shape: Shape }>({
  name: 'scatterAdd',
  infer([updates, indices], { shape }) {
    if (indices.dtype !== 'int32') throw new TypeError(`scatterAdd: indices must be int32, got ${indices.dtype}.`);
    return [{ shape, dtype: updates.dtype }];
  },
  forward(backend, [updates, indices], { axis }, [out]) {
    return [backend.scatterAdd(updates, indices, axis, out)];
  },
  grad: ({ dys: [dy], inputs: [, indices], attrs: { axis } }) => [run1(gatherPrimitive, [dy, indices], { axis }), null],
});

export const tilePrimitive: Primitive<{ readonly reps: readonly number[] }> = definePrimitive<{ readonly reps: readonly number[] }>({
  name: 'tile',
  infer([x], { reps }) {
    return [{ shape: x.shape.map((d, i) => (d === null ? null : d * reps[i])), dtype: x.dtype }];
  },
  forward(backend, [x], { reps }, [out]) {
    return [backend.tile(x, reps, out)];
  },
  grad: ({ dys: [dy], inputs: [x], attrs: { reps } }) => {
    // dy viewed as [r0, d0, r1, d1, ...] summed over the repeat axes gives x's gradient.
    const split = x.shape.flatMap((d, i) => [reps[i], d]);
    const repeatAxes = x.shape.map((_, i) => 2 * i);
    return [g.reshape(g.reduce('sum', g.reshape(dy, split), repeatAxes), x.shape)];
  },
});

export const reversePrimitive: Primitive<{ readonly axes: readonly number[] }> = definePrimitive<{ readonly axes: readonly number[] }>({
  name: 'reverse',
  infer([x]) {
    return [{ shape: x.shape, dtype: x.dtype }];
  },
  forward(backend, [x], { axes }, [out]) {
    return [backend.reverse(x, axes, out)];
  },
  grad: ({ dys: [dy], attrs: { axes } }) => [run1(reversePrimitive, [dy], { axes })],
});
