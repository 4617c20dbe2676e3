/**
 * keras.regularizers: penalties on weights (or a layer's outputs) added to the loss in training.
 * `l1`: l1 · sum(|x|); `l2`: l2 · sum(x²) (Keras 3 has no ½); `l1_l2`: both. Defaults 0.01.
 */
import type { Tensor } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';

export abstract class Regularizer {
  abstract call(x: Tensor): Tensor;
  abstract getConfig(): Record<string, unknown>;
  abstract readonly className: string;
}

function checkFactor(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`regularizers: ${name} must be a non-negative number, got ${JSON.stringify(value)}. Fix: e.g. { ${name}: 0.01 }.`);
  }
  return value;
}

export class L1L2 extends Regularizer {
  readonly className: string = 'L1L2';
  readonly l1: number;
  readonly l2: number;
  constructor(args: { l1?: number; l2?: number } = {}) {
    super();
    this.l1 = checkFactor('l1', args.l1 ?? 0);
    this.l2 = checkFactor('l2', args.l2 ?? 0);
  }
  call(x: Tensor): Tensor {
    let penalty: Tensor = ops.multiply(ops.sum(ops.abs(x)), this.l1);
    if (this.l2 !== 0) penalty = ops.add(penalty, ops.multiply(ops.sum(ops.square(x)), this.l2));
    return penalty;
  }
  getConfig(): Record<string, unknown> {
    return { l1: this.l1, l2: this.l2 };
  }
}

export class L1 extends L1L2 {
  override readonly className = 'L1';
  constructor(args: { l1?: number } = {}) {
    super({ l1: args.l1 ?? 0.01, l2: 0 });
  }
  override getConfig(): Record<string, unknown> {
    return { l1: this.l1 };
  }
}

export class L2 extends L1L2 {
  override readonly className = 'L2';
  constructor(args: { l2?: number } = {}) {
    super({ l1: 0, l2: args.l2 ?? 0.01 });
  }
  override getConfig(): Record<string, unknown> {
    return { l2: this.l2 };
  }
}

export type RegularizerIdentifier = string | Regularizer | { class_name?: string; className?: string; config?: Record<string, unknown> } | null | undefined;

const BY_NAME: Record<string, (config: Record<string, unknown>) => Regularizer> = {
  l1: (c) => new L1(c as { l1?: number }),
  l2: (c) => new L2(c as { l2?: number }),
  l1_l2: (c) => new L1L2({ l1: (c.l1 as number | undefined) ?? 0.01, l2: (c.l2 as number | undefined) ?? 0.01 }),
  L1: (c) => new L1(c as { l1?: number }),
  L2: (c) => new L2(c as { l2?: number }),
  L1L2: (c) => new L1L2(c as { l1?: number; l2?: number }),
  l1l2: (c) => new L1L2(c as { l1?: number; l2?: number }),
};

/** A regularizer by name ('l1', 'l2', 'l1_l2'), config, or instance; null for none. */
export function get(identifier: RegularizerIdentifier): Regularizer | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Regularizer) return identifier;
  const name = typeof identifier === 'string' ? identifier : (identifier.class_name ?? identifier.className);
  const config = typeof identifier === 'string' ? {} : (identifier.config ?? {});
  const make = name === undefined ? undefined : BY_NAME[name];
  if (!make) {
    throw new Error(`Could not interpret regularizer identifier: ${JSON.stringify(identifier)}. Expected 'l1', 'l2', 'l1_l2', a { class_name, config } object, or a Regularizer. Fix: use one of those.`);
  }
  return make(config);
}

export function serialize(regularizer: Regularizer | null): Record<string, unknown> | null {
  return regularizer ? { module: 'keras.regularizers', class_name: regularizer.className, config: regularizer.getConfig(), registered_name: null } : null;
}
