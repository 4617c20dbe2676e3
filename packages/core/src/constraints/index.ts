/**
 * keras.constraints: projections applied to a weight after each optimizer update (Keras applies
 * them in the optimizer's apply step). Norms are taken along `axis` (0 by default: each output
 * unit's incoming weights for a Dense kernel).
 */
import type { Tensor } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';

const EPSILON = 1e-7;

export abstract class Constraint {
  abstract call(w: Tensor): Tensor;
  abstract getConfig(): Record<string, unknown>;
  abstract readonly className: string;
}

function norms(w: Tensor, axis: number | number[]): Tensor {
  return ops.sqrt(ops.sum(ops.square(w), { axis, keepdims: true }));
}

export class MaxNorm extends Constraint {
  readonly className = 'MaxNorm';
  readonly maxValue: number;
  readonly axis: number | number[];
  constructor(args: { maxValue?: number; axis?: number | number[] } = {}) {
    super();
    this.maxValue = args.maxValue ?? 2;
    this.axis = args.axis ?? 0;
  }
  call(w: Tensor): Tensor {
    const n = norms(w, this.axis);
    return ops.multiply(w, ops.divide(ops.clip(n, 0, this.maxValue), ops.add(n, EPSILON)));
  }
  getConfig(): Record<string, unknown> {
    return { max_value: this.maxValue, axis: this.axis };
  }
}

export class NonNeg extends Constraint {
  readonly className = 'NonNeg';
  call(w: Tensor): Tensor {
    return ops.multiply(w, ops.cast(ops.greaterEqual(w, 0), 'float32'));
  }
  getConfig(): Record<string, unknown> {
    return {};
  }
}

export class UnitNorm extends Constraint {
  readonly className = 'UnitNorm';
  readonly axis: number | number[];
  constructor(args: { axis?: number | number[] } = {}) {
    super();
    this.axis = args.axis ?? 0;
  }
  call(w: Tensor): Tensor {
    return ops.divide(w, ops.add(norms(w, this.axis), EPSILON));
  }
  getConfig(): Record<string, unknown> {
    return { axis: this.axis };
  }
}

export class MinMaxNorm extends Constraint {
  readonly className = 'MinMaxNorm';
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: number | number[];
  constructor(args: { minValue?: number; maxValue?: number; rate?: number; axis?: number | number[] } = {}) {
    super();
    this.minValue = args.minValue ?? 0;
    this.maxValue = args.maxValue ?? 1;
    this.rate = args.rate ?? 1;
    this.axis = args.axis ?? 0;
    if (this.minValue > this.maxValue) throw new Error(`MinMaxNorm: minValue ${this.minValue} is above maxValue ${this.maxValue}. Fix: swap them.`);
  }
  call(w: Tensor): Tensor {
    const n = norms(w, this.axis);
    const desired = ops.add(ops.multiply(ops.clip(n, this.minValue, this.maxValue), this.rate), ops.multiply(n, 1 - this.rate));
    return ops.multiply(w, ops.divide(desired, ops.add(n, EPSILON)));
  }
  getConfig(): Record<string, unknown> {
    return { min_value: this.minValue, max_value: this.maxValue, rate: this.rate, axis: this.axis };
  }
}

export type ConstraintIdentifier = string | Constraint | { class_name?: string; className?: string; config?: Record<string, unknown> } | null | undefined;

const BY_NAME: Record<string, (c: Record<string, unknown>) => Constraint> = {
  max_norm: (c) => new MaxNorm({ maxValue: c.max_value as number | undefined, axis: c.axis as number | undefined }),
  non_neg: () => new NonNeg(),
  unit_norm: (c) => new UnitNorm({ axis: c.axis as number | undefined }),
  min_max_norm: (c) => new MinMaxNorm({ minValue: c.min_value as number | undefined, maxValue: c.max_value as number | undefined, rate: c.rate as number | undefined, axis: c.axis as number | undefined }),
};
const ALIASES: Record<string, string> = { MaxNorm: 'max_norm', NonNeg: 'non_neg', UnitNorm: 'unit_norm', MinMaxNorm: 'min_max_norm', maxNorm: 'max_norm', nonNeg: 'non_neg', unitNorm: 'unit_norm', minMaxNorm: 'min_max_norm' };

/** A constraint by name ('max_norm', 'non_neg', 'unit_norm', 'min_max_norm'), config, or instance; null for none. */
export function get(identifier: ConstraintIdentifier): Constraint | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Constraint) return identifier;
  const raw = typeof identifier === 'string' ? identifier : (identifier.class_name ?? identifier.className ?? '');
  const make = BY_NAME[ALIASES[raw] ?? raw];
  if (!make) {
    throw new Error(`Could not interpret constraint identifier: ${JSON.stringify(identifier)}. Expected one of 'max_norm', 'non_neg', 'unit_norm', 'min_max_norm', a { class_name, config } object, or a Constraint.`);
  }
  return make(typeof identifier === 'string' ? {} : (identifier.config ?? {}));
}

export function serialize(constraint: Constraint | null): Record<string, unknown> | null {
  return constraint ? { module: 'keras.constraints', class_name: constraint.className, config: constraint.getConfig(), registered_name: null } : null;
}
