/**
 * TensorFlow.js weight data: the values of a weights manifest's entries, concatenated in manifest
 * order, little-endian, split into shard files of at most 4 MiB. Reading also takes the int32 and
 * bool entries and the quantized ones tfjs's converter writes (uint8 and uint16 with a scale and a
 * minimum, or float16), which come back as float32.
 */
import type { TypedArray } from '../tensor/dtype.js';

export interface TfjsQuantization {
  dtype: 'uint8' | 'uint16' | 'float16';
  scale?: number;
  min?: number;
  original_dtype?: string;
}

export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  group?: string;
  quantization?: TfjsQuantization;
}

export interface TfjsWeightsGroup {
  paths: string[];
  weights: TfjsWeightSpec[];
}

export interface DecodedWeight {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  values: Float32Array | Int32Array | Uint8Array;
  group?: string;
}

/** tfjs's default shard size (`weight_shard_size_bytes`). */
export const TFJS_SHARD_BYTES = 4 * 1024 * 1024;

const ELEMENT_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** The little-endian bytes of one weight. */
function littleEndianBytes(values: TypedArray, dtype: string): Uint8Array {
  if (dtype === 'bool') return Uint8Array.from(values as ArrayLike<number>, (v) => (v ? 1 : 0));
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  if (dtype === 'int32') for (let i = 0; i < values.length; i++) view.setInt32(i * 4, Number(values[i]), true);
  else for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, Number(values[i]), true);
  return out;
}

/** The manifest entries and the concatenated bytes of named values, in the order given. */
export function encodeWeights(weights: readonly { name: string; shape: readonly number[]; dtype: string; values: TypedArray }[]): { specs: TfjsWeightSpec[]; data: Uint8Array } {
  const parts = weights.map((w) => littleEndianBytes(w.values, w.dtype));
  const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    data.set(part, offset);
    offset += part.length;
  }
  return { specs: weights.map((w) => ({ name: w.name, shape: [...w.shape], dtype: w.dtype })), data };
}

/** The data cut into shards of at most `maxBytes` (at least one shard, even when empty). */
export function splitShards(data: Uint8Array, maxBytes = TFJS_SHARD_BYTES): Uint8Array[] {
  const shards: Uint8Array[] = [];
  for (let offset = 0; offset < data.length; offset += maxBytes) shards.push(data.subarray(offset, Math.min(data.length, offset + maxBytes)));
  return shards.length > 0 ? shards : [new Uint8Array(0)];
}

/** `groupN-shardKofM.bin`, tfjs's shard file names (N, K counted from 1). */
export function shardFileNames(group: number, count: number): string[] {
  return Array.from({ length: count }, (_, k) => `group${group}-shard${k + 1}of${count}.bin`);
}

/** IEEE half precision to a number. */
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function decodeOne(spec: TfjsWeightSpec, view: DataView, offset: number): { weight: DecodedWeight; bytes: number } {
  const count = elementCount(spec.shape);
  const quantization = spec.quantization;
  if (quantization) {
    // Files from other tools may name anything here; only these three are quantizations.
    const size = (['uint8', 'uint16', 'float16'] as string[]).includes(quantization.dtype) ? ELEMENT_BYTES[quantization.dtype] : undefined;
    if (!size) {
      throw new Error(`tfjs weights: entry '${spec.name}' is quantized as '${quantization.dtype}'. Expected uint8, uint16 or float16. Fix: convert the model again without that quantization.`);
    }
    const values = new Float32Array(count);
    if (quantization.dtype === 'float16') {
      for (let i = 0; i < count; i++) values[i] = halfToFloat(view.getUint16(offset + i * 2, true));
    } else {
      // Affine quantization: value = q * scale + min.
      const scale = quantization.scale ?? 1;
      const min = quantization.min ?? 0;
      for (let i = 0; i < count; i++) values[i] = (size === 1 ? view.getUint8(offset + i) : view.getUint16(offset + i * 2, true)) * scale + min;
    }
    const dtype = spec.dtype === 'int32' ? 'int32' : 'float32';
    const out = dtype === 'int32' ? Int32Array.from(values, Math.round) : values;
    return { weight: { name: spec.name, shape: spec.shape, dtype, values: out, group: spec.group }, bytes: count * size };
  }
  if (spec.dtype === 'float32') {
    const values = new Float32Array(count);
    for (let i = 0; i < count; i++) values[i] = view.getFloat32(offset + i * 4, true);
    return { weight: { name: spec.name, shape: spec.shape, dtype: 'float32', values, group: spec.group }, bytes: count * 4 };
  }
  if (spec.dtype === 'int32') {
    const values = new Int32Array(count);
    for (let i = 0; i < count; i++) values[i] = view.getInt32(offset + i * 4, true);
    return { weight: { name: spec.name, shape: spec.shape, dtype: 'int32', values, group: spec.group }, bytes: count * 4 };
  }
  if (spec.dtype === 'bool') {
    const values = new Uint8Array(count);
    for (let i = 0; i < count; i++) values[i] = view.getUint8(offset + i) ? 1 : 0;
    return { weight: { name: spec.name, shape: spec.shape, dtype: 'bool', values, group: spec.group }, bytes: count };
  }
  throw new Error(`tfjs weights: entry '${spec.name}' has dtype '${spec.dtype}'. Expected float32, int32 or bool (or a quantized float32). Fix: convert the model with float32 weights.`);
}

/** The bytes the entries need, to check that the shards hold them all. */
export function expectedBytes(specs: readonly TfjsWeightSpec[]): number {
  return specs.reduce((n, spec) => {
    const size = spec.quantization ? ELEMENT_BYTES[spec.quantization.dtype] ?? 0 : ELEMENT_BYTES[spec.dtype] ?? 0;
    return n + elementCount(spec.shape) * size;
  }, 0);
}

/** Every entry's values from a group's concatenated shard bytes. */
export function decodeWeights(specs: readonly TfjsWeightSpec[], data: Uint8Array, where: string): DecodedWeight[] {
  const need = expectedBytes(specs);
  if (data.length !== need) {
    throw new Error(
      `${where}: the weight shards hold ${data.length} bytes, but the manifest's ${specs.length} entries need ${need}. ` +
        `The shard files are truncated, missing or belong to another model. Fix: copy model.json together with all of its .bin files.`,
    );
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out: DecodedWeight[] = [];
  let offset = 0;
  for (const spec of specs) {
    const { weight, bytes } = decodeOne(spec, view, offset);
    out.push(weight);
    offset += bytes;
  }
  return out;
}
