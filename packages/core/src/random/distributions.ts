/**
 * The samplers, in plain JavaScript over a Philox stream: no backend is involved, so a seed gives
 * bit-identical values everywhere. Values are computed in float64 and rounded once, on storing.
 */
import { PhiloxStream } from './philox.js';
import type { SeedPair } from './seed_generator.js';

const TWO_PI = 2 * Math.PI;
const TWO_32 = 4294967296;

export function streamOf(pair: SeedPair): PhiloxStream {
  return new PhiloxStream(pair.seed, pair.counter);
}

/**
 * `n` standard normal values by Box–Muller: each Philox block (four words) gives two 53-bit
 * uniforms and so two normals. Box–Muller is exact (no tables, unlike Ziggurat) and its cost is
 * small against uploading the result.
 */
export function standardNormals(stream: PhiloxStream, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    // 1 - u lies in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - stream.nextFloat53()));
    const angle = TWO_PI * stream.nextFloat53();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < n) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

/**
 * `n` standard normals restricted to [-bound, bound] by rejection: a value outside is discarded
 * and the stream's next normal is tried, as Keras's truncated_normal re-draws values beyond 2σ.
 */
export function truncatedStandardNormals(stream: PhiloxStream, n: number, bound = 2): Float64Array {
  const out = new Float64Array(n);
  let filled = 0;
  while (filled < n) {
    const radius = Math.sqrt(-2 * Math.log(1 - stream.nextFloat53()));
    const angle = TWO_PI * stream.nextFloat53();
    const z0 = radius * Math.cos(angle);
    const z1 = radius * Math.sin(angle);
    if (Math.abs(z0) <= bound) out[filled++] = z0;
    if (filled < n && Math.abs(z1) <= bound) out[filled++] = z1;
  }
  return out;
}

const scratch = new Float32Array(1);
const scratchBits = new Int32Array(scratch.buffer);

/** The float32 next to the float32 `f`, upward or downward. */
function stepFloat32(f: number, up: boolean): number {
  if (f === 0) return up ? 1.401298464324817e-45 : -1.401298464324817e-45;
  scratch[0] = f;
  scratchBits[0] += (f > 0) === up ? 1 : -1;
  return scratch[0];
}

/** The largest float32 strictly below `x`. */
function float32Below(x: number): number {
  const f = Math.fround(x);
  return f < x ? f : stepFloat32(f, false);
}

/** The smallest float32 at or above `x`. */
function float32AtOrAbove(x: number): number {
  const f = Math.fround(x);
  return f >= x ? f : stepFloat32(f, true);
}

/**
 * `n` float32 values uniform on [minval, maxval). One 32-bit word per value is ample for float32's
 * 24-bit mantissa; the result is clamped so that rounding to float32 can never reach `maxval`.
 */
export function uniformFloat32(stream: PhiloxStream, n: number, minval: number, maxval: number): Float32Array {
  const out = new Float32Array(n);
  const span = maxval - minval;
  const low = float32AtOrAbove(minval);
  const high = float32Below(maxval);
  if (low > high) {
    throw new RangeError(`uniform: no float32 value lies in [${minval}, ${maxval}). Fix: widen the range.`);
  }
  for (let i = 0; i < n; i++) {
    const v = Math.fround(minval + span * (stream.nextUint32() / TWO_32));
    out[i] = v < low ? low : v > high ? high : v;
  }
  return out;
}

/** `n` integers uniform on [minval, maxval), from 53-bit uniforms (bias below span / 2^53). */
export function uniformIntegers(stream: PhiloxStream, n: number, minval: number, maxval: number): Int32Array {
  const out = new Int32Array(n);
  const span = maxval - minval;
  for (let i = 0; i < n; i++) out[i] = minval + Math.floor(stream.nextFloat53() * span);
  return out;
}

/**
 * A random permutation of 0..n-1 by Fisher–Yates (Durstenfeld's in-place form). Each swap index
 * comes from a 53-bit uniform, so the bias is below n / 2^53 for any dataset size.
 */
export function permutation(stream: PhiloxStream, n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(stream.nextFloat53() * (i + 1));
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}

/**
 * A keep mask for dropout: 1 where a value survives (probability 1 - rate), else 0. A value is
 * dropped when its word falls below rate * 2^32, so rate 0 keeps everything.
 */
export function keepMask(stream: PhiloxStream, n: number, rate: number): Uint8Array {
  const out = new Uint8Array(n);
  const threshold = rate * TWO_32;
  for (let i = 0; i < n; i++) out[i] = stream.nextUint32() >= threshold ? 1 : 0;
  return out;
}
