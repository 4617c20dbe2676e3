/**
 * tfjs-wasm kernels replaced for this backend only (tfjs's registry is left alone), with tfjs's
 * kernel contract, as plain loops over the wasm heap: still the wasm backend's memory, no other
 * tfjs backend involved. Each replaces a wasm kernel that gives wrong values for some inputs, or
 * (Sum, Mean: see reduce_kernels.ts) a float32 accumulation that loses digits.
 */
import { backend_util, getKernel, slice_util, util } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { DataType, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { meanKernel, sumKernel } from './reduce_kernels.js';

/**
 * Cast with bool's meaning (nonzero is true). wasm's Cast copies through `TypedArray.set`, which
 * converts to Uint8 modulo 256 (256 → 0, 0.5 → 0, −1 → 255); other targets keep its copy (float to
 * int32 truncates toward zero, NaN gives 0, as tfjs-cpu does).
 */
const castKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs.x as TensorInfo;
  const dtype = (attrs as NamedAttrMap).dtype as DataType;
  const b = backend as BackendWasm;
  const out = b.makeOutput([...x.shape], dtype);
  // Views are taken after makeOutput: an allocation may grow the heap and detach older views.
  const from = b.typedArrayFromHeap(x);
  const to = b.typedArrayFromHeap(out);
  if (dtype === 'bool' && x.dtype !== 'bool') {
    for (let i = 0; i < from.length; i++) to[i] = from[i] !== 0 ? 1 : 0;
  } else {
    to.set(from);
  }
  return out;
};

/** Sign: wasm's gives 0 for small values (sign(1e-7) = 0). This keeps ±0 and NaN as they are. */
const signKernel: KernelFunc = ({ inputs, backend }) => {
  const x = inputs.x as TensorInfo;
  const b = backend as BackendWasm;
  const out = b.makeOutput([...x.shape], x.dtype);
  const [from, to] = [b.typedArrayFromHeap(x), b.typedArrayFromHeap(out)];
  for (let i = 0; i < from.length; i++) {
    const v = from[i];
    to[i] = v > 0 ? 1 : v < 0 ? -1 : v;
  }
  return out;
};

/**
 * Select for int32 and bool. wasm's SelectV2 reads and writes 4-byte floats whatever the dtype: a
 * bool tensor (1 byte an element) comes out wrong. Inputs have the output's shape (the caller tiles
 * them, see `where`); float32 keeps wasm's kernel.
 */
function selectKernel(native: KernelFunc): KernelFunc {
  return (args) => {
    const { condition, t, e } = args.inputs as Record<'condition' | 't' | 'e', TensorInfo>;
    if (t.dtype === 'float32') return native(args);
    const b = args.backend as BackendWasm;
    const out = b.makeOutput([...t.shape], t.dtype);
    const [c, a, f, o] = [condition, t, e, out].map((x) => b.typedArrayFromHeap(x));
    for (let i = 0; i < o.length; i++) o[i] = c[i] !== 0 ? a[i] : f[i];
    return out;
  };
}

/**
 * Reverse of bool through int32. wasm's Reverse moves 4-byte elements whatever the dtype, so on a
 * bool tensor (1 byte an element) it reads and writes past the tensor's storage, corrupting the heap.
 */
function reverseKernel(native: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype !== 'bool') return native(args);
    const b = args.backend as BackendWasm;
    const asInt = castKernel({ inputs: { x }, backend: b, attrs: { dtype: 'int32' } }) as TensorInfo;
    try {
      const reversed = native({ ...args, inputs: { x: asInt } }) as TensorInfo;
      try {
        return castKernel({ inputs: { x: reversed }, backend: b, attrs: { dtype: 'bool' } });
      } finally {
        b.disposeData(reversed.dataId);
      }
    } finally {
      b.disposeData(asInt.dataId);
    }
  };
}

/**
 * BatchMatMul for tfjs-wasm. Its kernel is XNNPACK's fast path only without transposes: with
 * transposeA or transposeB it is about 13 times slower (a [18432, 288]ᵀ · [18432, 64] product: 299
 * ms, against 22 ms for the same product with the operand transposed beforehand), so a transposed
 * operand is transposed explicitly first (wasm's Transpose, linear in its size). An empty inner
 * dimension gives zeros: XNNPACK refuses it ("xnn_create_fully_connected_nc_f32 ... status 2") and
 * leaves the output uninitialized.
 */
function batchMatMulKernel(native: KernelFunc, transpose: KernelFunc): KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as Record<'a' | 'b', TensorInfo>;
    const { transposeA, transposeB } = args.attrs as NamedAttrMap & { transposeA: boolean; transposeB: boolean };
    const backend = args.backend as BackendWasm;
    const [ra, rb] = [a.shape.length, b.shape.length];
    if ((transposeA ? a.shape[ra - 2] : a.shape[ra - 1]) === 0) {
      const batch = backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
      const out = backend.makeOutput([...batch, transposeA ? a.shape[ra - 1] : a.shape[ra - 2], transposeB ? b.shape[rb - 2] : b.shape[rb - 1]], 'float32');
      backend.typedArrayFromHeap(out).fill(0); // the heap is not zeroed
      return out;
    }
    const swapLast = (t: TensorInfo): TensorInfo => {
      const perm = t.shape.map((_, i) => i);
      [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1], perm[perm.length - 2]];
      return transpose({ inputs: { x: t }, backend, attrs: { perm } }) as TensorInfo;
    };
    const ta = transposeA ? swapLast(a) : a;
    const tb = transposeB ? swapLast(b) : b;
    try {
      return native({ inputs: { a: ta, b: tb }, backend, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
    } finally {
      if (ta !== a) backend.disposeData(ta.dataId);
      if (tb !== b) backend.disposeData(tb.dataId);
    }
  };
}

/**
 * Slice that copies only the slice. wasm's kernel first reads the whole input out of the heap
 * (`readSync`, a copy), so slicing a batch out of a large dataset cost a copy of the dataset; this
 * copies each run along the last axis from a view of the heap.
 */
const sliceKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs.x as TensorInfo;
  const { begin, size } = attrs as NamedAttrMap & { begin: number | number[]; size: number | number[] };
  const [start, extent] = slice_util.parseSliceParams(x, begin, size);
  const b = backend as BackendWasm;
  const out = b.makeOutput(extent, x.dtype);
  const [from, to] = [b.typedArrayFromHeap(x), b.typedArrayFromHeap(out)];
  const rank = x.shape.length;
  if (to.length === 0) return out;
  if (rank === 0) {
    to[0] = from[0];
    return out;
  }
  const strides = util.computeStrides(x.shape);
  const run = extent[rank - 1];
  const counter = new Array<number>(rank - 1).fill(0);
  for (let o = 0; o < to.length; o += run) {
    let offset = start[rank - 1];
    for (let a = 0; a < rank - 1; a++) offset += (start[a] + counter[a]) * strides[a];
    to.set(from.subarray(offset, offset + run), o);
    for (let a = rank - 2; a >= 0 && ++counter[a] === extent[a]; a--) counter[a] = 0;
  }
  return out;
};

/** wasm's own kernel function (tfjs-backend-wasm registered it when it was imported). */
export function registered(kernelName: string): KernelFunc {
  const kernel = getKernel(kernelName, 'wasm') as KernelConfig | undefined;
  if (kernel === undefined) throw new Error(`tfjs-wasm: tfjs registers no kernel '${kernelName}' for its 'wasm' backend.`);
  return kernel.kernelFunc;
}

/** The kernels replaced on tfjs-wasm, built when a backend starts. */
export function wasmOverrides(): Readonly<Record<string, KernelFunc>> {
  return {
    Cast: castKernel,
    Sign: signKernel,
    Slice: sliceKernel,
    BatchMatMul: batchMatMulKernel(registered('BatchMatMul'), registered('Transpose')),
    Select: selectKernel(registered('Select')),
    Reverse: reverseKernel(registered('Reverse')),
    Sum: sumKernel(registered('Sum'), registered('Transpose')),
    Mean: meanKernel(registered('Mean'), registered('Transpose')),
  };
}
