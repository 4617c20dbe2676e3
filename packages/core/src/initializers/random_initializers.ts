/**
 * Initializers that draw random values (keras/src/initializers/random_initializers.py), with
 * Keras 3's defaults: RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling and its
 * Glorot/He/Lecun presets, and Orthogonal.
 */
import { streamOf, standardNormals } from '../random/distributions.js';
import { randomNormal, randomUniform, truncatedNormal } from '../random/random.js';
import { drawSeed, type SeedGenerator } from '../random/seed_generator.js';
import { fromTypedArray } from '../tensor/create.js';
import type { DType } from '../tensor/dtype.js';
import { formatShape, type Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkCall, checkOptions, computeFans, Initializer, InitializerSeed, type InitializerConfig, type SeedConfig } from './initializer.js';
import { orthonormalColumns } from './qr.js';

/** A seed option: an integer, a SeedGenerator, or a SeedGenerator's serialized config. */
export type SeedOption = number | SeedGenerator | SeedConfig | null;

/**
 * The stddev of a standard normal truncated to [-2, 2]. VarianceScaling divides by it so that the
 * values' stddev after truncation is the one asked for.
 */
const TRUNCATED_STDDEV = 0.87962566103423978;

function number(value: unknown, name: string, where: string, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new TypeError(`${where}: ${name} must be a finite number, got ${JSON.stringify(v)}. Fix: pass a number such as ${fallback}.`);
  }
  return v;
}

/** Checks the call and that the dtype is a float: random values cannot be stored as int32 or bool. */
function floatCall(shape: unknown, dtype: DType | string | undefined, where: string): Shape {
  const c = checkCall(shape, dtype, where);
  if (c.dtype !== 'float32') {
    throw new TypeError(`${where}: random initializers make floating values, got dtype '${c.dtype}'. Fix: omit the dtype (float32), or use 'zeros', 'ones' or Constant for integer variables.`);
  }
  return c.shape;
}

/** The seed handling of every random initializer (Keras's RandomInitializer). */
export abstract class RandomInitializer extends Initializer {
  protected readonly seed: InitializerSeed;

  constructor(seed: unknown, where: string) {
    super();
    this.seed = new InitializerSeed(seed, where);
  }

  override getConfig(): InitializerConfig {
    return { seed: this.seed.toConfig() };
  }
}

export class RandomNormal extends RandomInitializer {
  static override readonly className: string = 'RandomNormal';
  readonly mean: number;
  readonly stddev: number;

  constructor(options: { mean?: number; stddev?: number; seed?: SeedOption } = {}) {
    checkOptions(options, ['mean', 'stddev', 'seed'], 'RandomNormal');
    super(options.seed, 'RandomNormal');
    this.mean = number(options.mean, 'mean', 'RandomNormal', 0);
    this.stddev = number(options.stddev, 'stddev', 'RandomNormal', 0.05);
  }

  call(shape: readonly number[], dtype?: DType | string): Tensor {
    return randomNormal(floatCall(shape, dtype, 'RandomNormal'), { mean: this.mean, stddev: this.stddev, seed: this.seed.forCall() });
  }

  override getConfig(): InitializerConfig {
    return { ...super.getConfig(), mean: this.mean, stddev: this.stddev };
  }
}

/** Normal values, with those beyond 2 stddev from the mean re-drawn. */
export class TruncatedNormal extends RandomInitializer {
  static override readonly className: string = 'TruncatedNormal';
  readonly mean: number;
  readonly stddev: number;

  constructor(options: { mean?: number; stddev?: number; seed?: SeedOption } = {}) {
    checkOptions(options, ['mean', 'stddev', 'seed'], 'TruncatedNormal');
    super(options.seed, 'TruncatedNormal');
    this.mean = number(options.mean, 'mean', 'TruncatedNormal', 0);
    this.stddev = number(options.stddev, 'stddev', 'TruncatedNormal', 0.05);
  }

  call(shape: readonly number[], dtype?: DType | string): Tensor {
    return truncatedNormal(floatCall(shape, dtype, 'TruncatedNormal'), { mean: this.mean, stddev: this.stddev, seed: this.seed.forCall() });
  }

  override getConfig(): InitializerConfig {
    return { ...super.getConfig(), mean: this.mean, stddev: this.stddev };
  }
}

export class RandomUniform extends RandomInitializer {
  static override readonly className: string = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;

  constructor(options: { minval?: number; maxval?: number; seed?: SeedOption } = {}) {
    checkOptions(options, ['minval', 'maxval', 'seed'], 'RandomUniform');
    super(options.seed, 'RandomUniform');
    this.minval = number(options.minval, 'minval', 'RandomUniform', -0.05);
    this.maxval = number(options.maxval, 'maxval', 'RandomUniform', 0.05);
  }

  call(shape: readonly number[], dtype?: DType | string): Tensor {
    return randomUniform(floatCall(shape, dtype, 'RandomUniform'), { minval: this.minval, maxval: this.maxval, seed: this.seed.forCall() });
  }

  override getConfig(): InitializerConfig {
    return { ...super.getConfig(), minval: this.minval, maxval: this.maxval };
  }
}

export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';
export type ScalingDistribution = 'truncated_normal' | 'untruncated_normal' | 'uniform';

export interface VarianceScalingOptions {
  scale?: number;
  mode?: FanMode;
  /** 'normal' is accepted as Keras's alias of 'truncated_normal'. */
  distribution?: ScalingDistribution | 'normal';
  seed?: SeedOption;
}

/**
 * Values whose variance is `scale / n`, n being fan_in, fan_out or their mean: a normal truncated
 * at 2σ (stddev corrected for the truncation), an untruncated normal, or a uniform on ±sqrt(3 scale / n).
 */
export class VarianceScaling extends RandomInitializer {
  static override readonly className: string = 'VarianceScaling';
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: ScalingDistribution;

  constructor(options: VarianceScalingOptions = {}, where = 'VarianceScaling') {
    checkOptions(options, ['scale', 'mode', 'distribution', 'seed'], where);
    super(options.seed, where);
    this.scale = number(options.scale, 'scale', where, 1);
    if (!(this.scale > 0)) throw new RangeError(`${where}: scale must be positive, got ${this.scale}. Fix: pass e.g. { scale: 2 }.`);
    const mode = options.mode ?? 'fan_in';
    if (mode !== 'fan_in' && mode !== 'fan_out' && mode !== 'fan_avg') {
      throw new RangeError(`${where}: unknown mode ${JSON.stringify(mode)}. Expected 'fan_in', 'fan_out' or 'fan_avg'. Fix: use one of those.`);
    }
    this.mode = mode;
    const distribution = typeof options.distribution === 'string' ? options.distribution.toLowerCase() : (options.distribution ?? 'truncated_normal');
    if (distribution === 'normal') this.distribution = 'truncated_normal';
    else if (distribution === 'truncated_normal' || distribution === 'untruncated_normal' || distribution === 'uniform') this.distribution = distribution;
    else {
      throw new RangeError(
        `${where}: unknown distribution ${JSON.stringify(distribution)}. Expected 'truncated_normal', 'untruncated_normal' or 'uniform'. Fix: use one of those.`,
      );
    }
  }

  call(shape: readonly number[], dtype?: DType | string): Tensor {
    const s = floatCall(shape, dtype, this.className);
    const [fanIn, fanOut] = computeFans(s);
    const n = this.mode === 'fan_in' ? fanIn : this.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, n);
    const seed = this.seed.forCall();
    if (this.distribution === 'truncated_normal') return truncatedNormal(s, { stddev: Math.sqrt(variance) / TRUNCATED_STDDEV, seed });
    if (this.distribution === 'untruncated_normal') return randomNormal(s, { stddev: Math.sqrt(variance), seed });
    const limit = Math.sqrt(3 * variance);
    return randomUniform(s, { minval: -limit, maxval: limit, seed });
  }

  override getConfig(): InitializerConfig {
    return { ...super.getConfig(), scale: this.scale, mode: this.mode, distribution: this.distribution };
  }
}

/** A VarianceScaling preset: its config holds only the seed, as in Keras. */
abstract class VarianceScalingPreset extends VarianceScaling {
  constructor(options: { seed?: SeedOption }, preset: Required<Omit<VarianceScalingOptions, 'seed'>>, where: string) {
    checkOptions(options, ['seed'], where);
    super({ ...preset, seed: options.seed ?? null }, where);
  }

  override getConfig(): InitializerConfig {
    return { seed: this.seed.toConfig() };
  }
}

/** Xavier/Glorot uniform: limit sqrt(6 / (fan_in + fan_out)). Keras's default kernel initializer. */
export class GlorotUniform extends VarianceScalingPreset {
  static override readonly className: string = 'GlorotUniform';
  constructor(options: { seed?: SeedOption } = {}) {
    super(options, { scale: 1, mode: 'fan_avg', distribution: 'uniform' }, 'GlorotUniform');
  }
}

/** Xavier/Glorot normal: truncated, stddev sqrt(2 / (fan_in + fan_out)). */
export class GlorotNormal extends VarianceScalingPreset {
  static override readonly className: string = 'GlorotNormal';
  constructor(options: { seed?: SeedOption } = {}) {
    super(options, { scale: 1, mode: 'fan_avg', distribution: 'truncated_normal' }, 'GlorotNormal');
  }
}

/** He uniform: limit sqrt(6 / fan_in), for ReLU networks. */
export class HeUniform extends VarianceScalingPreset {
  static override readonly className: string = 'HeUniform';
  constructor(options: { seed?: SeedOption } = {}) {
    super(options, { scale: 2, mode: 'fan_in', distribution: 'uniform' }, 'HeUniform');
  }
}

/** He normal: truncated, stddev sqrt(2 / fan_in). */
export class HeNormal extends VarianceScalingPreset {
  static override readonly className: string = 'HeNormal';
  constructor(options: { seed?: SeedOption } = {}) {
    super(options, { scale: 2, mode: 'fan_in', distribution: 'truncated_normal' }, 'HeNormal');
  }
}

/** LeCun uniform: limit sqrt(3 / fan_in). */
export class LecunUniform extends VarianceScalingPreset {
  static override readonly className: string = 'LecunUniform';
  constructor(options: { seed?: SeedOption } = {}) {
    super(options, { scale: 1, mode: 'fan_in', distribution: 'uniform' }, 'LecunUniform');
  }
}

/** LeCun normal: truncated, stddev sqrt(1 / fan_in), for SELU networks. */
export class LecunNormal extends VarianceScalingPreset {
  static override readonly className: string = 'LecunNormal';
  constructor(options: { seed?: SeedOption } = {}) {
    super(options, { scale: 1, mode: 'fan_in', distribution: 'truncated_normal' }, 'LecunNormal');
  }
}

/**
 * A (semi-)orthogonal matrix times `gain`: the Q of a Gaussian matrix's QR with signs fixed. A shape
 * of rank > 2 is treated as (product of all but the last axis, last axis), as Keras does for conv
 * kernels; the result has orthonormal columns, or orthonormal rows when there are fewer rows.
 */
export class Orthogonal extends RandomInitializer {
  // Keras 3 names the class OrthogonalInitializer in saved configs; 'Orthogonal' stays an alias.
  static override readonly className: string = 'OrthogonalInitializer';
  readonly gain: number;

  constructor(options: { gain?: number; seed?: SeedOption } = {}) {
    checkOptions(options, ['gain', 'seed'], 'Orthogonal');
    super(options.seed, 'Orthogonal');
    this.gain = number(options.gain, 'gain', 'Orthogonal', 1);
  }

  call(shape: readonly number[], dtype?: DType | string): Tensor {
    const s = floatCall(shape, dtype, 'Orthogonal');
    if (s.length < 2) {
      throw new Error(`Orthogonal: the shape must have at least 2 axes, got ${formatShape(s)} of rank ${s.length}. Fix: use it for kernels (e.g. a Dense or recurrent kernel), not biases.`);
    }
    const cols = s[s.length - 1];
    const rows = s.slice(0, -1).reduce((a, b) => a * b, 1);
    const m = Math.max(rows, cols);
    const n = Math.min(rows, cols);
    // Keras draws normal(flat_shape, seed); the float64 normals are used unrounded for an accurate QR.
    const a = standardNormals(streamOf(drawSeed(this.seed.forCall(), 'Orthogonal')), m * n);
    const q = orthonormalColumns(a, m, n);
    const out = new Float32Array(rows * cols);
    if (rows >= cols) for (let i = 0; i < q.length; i++) out[i] = this.gain * q[i];
    else for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = this.gain * q[j * n + i];
    return fromTypedArray(out, s, 'float32');
  }

  override getConfig(): InitializerConfig {
    return { ...super.getConfig(), gain: this.gain };
  }
}
