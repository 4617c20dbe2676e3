/**
 * EinsumDense: a dense layer written as an einsum between the input and a kernel, e.g.
 * `'ab,bc->ac'` (Dense), `'abc,cd->abd'` (Dense on every step), `'abc,cde->abde'` (multi-head
 * projections). `outputShape` gives the output's sizes without the batch axis (null where it
 * follows the input); `biasAxes` names the output letters that get a bias. `...` in the input
 * and output stands for axes passed through. Computed with transpose, reshape and matmul.
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import * as activations from '../../activations/index.js';
import { InputSpec } from '../../engine/input_spec.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import * as constraints from '../../constraints/index.js';
import * as ops from '../../ops/index.js';
import type { Variable } from '../../runtime/variable.js';
import { formatShape, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

export interface EinsumDenseArgs extends LayerArgs {
  /** `input,kernel->output`, one letter per axis; `...` may stand for passed-through axes of input and output. */
  equation: string;
  /** The output shape without the batch axis (null entries take the input's size); one number for a 1-D output. */
  outputShape: number | readonly (number | null)[];
  activation?: string | activations.Activation | null;
  /** Output letters that get a bias, e.g. 'c'; none by default. */
  biasAxes?: string | null;
  kernelInitializer?: initializers.InitializerIdentifier;
  biasInitializer?: initializers.InitializerIdentifier;
  kernelRegularizer?: regularizers.RegularizerIdentifier;
  biasRegularizer?: regularizers.RegularizerIdentifier;
  kernelConstraint?: constraints.ConstraintIdentifier;
  biasConstraint?: constraints.ConstraintIdentifier;
}

const EQUATION = /^([a-zA-Z.]+),([a-zA-Z]+)->([a-zA-Z.]+)$/;

interface Analysis {
  /** Letter specs with `...` expanded for the input's rank. */
  input: string;
  kernel: string;
  output: string;
  kernelShape: number[];
  biasShape: number[] | null;
  fullOutputShape: Dim[];
}

const product = (list: readonly number[]): number => list.reduce((a, b) => a * b, 1);

export class EinsumDense extends Layer<KerasTensor, Tensor> {
  readonly equation: string;
  readonly partialOutputShape: (number | null)[];
  readonly activation: activations.NamedActivation;
  readonly biasAxes: string | null;
  readonly kernelInitializer: initializers.InitializerIdentifier;
  readonly biasInitializer: initializers.InitializerIdentifier;
  readonly kernelRegularizer: regularizers.Regularizer | null;
  readonly biasRegularizer: regularizers.Regularizer | null;
  readonly kernelConstraint: constraints.Constraint | null;
  readonly biasConstraint: constraints.Constraint | null;
  kernel: Variable | undefined;
  bias: Variable | undefined;
  private analysis: Analysis | undefined;

  constructor(args: EinsumDenseArgs) {
    super(args ?? ({} as EinsumDenseArgs));
    const equation = args?.equation;
    const match = typeof equation === 'string' ? EQUATION.exec(equation.replace(/\s+/g, '')) : null;
    if (!match || (match[1].includes('.') && !/^(\.\.\.)?[a-zA-Z]+(\.\.\.)?$/.test(match[1])) || match[1].split('...').length > 2) {
      throw new Error(
        `EinsumDense: invalid equation ${JSON.stringify(equation)}. Expected 'input,kernel->output' with one letter per axis, ` +
          `e.g. 'ab,bc->ac'; '...' may start or end the input and output specs. Fix: e.g. new layers.EinsumDense({ equation: 'abc,cd->abd', outputShape: [null, 64] }).`,
      );
    }
    const shape = args.outputShape;
    const list = typeof shape === 'number' ? [shape] : Array.isArray(shape) ? [...(shape as (number | null)[])] : null;
    if (!list || list.some((d) => d !== null && (!Number.isInteger(d) || d <= 0))) {
      throw new Error(
        `EinsumDense: outputShape must be a positive integer or a list of positive integers or nulls (the output without the batch axis); received outputShape=${JSON.stringify(shape)}. ` +
          `Fix: e.g. outputShape: [null, 64] for 'abc,cd->abd'.`,
      );
    }
    this.equation = match[0];
    this.partialOutputShape = list;
    this.activation = activations.get(args.activation);
    const biasAxes = args.biasAxes ?? null;
    const outputSpec = match[3];
    if (biasAxes !== null && (typeof biasAxes !== 'string' || [...biasAxes].some((c) => !/[a-zA-Z]/.test(c) || !outputSpec.includes(c)))) {
      throw new Error(
        `EinsumDense: biasAxes ${JSON.stringify(biasAxes)} must be letters of the output spec '${outputSpec}' of equation '${this.equation}'. ` +
          `Fix: e.g. biasAxes: '${outputSpec.replace(/\./g, '').slice(-1)}'.`,
      );
    }
    this.biasAxes = biasAxes;
    this.kernelInitializer = args.kernelInitializer ?? 'glorot_uniform';
    this.biasInitializer = args.biasInitializer ?? 'zeros';
    this.kernelRegularizer = regularizers.get(args.kernelRegularizer);
    this.biasRegularizer = regularizers.get(args.biasRegularizer);
    this.kernelConstraint = constraints.get(args.kernelConstraint);
    this.biasConstraint = constraints.get(args.biasConstraint);
  }

  /** Expands `...`, checks every letter and finds the kernel, bias and output shapes (Keras's _analyze_einsum_string). */
  private analyze(inputShape: SymbolicShape): Analysis {
    const [, inRaw, kernel, outRaw] = EQUATION.exec(this.equation) as RegExpExecArray;
    const fail = (why: string): never => {
      throw new Error(`EinsumDense "${this.name}" (equation '${this.equation}', input shape ${formatShape(inputShape)}, outputShape ${JSON.stringify(this.partialOutputShape)}): ${why}`);
    };
    let input = inRaw;
    let output = outRaw;
    if (inRaw.includes('...')) {
      const elided = inputShape.length - (inRaw.length - 3);
      if (elided < 0) fail(`the input has rank ${inputShape.length}, fewer than the ${inRaw.length - 3} letters of '${inRaw}'. Fix: pass an input of higher rank.`);
      const used = new Set(this.equation.replace(/[^a-zA-Z]/g, ''));
      const free = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'].filter((c) => !used.has(c)).slice(0, elided).join('');
      input = inRaw.replace('...', free);
      output = outRaw.includes('...') ? outRaw.replace('...', free) : outRaw;
    } else if (outRaw.includes('...')) {
      fail(`'...' in the output needs '...' in the input. Fix: write '...' in both.`);
    }
    if (input.length !== inputShape.length) fail(`the input spec '${inRaw}' names ${input.length} axes but the input has ${inputShape.length}. Fix: one letter per input axis, batch first.`);
    for (const spec of [input, kernel, output]) if (new Set(spec).size !== spec.length) fail(`a letter repeats within '${spec}'; each axis needs its own letter.`);
    const partial = [...this.partialOutputShape];
    // With '...', outputShape may list only the output's named axes (Keras's '...b,bc->...c' with outputShape 64).
    const namedOnly = outRaw.includes('...') ? outRaw.length - 3 : -1;
    if (partial.length !== output.length - 1 && partial.length !== namedOnly) {
      fail(`outputShape has ${partial.length} entries, but the output spec '${outRaw}' has ${output.length - 1} axes after the batch axis. Fix: give one size (or null) for each.`);
    }
    // With '...' on the left, a short outputShape covers the named axes only; the elided ones come from the input.
    const full: Dim[] = output.split('').map((c, i) => {
      const given = partial.length === output.length - 1 ? (i === 0 ? null : partial[i - 1]) : null;
      const inInput = input.indexOf(c);
      if (i === 0 && inInput >= 0) return inputShape[inInput];
      if (inInput >= 0) {
        const d = inputShape[inInput];
        if (given !== null && given !== undefined && d !== null && given !== d) fail(`output axis '${c}' is input axis ${inInput} of size ${d}, but outputShape gives ${given}. Fix: use ${d} or null there.`);
        return d ?? given ?? null;
      }
      if (!kernel.includes(c)) fail(`output letter '${c}' appears in neither the input spec '${input}' nor the kernel spec '${kernel}'.`);
      const fromPartial = partial.length === output.length - 1 ? given : partial[partial.length - (output.length - i)];
      if (fromPartial === null || fromPartial === undefined) fail(`output axis '${c}' comes from the kernel, so its size must be given in outputShape (not null).`);
      return fromPartial as number;
    });
    const kernelShape = kernel.split('').map((c) => {
      const inInput = input.indexOf(c);
      if (inInput >= 0) {
        const d = inputShape[inInput];
        if (d === null) fail(`kernel axis '${c}' is input axis ${inInput}, whose size is unknown. Fix: give the Input a fixed size there.`);
        return d as number;
      }
      const inOutput = output.indexOf(c);
      if (inOutput < 0) fail(`kernel letter '${c}' appears in neither the input spec '${input}' nor the output spec '${output}'.`);
      return full[inOutput] as number;
    });
    let biasShape: number[] | null = null;
    if (this.biasAxes) {
      const first = Math.min(...[...this.biasAxes].map((c) => output.indexOf(c)));
      biasShape = output
        .slice(first)
        .split('')
        .map((c, j) => (this.biasAxes?.includes(c) ? (full[first + j] as number) : 1));
      if (biasShape.some((d) => d === null)) fail(`a bias axis has an unknown size. Fix: give it a size in outputShape.`);
    }
    return { input, kernel, output, kernelShape, biasShape, fullOutputShape: full };
  }

  override build(inputShape: SymbolicShape): void {
    const analysis = this.analyze(inputShape);
    this.analysis = analysis;
    this.kernel = this.addWeight({ name: 'kernel', shape: analysis.kernelShape, initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint });
    if (analysis.biasShape) this.bias = this.addWeight({ name: 'bias', shape: analysis.biasShape, initializer: this.biasInitializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint });
    this.inputSpec = new InputSpec({ ndim: inputShape.length });
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    const a = this.analysis ?? this.analyze(inputs.shape);
    let y = einsumPair(inputs, a.input, ops.convertToTensor(this.kernel as Variable, this.name), a.kernel, a.output);
    if (this.bias) y = ops.add(y, this.bias);
    return this.activation(y);
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return this.analyze(inputShape).fullOutputShape;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      output_shape: [...this.partialOutputShape],
      equation: this.equation,
      activation: activations.serialize(this.activation),
      bias_axes: this.biasAxes,
      kernel_initializer: initializers.serialize(initializers.get(this.kernelInitializer)),
      bias_initializer: initializers.serialize(initializers.get(this.biasInitializer)),
      kernel_regularizer: regularizers.serialize(this.kernelRegularizer),
      bias_regularizer: regularizers.serialize(this.biasRegularizer),
      activity_regularizer: regularizers.serialize(this.activityRegularizer),
      kernel_constraint: constraints.serialize(this.kernelConstraint),
      bias_constraint: constraints.serialize(this.biasConstraint),
    };
  }
}

/**
 * A two-operand einsum without repeated letters: axes shared by x, w and the output are batched,
 * those of x and w alone are contracted, the rest are free (letters of one operand only that are
 * not in the output are summed out first). One batched matmul, then a transpose to the output order.
 */
export function einsumPair(x: Tensor, xSpec: string, w: Tensor, wSpec: string, outSpec: string): Tensor {
  const sumOut = (t: Tensor, spec: string, other: string): [Tensor, string] => {
    const axes = spec.split('').flatMap((c, i) => (!other.includes(c) && !outSpec.includes(c) ? [i] : []));
    if (axes.length === 0) return [t, spec];
    return [ops.sum(t, { axis: axes }), spec.split('').filter((_, i) => !axes.includes(i)).join('')];
  };
  const [xs, xl] = sumOut(x, xSpec, wSpec);
  const [ws, wl] = sumOut(w, wSpec, xSpec);
  const batch = xl.split('').filter((c) => wl.includes(c) && outSpec.includes(c));
  const contract = xl.split('').filter((c) => wl.includes(c) && !outSpec.includes(c));
  const freeX = xl.split('').filter((c) => !wl.includes(c));
  const freeW = wl.split('').filter((c) => !xl.includes(c));
  const sizeOf = (t: Tensor, spec: string, c: string) => t.shape[spec.indexOf(c)];
  const xt = ops.transpose(xs, { axes: [...batch, ...freeX, ...contract].map((c) => xl.indexOf(c)) });
  const wt = ops.transpose(ws, { axes: [...batch, ...contract, ...freeW].map((c) => wl.indexOf(c)) });
  const nb = product(batch.map((c) => sizeOf(xs, xl, c)));
  const nx = product(freeX.map((c) => sizeOf(xs, xl, c)));
  const nk = product(contract.map((c) => sizeOf(xs, xl, c)));
  const nw = product(freeW.map((c) => sizeOf(ws, wl, c)));
  const m = ops.matmul(ops.reshape(xt, [nb, nx, nk]), ops.reshape(wt, [nb, nk, nw]));
  const order = [...batch, ...freeX, ...freeW];
  const shaped = ops.reshape(m, order.map((c) => (xl.includes(c) ? sizeOf(xs, xl, c) : sizeOf(ws, wl, c))));
  return ops.transpose(shaped, { axes: outSpec.split('').map((c) => order.indexOf(c)) });
}
