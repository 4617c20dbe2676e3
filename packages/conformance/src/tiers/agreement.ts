/**
 * The agreement tier (`agreement/<model>`): with one seed, a small model trained a few SGD steps
 * on the backend under test ends with the same weights, within the stated tolerances, as on the
 * reference backend (@keras-ts/backend-reference, itself checked against the vectors). The
 * reference runs under a private name of its own, so it never shares tensors or counts with the
 * backend under test; weights cross between the two as plain numbers (dataSync).
 */
import { memory, registerBackend, setBackend, utils } from '@keras-ts/core';
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

/** Trains `recipe` on the current backend from the fixed seed and reads every weight back. */
function trainHere(recipe: Recipe): Outcome {
  utils.setRandomSeed(SEED);
  const model = recipe.build();
  try {
    const losses = train(model, STEPS, recipe.lr);
    return { paths: model.weights.map((w) => w.path), weights: model.weights.map((w) => Float32Array.from(w.dataSync())), losses };
  } finally {
    model.dispose();
  }
}

async function onReference(recipe: Recipe, backendName: string): Promise<Outcome> {
  if (!registered) {
    registerBackend(AGREEMENT_REFERENCE, () => createReferenceBackend());
    registered = true;
  }
  await setBackend(AGREEMENT_REFERENCE);
  try {
    const before = memory(AGREEMENT_REFERENCE).numTensors;
    const outcome = trainHere(recipe);
    const leaked = memory(AGREEMENT_REFERENCE).numTensors - before;
    if (leaked !== 0) throw new Mismatch(`training on the reference backend leaked ${leaked} tensors`);
    return outcome;
  } finally {
    await setBackend(backendName);
  }
}

export function agreementCases(): ConformanceCaseSpec[] {
  return RECIPES.map((recipe) => ({
    id: `agreement/${recipe.name}-sgd`,
    tier: 'agreement',
    group: 'agreement',
    async run({ backendName }) {
      const expected = await onReference(recipe, backendName);
      const actual = trainHere(recipe);
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
  }));
}
