/**
 * Shapes. A concrete tensor has a `Shape` of numbers; a symbolic (Keras) tensor may have `null`
 * where a size is unknown, so every shape rule is written over `SymbolicShape`.
 */
export type Shape = readonly number[];
export type Dim = number | null;
export type SymbolicShape = readonly Dim[];

/** Writes a shape the way Keras users read it: `(None, 10)`, `(3,)`, `()`. */
export function formatShape(shape: SymbolicShape): string {
  const parts = shape.map((d) => (d === null ? 'None' : String(d)));
  return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
}

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapesEqual(a: SymbolicShape, b: SymbolicShape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** Normalises a possibly negative axis against `rank`, with a Keras-style error when out of range. */
export function normalizeAxis(axis: number, rank: number, where: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw new RangeError(
      `${where}: axis ${axis} is out of bounds for a tensor of rank ${rank}. ` +
        `Expected an integer in [${-rank}, ${Math.max(rank - 1, 0)}]. Fix: pass an axis the tensor has (negative axes count from the end).`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/** Normalises a list of axes (or all axes when `axis` is null/undefined), sorted and de-duplicated. */
export function normalizeAxes(axis: number | readonly number[] | null | undefined, rank: number, where: string): number[] {
  if (axis === null || axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : [...axis];
  const out = list.map((a) => normalizeAxis(a, rank, where));
  if (new Set(out).size !== out.length) {
    throw new RangeError(`${where}: axis ${JSON.stringify(axis)} repeats an axis. Expected each axis once. Fix: remove the duplicate.`);
  }
  return out.sort((x, y) => x - y);
}

/**
 * numpy broadcasting of two shapes, the rule every binary op uses. `null` (unknown) broadcasts
 * with 1 to null and with n to n.
 */
export function broadcastShapes(a: SymbolicShape, b: SymbolicShape, where: string): Dim[] {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = new Array<Dim>(rank);
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    if (da === 1) out[i] = db;
    else if (db === 1) out[i] = da;
    else if (da === null) out[i] = db;
    else if (db === null) out[i] = da;
    else if (da === db) out[i] = da;
    else {
      throw new Error(
        `${where}: cannot broadcast shapes ${formatShape(a)} and ${formatShape(b)}: axis ${i - rank} has size ${da} in the first and ${db} in the second. ` +
          `Expected sizes that are equal or 1 on each axis, counted from the last. ` +
          `Fix: reshape or expand one operand (e.g. ops.expandDims) so the axes line up.`,
      );
    }
  }
  return out;
}

/** The axes of `outShape` that `inShape` was broadcast along (used to sum gradients back). */
export function broadcastedAxes(inShape: Shape, outShape: Shape): number[] {
  const axes: number[] = [];
  const offset = outShape.length - inShape.length;
  for (let i = 0; i < outShape.length; i++) {
    const d = i < offset ? 1 : inShape[i - offset];
    if (d === 1 && outShape[i] !== 1) axes.push(i);
    else if (i < offset) axes.push(i);
  }
  return axes;
}

export function assertConcrete(shape: SymbolicShape, where: string): Shape {
  if (shape.some((d) => d === null)) {
    throw new Error(`${where}: shape ${formatShape(shape)} has an unknown size. Expected a concrete shape here.`);
  }
  return shape as Shape;
}
