/**
 * keras.ops.einsum: Einstein summation, e.g. `einsum('bij,bjk->bik', a, b)`. Written with other ops
 * (so it is differentiable and runs on every backend): each operand's repeated indices become its
 * diagonal, the operands are aligned on one axis per index, multiplied with broadcasting, and the
 * indices not in the output are summed away. Correct for any equation; a matmul-shaped equation is
 * better written with ops.matmul where speed matters.
 */
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { castTo, toTensor, type TensorLike } from './convert.js';
import { multiply, equal, cast } from './elementwise.js';
import { expandDims, reshape, transpose } from './layout.js';
import { sum } from './reduction.js';
import { tensor } from '../tensor/create.js';

const LETTER = /^[a-zA-Z]$/;

function parse(equation: string, ranks: number[]): { inputs: string[][]; output: string[] } {
  const compact = equation.replace(/\s+/g, '');
  const [lhs, rhs] = compact.split('->');
  const terms = lhs.split(',');
  if (terms.length !== ranks.length) {
    throw new Error(`einsum: the equation '${equation}' has ${terms.length} operand term(s), but ${ranks.length} operand(s) were given. Fix: one comma-separated term per operand.`);
  }
  const used = new Set(compact.replace(/[^a-zA-Z]/g, ''));
  const spare = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('').filter((c) => !used.has(c));
  const ellipsisRank = Math.max(0, ...terms.map((t, i) => (t.includes('...') ? ranks[i] - t.replace('...', '').length : 0)));
  const ellipsis = spare.slice(0, ellipsisRank);
  const expand = (term: string, rank?: number): string[] => {
    if (!term.includes('...')) return term.split('');
    const [before, after] = term.split('...');
    const n = rank === undefined ? ellipsisRank : rank - before.length - after.length;
    return [...before.split(''), ...ellipsis.slice(ellipsisRank - n), ...after.split('')];
  };
  const inputs = terms.map((t, i) => expand(t, ranks[i]));
  inputs.forEach((letters, i) => {
    if (letters.length !== ranks[i] || letters.some((c) => !LETTER.test(c))) {
      throw new Error(`einsum: term '${terms[i]}' does not fit operand ${i} of rank ${ranks[i]}. Expected one letter per axis ('...' for several). Fix: check the equation '${equation}'.`);
    }
  });
  let output: string[];
  if (rhs === undefined) {
    // Implicit output: the indices that appear once, in alphabetical order, after the ellipsis.
    const counts = new Map<string, number>();
    for (const c of inputs.flat()) counts.set(c, (counts.get(c) ?? 0) + 1);
    output = [...ellipsis, ...[...counts].filter(([c, n]) => n === 1 && !ellipsis.includes(c)).map(([c]) => c).sort()];
  } else output = expand(rhs);
  return { inputs, output };
}

/** The operand with each repeated index replaced by its diagonal. */
function diagonal(x: Tensor, letters: string[]): { x: Tensor; letters: string[] } {
  for (let a = 0; a < letters.length; a++) {
    const b = letters.indexOf(letters[a], a + 1);
    if (b < 0) continue;
    const n = x.shape[a];
    if (x.shape[b] !== n) throw new Error(`einsum: index '${letters[a]}' has sizes ${n} and ${x.shape[b]} in one operand ${formatShape(x.shape)}. Expected equal sizes.`);
    // Multiply by the identity on axes (a, b), then sum axis b away.
    const eyeShape = x.shape.map((_, i) => (i === a || i === b ? n : 1));
    const rows = reshape(tensor(Int32Array.from({ length: n }, (_, i) => i), [n], 'int32'), [n, 1]);
    const eye = reshape(cast(equal(rows, reshape(rows, [1, n])), x.dtype), eyeShape);
    const reduced = sum(multiply(x, eye), { axis: b });
    return diagonal(reduced, letters.filter((_, i) => i !== b));
  }
  return { x, letters };
}

export function einsum(equation: string, ...operands: TensorLike[]): Tensor {
  const tensors = operands.map((o) => castTo(toTensor(o, 'einsum'), 'float32'));
  const { inputs, output } = parse(equation, tensors.map((t) => t.rank));
  const all = [...new Set([...inputs.flat(), ...output])];
  const sizes = new Map<string, number>();
  let product: Tensor | undefined;
  tensors.forEach((t, i) => {
    const d = diagonal(t, inputs[i]);
    d.letters.forEach((c, k) => {
      const size = d.x.shape[k];
      const known = sizes.get(c);
      if (known !== undefined && known !== size && known !== 1 && size !== 1) {
        throw new Error(`einsum: index '${c}' has size ${known} in one operand and ${size} in another (equation '${equation}'). Expected equal sizes (or 1 to broadcast).`);
      }
      if (known === undefined || known === 1) sizes.set(c, size);
    });
    // Align to the order of `all`, with size-1 axes for the indices this operand lacks.
    const present = all.filter((c) => d.letters.includes(c));
    let aligned = transpose(d.x, { axes: present.map((c) => d.letters.indexOf(c)) });
    all.forEach((c, axis) => {
      if (!d.letters.includes(c)) aligned = expandDims(aligned, axis);
    });
    product = product ? multiply(product, aligned) : aligned;
  });
  let result = product as Tensor;
  const summed = all.map((c, axis) => (output.includes(c) ? -1 : axis)).filter((a) => a >= 0);
  if (summed.length > 0) result = sum(result, { axis: summed });
  const remaining = all.filter((c) => output.includes(c));
  return remaining.length > 1 ? transpose(result, { axes: output.map((c) => remaining.indexOf(c)) }) : result;
}
