/**
 * The agreement tier (`agreement/<model>-sgd`, `agreement/<model>-adam`): with one seed, a small
 * model trained a few steps of SGD, or of Adam (a backend's fused `adamUpdate` kernel when it has one,
 * core's composite otherwise), on the backend under test ends with the same weights, within the
 * stated tolerances, as on the reference backend (@keras-ts/backend-reference, itself checked against the vectors). The
 * reference runs under a private name of its own, so it never shares tensors or counts with the
 * backend under test; weights cross between the two as plain numbers (dataSync).
 */
import { memory, optimizers, registerBackend, setBackend, utils } from '@keras-ts/core';
import { createReferenceBackend } from '@keras-ts/backend-reference';
import { valuesMismatch, type Tolerance } from '../compare.js';
import { Mismatch, type ConformanceCaseSpec } from '../kit.js';
import { RECIPES, train, type Recipe } from './models.js';

/** The name the kit's own reference backend is registered under. */
export const AGREEMENT_REFERENCE = 'conformance-kit-reference';
const SEED = 4242;
const STEPS = 5;
/**
 * float32 kernels sum in different orders, so the weights drift apart by rounding alone: by at
 * most 4e-7 after these steps on tfjs-cpu and onnx. The bounds are wide against that and narrow
 * against a wrong kernel (an LSTM cell state 0.1% off moves the weights by more).
 */
const TOLERANCE: Record<string, Tolerance> = {
  'dense-classifier': { rtol: 1e-4, atol: 1e-5 },
  'conv-classifier': { rtol: 1e-4, atol: 1e-5 },
  'lstm-regressor': { rtol: 1e-4, atol: 1e-5 },
  'batchnorm-classifier': { rtol: 1e-4, atol: 1e-5 },
};

let registered = false;

interface Outcome {
  paths: string[];
  weights: Float32Array[];
  losses: number[];
}

/** The optimizers the tier trains with: SGD at the recipe's rate, or Adam (made per run: it keeps state). */
type Update = 'sgd' | 'adam';
/**
 * Adam's step is about the learning rate whatever the gradient's scale, so a gradient that is zero
 * up to rounding (its sign differs between backends) would move a weight by the whole rate. An
 * epsilon of 1e-3 keeps such gradients (1e-7 and below) to steps of 1e-6 of the rate, while the
 * models' real gradients (1e-3 to 1) still take Adam's normalized steps.
 */
const ADAM = { learningRate: 0.01, epsilon: 1e-3 };

/** Trains `recipe` on the current backend from the fixed seed and reads every weight back. */
function trainHere(recipe: Recipe, update: Update): Outcome {
  utils.setRandomSeed(SEED);
  const model = recipe.build();
  const optimizer = update === 'adam' ? new optimizers.Adam(ADAM) : undefined;
  try {
    const losses = train(model, STEPS, recipe.lr, optimizer);
    return { paths: model.weights.map((w) => w.path), weights: model.weights.map((w) => Float32Array.from(w.dataSync())), losses };
  } finally {
    model.dispose();
    optimizer?.dispose();
  }
}

async function onReference(recipe: Recipe, update: Update, backendName: string): Promise<Outcome> {
  if (!registered) {
    registerBackend(AGREEMENT_REFERENCE, () => createReferenceBackend());
    registered = true;
  }
  await setBackend(AGREEMENT_REFERENCE);
  try {
    const before = memory(AGREEMENT_REFERENCE).numTensors;
    const outcome = trainHere(recipe, update);
    const leaked = memory(AGREEMENT_REFERENCE).numTensors - before;
    if (leaked !== 0) throw new Mismatch(`training on the reference backend leaked ${leaked} tensors`);
    return outcome;
  } finally {
    await setBackend(backendName);
  }
}

export function agreementCases(): ConformanceCaseSpec[] {
  return (['sgd', 'adam'] as const).flatMap((update) => RECIPES.map((recipe): ConformanceCaseSpec => ({
    id: `agreement/${recipe.name}-${update}`,
    tier: 'agreement',
    group: 'agreement',
    async run({ backendName }) {
      const expected = await onReference(recipe, update, backendName);
      const actual = trainHere(recipe, update);
      const tolerance = TOLERANCE[recipe.name];
      const problems = actual.weights
        .map((w, k) => valuesMismatch(`${actual.paths[k]} after ${STEPS} steps`, w, expected.weights[k], tolerance))
        .filter((p): p is string => p !== null);
      if (actual.weights.length !== expected.weights.length) problems.unshift(`${actual.weights.length} weights, the reference has ${expected.weights.length}`);
      if (problems.length > 0) {
        const losses = (o: Outcome) => o.losses.map((l) => l.toPrecision(6)).join(', ');
        throw new Mismatch(`${problems.join('; ')} (losses here: ${losses(actual)}; on the reference: ${losses(expected)})`);
      }
    },
  })));
}
