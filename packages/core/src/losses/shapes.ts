/**
 * Shape rules shared by losses and metrics: Keras's squeeze_or_expand_to_same_rank, and the label
 * checks that explain a mismatch in the user's terms (one-hot vs integer labels, shapes that do not
 * broadcast) before a kernel fails on it.
 */
import * as ops from '../ops/index.js';
import { formatShape, type Dim, type SymbolicShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Keras's squeeze_or_expand_to_same_rank on shapes: when the ranks differ by exactly one and the
 * longer shape ends in 1, drop that axis, or (when the shorter one is rank 1 and `expandRank1`)
 * add a trailing 1 to the shorter one.
 */
export function squeezeOrExpandShapes(a: SymbolicShape, b: SymbolicShape, expandRank1 = true): [Dim[], Dim[]] {
  let x1: Dim[] = [...a];
  let x2: Dim[] = [...b];
  if (a.length === b.length + 1 && a[a.length - 1] === 1) {
    if (b.length === 1 && expandRank1) x2 = [...b, 1];
    else x1 = a.slice(0, -1);
  }
  if (b.length === a.length + 1 && b[b.length - 1] === 1) {
    if (a.length === 1 && expandRank1) x1 = [...a, 1];
    else x2 = b.slice(0, -1);
  }
  return [x1, x2];
}

/** The same rule on tensors. */
export function squeezeOrExpandToSameRank(x1: Tensor, x2: Tensor, expandRank1 = true): [Tensor, Tensor] {
  const [s1, s2] = squeezeOrExpandShapes(x1.shape, x2.shape, expandRank1);
  const fit = (t: Tensor, s: Dim[]): Tensor => (s.length === t.rank ? t : ops.reshape(t, s as number[]));
  return [fit(x1, s1), fit(x2, s2)];
}

const dimsMatch = (a: Dim, b: Dim): boolean => a === null || b === null || a === b;
const shapesMatch = (a: SymbolicShape, b: SymbolicShape): boolean => a.length === b.length && a.every((d, i) => dimsMatch(d, b[i]));

function broadcasts(a: SymbolicShape, b: SymbolicShape): boolean {
  for (let i = 1; i <= Math.min(a.length, b.length); i++) {
    const da = a[a.length - i];
    const db = b[b.length - i];
    if (da !== 1 && db !== 1 && !dimsMatch(da, db)) return false;
  }
  return true;
}

/** How a loss compares labels with predictions; each family has its own rule and advice. */
export type LabelFamily = 'binary' | 'categorical' | 'sparse' | 'elementwise';

const header = (name: string, yTrue: SymbolicShape, yPred: SymbolicShape): string =>
  `${name}: labels (y_true) of shape ${formatShape(yTrue)} do not fit predictions (y_pred) of shape ${formatShape(yPred)}.`;

/** Labels that hold one class index per example for predictions with `classes` > 1 columns. */
function looksLikeIndices(t: SymbolicShape, p: SymbolicShape): boolean {
  const classes = p[p.length - 1];
  if (p.length === 0 || classes === 1) return false;
  const batch = p.slice(0, -1);
  return shapesMatch(t, batch) || (t.length === p.length && t[t.length - 1] === 1 && shapesMatch(t.slice(0, -1), batch));
}

function binaryProblem(name: string, yTrue: SymbolicShape, yPred: SymbolicShape): string | null {
  const [t, p] = squeezeOrExpandShapes(yTrue, yPred);
  if (shapesMatch(t, p)) return null;
  const classes = yPred[yPred.length - 1];
  if (looksLikeIndices(yTrue, yPred) && classes !== null) {
    const oneHot = formatShape([...yPred.slice(0, -1), classes]);
    return (
      `${header(name, yTrue, yPred)} The labels look like one class index per example, while the model outputs ${classes} values per example. ` +
      `Expected labels shaped like the predictions (one 0/1 value per output unit). Fix: for ${classes}-class classification use loss 'sparse_categorical_crossentropy' ` +
      `with these integer labels (or one-hot labels of shape ${oneHot} with 'categorical_crossentropy'); for binary classification end the model with ` +
      `Dense({ units: 1, activation: 'sigmoid' }).`
    );
  }
  return `${header(name, yTrue, yPred)} Expected labels of the same shape as the predictions (one 0/1 value per output unit). Fix: reshape the labels to ${formatShape(yPred)}, or change the model's output to match the labels.`;
}

function categoricalProblem(name: string, yTrue: SymbolicShape, yPred: SymbolicShape): string | null {
  const [t, p] = squeezeOrExpandShapes(yTrue, yPred);
  if (shapesMatch(t, p)) return null;
  const classes = yPred[yPred.length - 1];
  if (looksLikeIndices(yTrue, yPred)) {
    return (
      `${header(name, yTrue, yPred)} The labels look like integer class indices (one per example), but ${name} expects one-hot labels shaped like the predictions, ` +
      `${formatShape(yPred)}. Fix: use loss 'sparse_categorical_crossentropy' for integer labels, or one-hot encode them (ops.oneHot(labels, ${classes ?? 'numClasses'})).`
    );
  }
  return `${header(name, yTrue, yPred)} Expected one-hot labels of the same shape as the predictions, ${formatShape(yPred)}. Fix: one-hot encode the labels to ${formatShape(yPred)}, or change the model's output to match them.`;
}

function sparseProblem(name: string, yTrue: SymbolicShape, yPred: SymbolicShape): string | null {
  if (yPred.length < 1) {
    return `${name}: predictions (y_pred) must have a class axis, got shape ${formatShape(yPred)}. Expected (batch, num_classes). Fix: end the model with one unit per class.`;
  }
  const [labels, p] = squeezeOrExpandShapes(yTrue, yPred);
  const t = labels.length === p.length && labels[labels.length - 1] === 1 ? labels.slice(0, -1) : labels;
  const batch = p.slice(0, -1);
  if (shapesMatch(t, batch)) return null;
  const classes = p[p.length - 1];
  const expected = `${formatShape(yPred.slice(0, -1))} (or ${formatShape([...yPred.slice(0, -1), 1])})`;
  if (yTrue.length === yPred.length && classes !== 1 && dimsMatch(yTrue[yTrue.length - 1], classes) && shapesMatch(yTrue.slice(0, -1), yPred.slice(0, -1))) {
    return (
      `${header(name, yTrue, yPred)} The labels look one-hot encoded (one column per class), but ${name} expects integer class labels of shape ${expected}, ` +
      `one class index per example. Fix: use loss 'categorical_crossentropy' with one-hot labels, or pass integer labels of shape ${formatShape(yPred.slice(0, -1))} ` +
      `(the index of the 1 in each row).`
    );
  }
  return `${header(name, yTrue, yPred)} Expected integer class labels of shape ${expected}: one class index per example. Fix: reshape the labels to ${formatShape(yPred.slice(0, -1))}.`;
}

function elementwiseProblem(name: string, yTrue: SymbolicShape, yPred: SymbolicShape): string | null {
  const [t, p] = squeezeOrExpandShapes(yTrue, yPred);
  if (broadcasts(t, p)) return null;
  return (
    `${header(name, yTrue, yPred)} They do not broadcast: each axis, counted from the last, must be equal or 1. ` +
    `Expected labels shaped like the predictions, ${formatShape(yPred)}. Fix: reshape the labels, or change the model's output to the labels' shape.`
  );
}

const PROBLEMS: Record<LabelFamily, (name: string, yTrue: SymbolicShape, yPred: SymbolicShape) => string | null> = {
  binary: binaryProblem,
  categorical: categoricalProblem,
  sparse: sparseProblem,
  elementwise: elementwiseProblem,
};

/** Throws a Keras-style error when labels of `yTrue` shape cannot go with predictions of `yPred` shape. `null` sizes match anything. */
export function checkLabelShapes(family: LabelFamily, name: string, yTrue: SymbolicShape, yPred: SymbolicShape): void {
  const problem = PROBLEMS[family](name, yTrue, yPred);
  if (problem !== null) throw new Error(problem);
}
