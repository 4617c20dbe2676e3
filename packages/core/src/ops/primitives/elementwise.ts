/** Elementwise primitives: unary, binary with broadcasting, where and cast, each with its gradient rule. */
import type { BinaryOp, UnaryOp } from '../../backend/backend.js';
import { definePrimitive, type Primitive, type GradContext, type GradRule, type TensorSpec } from '../../runtime/primitive.js';
import type { DType } from '../../tensor/dtype.js';
import { broadcastShapes, formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as g from './grad_ops.js';

const BOOL_OUT_UNARY: ReadonlySet<UnaryOp> = new Set(['logicalNot', 'isNan', 'isFinite']);
const FLOAT_ONLY_UNARY: ReadonlySet<UnaryOp> = new Set([
  'exp', 'expm1', 'log', 'log1p', 'sqrt', 'rsqrt', 'reciprocal', 'sin', 'cos', 'tanh', 'sigmoid', 'erf', 'softplus', 'isNan', 'isFinite',
]);

export interface UnaryAttrs {
  readonly op: UnaryOp;
}

/** One line per unary op: the vector-Jacobian product from dy, x and y. */
const UNARY_GRADIENTS: Record<UnaryOp, ((dy: Tensor, x: Tensor, y: Tensor) => Tensor) | null> = {
  neg: (dy) => g.neg(dy),
  abs: (dy, x) => g.mul(dy, g.unary('sign', x)),
  sign: (dy) => g.zerosLike(dy),
  exp: (dy, _x, y) => g.mul(dy, y),
  expm1: (dy, _x, y) => g.mul(dy, g.add(y, g.scalarLike(1, y))),
  log: (dy, x) => g.div(dy, x),
  log1p: (dy, x) => g.div(dy, g.add(x, g.scalarLike(1, x))),
  sqrt: (dy, _x, y) => g.div(dy, g.mul(y, g.scalarLike(2, y))),
  rsqrt: (dy, x, y) => g.mul(dy, g.div(g.mul(y, g.scalarLike(-0.5, y)), x)),
  square: (dy, x) => g.mul(dy, g.mul(x, g.scalarLike(2, x))),
  reciprocal: (dy, _x, y) => g.neg(g.mul(dy, g.mul(y, y))),
  sin: (dy, x) => g.mul(dy, g.unary('cos', x)),
  cos: (dy, x) => g.neg(g.mul(dy, g.unary('sin', x))),
  tanh: (dy, _x, y) => g.mul(dy, g.sub(g.scalarLike(1, y), g.mul(y, y))),
  sigmoid: (dy, _x, y) => g.mul(dy, g.mul(y, g.sub(g.scalarLike(1, y), y))),
  relu: (dy, x) => g.mul(dy, g.cast(g.binary('greater', x, g.scalarLike(0, x)), dy.dtype)),
  erf: (dy, x) => g.mul(dy, g.mul(g.unary('exp', g.neg(g.mul(x, x))), g.scalarLike(2 / Math.sqrt(Math.PI), x))),
  floor: (dy) => g.zerosLike(dy),
  ceil: (dy) => g.zerosLike(dy),
  round: (dy) => g.zerosLike(dy),
  softplus: (dy, x) => g.mul(dy, g.unary('sigmoid', x)),
  logicalNot: null,
  isNan: null,
  isFinite: null,
};

export const unaryPrimitive: Primitive<UnaryAttrs> = definePrimitive<UnaryAttrs>({
  name: 'unary',
  infer([x], { op }) {
    if (FLOAT_ONLY_UNARY.has(op) && x.dtype !== 'float32') {
      throw new TypeError(`${op}: expected a float32 tensor, got ${x.dtype} ${formatShape(x.shape)}. Fix: cast it first with ops.cast(x, 'float32').`);
    }
    if (op === 'logicalNot' && x.dtype !== 'bool') {
      throw new TypeError(`logicalNot: expected a bool tensor, got ${x.dtype}. Fix: compare first (e.g. ops.notEqual(x, 0)).`);
    }
    return [{ shape: x.shape, dtype: BOOL_OUT_UNARY.has(op) ? 'bool' : x.dtype }];
  },
  forward(backend, [x], { op }, [out]) {
    return [backend.unary(op, x, out)];
  },
  grad({ dys: [dy], inputs: [x], outputs: [y], attrs: { op } }) {
    const rule = UNARY_GRADIENTS[op];
    return [rule && x.dtype === 'float32' ? rule(dy, x, y) : null];
  },
});

export interface BinaryAttrs {
  readonly op: BinaryOp;
}

const COMPARISON_OPS: ReadonlySet<BinaryOp> = new Set([
  'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'logicalAnd', 'logicalOr',
]);

type BinaryGradient = (dy: Tensor, a: Tensor, b: Tensor, y: Tensor) => [Tensor | null, Tensor | null];

const ge = (a: Tensor, b: Tensor, dtype: DType) => g.cast(g.binary('greaterEqual', a, b), dtype);
const le = (a: Tensor, b: Tensor, dtype: DType) => g.cast(g.binary('lessEqual', a, b), dtype);

/** One line per binary op; results are reduced back to each input's shape by the caller. */
const BINARY_GRADIENTS: Record<BinaryOp, BinaryGradient | null> = {
  add: (dy) => [dy, dy],
  sub: (dy) => [dy, g.neg(dy)],
  mul: (dy, a, b) => [g.mul(dy, b), g.mul(dy, a)],
  div: (dy, a, b) => [g.div(dy, b), g.neg(g.div(g.mul(dy, a), g.mul(b, b)))],
  pow: (dy, a, b, y) => {
    const da = g.mul(dy, g.mul(b, g.binary('pow', a, g.sub(b, g.scalarLike(1, b)))));
    // d/db a^b = a^b log a, defined for a > 0; 0 elsewhere (as TensorFlow does).
    const positive = g.binary('greater', a, g.scalarLike(0, a));
    const safeLog = g.unary('log', g.where(positive, a, g.onesLike(a)));
    const db = g.mul(dy, g.where(positive, g.mul(y, safeLog), g.zerosLike(y)));
    return [da, db];
  },
  maximum: (dy, a, b) => [g.mul(dy, ge(a, b, dy.dtype)), g.mul(dy, g.cast(g.binary('less', a, b), dy.dtype))],
  minimum: (dy, a, b) => [g.mul(dy, le(a, b, dy.dtype)), g.mul(dy, g.cast(g.binary('greater', a, b), dy.dtype))],
  floorDiv: (dy) => [g.zerosLike(dy), g.zerosLike(dy)],
  mod: (dy, a, b) => [dy, g.neg(g.mul(dy, g.unary('floor', g.div(a, b))))],
  equal: null,
  notEqual: null,
  less: null,
  lessEqual: null,
  greater: null,
  greaterEqual: null,
  logicalAnd: null,
  logicalOr: null,
};

export const binaryPrimitive: Primitive<BinaryAttrs> = definePrimitive<BinaryAttrs>({
  name: 'binary',
  infer([a, b], { op }) {
    if (a.dtype !== b.dtype) {
      throw new TypeError(`${op}: operands have dtypes ${a.dtype} and ${b.dtype}; the op casts them to one dtype first (an internal error if you see this).`);
    }
    if ((op === 'logicalAnd' || op === 'logicalOr') && a.dtype !== 'bool') {
      throw new TypeError(`${op}: expected bool tensors, got ${a.dtype}. Fix: compare first (e.g. ops.greater(x, 0)).`);
    }
    return [{ shape: broadcastShapes(a.shape, b.shape, op), dtype: COMPARISON_OPS.has(op) ? 'bool' : a.dtype }];
  },
  forward(backend, [a, b], { op }, [out]) {
    return [backend.binary(op, a, b, out)];
  },
  grad({ dys: [dy], inputs: [a, b], outputs: [y], attrs: { op } }) {
    const rule = BINARY_GRADIENTS[op];
    if (!rule || a.dtype !== 'float32') return [null, null];
    const [da, db] = rule(dy, a, b, y);
    return [da && g.sumToShape(da, a.shape), db && g.sumToShape(db, b.shape)];
  },
});

export const wherePrimitive: Primitive<Record<string, never>> = definePrimitive<Record<string, never>>({
  name: 'where',
  infer([cond, a, b]) {
    if (cond.dtype !== 'bool') throw new TypeError(`where: the condition must be bool, got ${cond.dtype}. Fix: compare first (e.g. ops.greater(x, 0)).`);
    const shape = broadcastShapes(broadcastShapes(cond.shape, a.shape, 'where'), b.shape, 'where');
    return [{ shape, dtype: a.dtype }];
  },
  forward(backend, [cond, a, b], _attrs, [out]) {
    return [backend.where(cond, a, b, out)];
  },
  grad({ dys: [dy], inputs: [cond, a, b] }: GradContext<Record<string, never>>) {
    if (a.dtype !== 'float32') return [null, null, null];
    const zeros = g.zerosLike(dy);
    return [null, g.sumToShape(g.where(cond, dy, zeros), a.shape), g.sumToShape(g.where(cond, zeros, dy), b.shape)];
  },
});

export interface CastAttrs {
  readonly dtype: DType;
}

export const castPrimitive: Primitive<CastAttrs> = definePrimitive<CastAttrs>({
  name: 'cast',
  infer([x], { dtype }): TensorSpec[] {
    return [{ shape: x.shape, dtype }];
  },
  forward(backend, [x], _attrs, [out]) {
    return [backend.cast(x, out)];
  },
  // The gradient flows through a cast between float types only; ints and bools have none.
  grad: (({ dys: [dy], inputs: [x] }) => [x.dtype === 'float32' ? dy : null]) as GradRule<CastAttrs>,
});
