/**
 * What the padding, cropping and up-sampling layers share: reading `(before, after)` amounts for
 * each spatial axis, finding the spatial axes of a data format, and repeating values along an axis.
 */
import type { ImageDataFormat } from '../../backend/config.js';
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * One non-negative integer for every side, a list of `rank` integers (the same before and after),
 * or a list of `rank` pairs [before, after]; for rank 1 a pair [before, after] is also accepted.
 */
export function standardizePairs(where: string, name: string, value: unknown, rank: number): [number, number][] {
  const fail = (): never => {
    const example = rank === 1 ? '[1, 2]' : `[${Array.from({ length: rank }, () => '[1, 1]').join(', ')}]`;
    throw new Error(
      `${where}: ${name} must be a non-negative integer, ${rank === 1 ? 'or a list of 2 non-negative integers [before, after]' : `a list of ${rank} non-negative integers, or a list of ${rank} pairs [before, after]`}; ` +
        `received ${name}=${JSON.stringify(value)}. Fix: e.g. ${name}: ${example}.`,
    );
  };
  if (isCount(value)) return Array.from({ length: rank }, () => [value, value] as [number, number]);
  if (!Array.isArray(value)) return fail();
  if (rank === 1) {
    if (value.length === 2 && value.every(isCount)) return [[value[0] as number, value[1] as number]];
    if (value.length === 1 && Array.isArray(value[0]) && value[0].length === 2 && (value[0] as unknown[]).every(isCount)) return [[value[0][0] as number, value[0][1] as number]];
    return fail();
  }
  if (value.length !== rank) return fail();
  return value.map((v) => {
    if (isCount(v)) return [v, v] as [number, number];
    if (Array.isArray(v) && v.length === 2 && v.every(isCount)) return [v[0] as number, v[1] as number] as [number, number];
    return fail();
  });
}

/** The spatial axes of an input with `rank` spatial axes (batch is axis 0). */
export function spatialAxes(format: ImageDataFormat, rank: number): number[] {
  return Array.from({ length: rank }, (_, i) => (format === 'channels_first' ? i + 2 : i + 1));
}

/** Each value along `axis` repeated `times` times in place: [a, b] → [a, a, b, b] (nearest up-sampling). */
export function repeatAlong(x: Tensor, axis: number, times: number): Tensor {
  if (times === 1) return x;
  const shape = [...x.shape];
  const expanded = ops.expandDims(x, axis + 1);
  const target = [...shape.slice(0, axis + 1), times, ...shape.slice(axis + 1)];
  const out = [...shape];
  out[axis] = shape[axis] * times;
  return ops.reshape(ops.broadcastTo(expanded, target), out);
}
