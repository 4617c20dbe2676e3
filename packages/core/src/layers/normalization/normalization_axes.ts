/** Reading the `axis` argument of the per-example normalization layers (one axis or a list). */
import { formatShape, type SymbolicShape } from '../../tensor/shape.js';

/** Checks `axis` is an integer or a non-empty list of integers. */
export function readAxis(where: string, value: unknown, fallback: number): number | number[] {
  const axis = value ?? fallback;
  const ok = typeof axis === 'number' ? Number.isInteger(axis) : Array.isArray(axis) && axis.length > 0 && axis.every((a) => Number.isInteger(a));
  if (!ok) {
    throw new Error(`${where}: axis must be an integer or a non-empty list of integers; received axis=${JSON.stringify(value)}. Fix: e.g. axis: -1 (the last axis) or axis: [1, 2].`);
  }
  return typeof axis === 'number' ? axis : [...(axis as number[])];
}

/** The axes made non-negative for an input shape, each checked to be in range. */
export function resolveAxes(where: string, axis: number | number[], shape: SymbolicShape): number[] {
  const rank = shape.length;
  const list = typeof axis === 'number' ? [axis] : axis;
  return list.map((a) => {
    const n = a < 0 ? a + rank : a;
    if (n < 0 || n >= rank) {
      throw new Error(
        `${where}: axis ${a} is out of range for an input of rank ${rank}, shape ${formatShape(shape)}. ` +
          `Expected axes in [-${rank}, ${rank - 1}]. Fix: use axis: -1 for the last axis.`,
      );
    }
    return n;
  });
}
