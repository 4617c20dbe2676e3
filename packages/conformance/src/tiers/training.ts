/**
 * The training tier (`training/<model>-sgd`): each small model's loss falls at every one of a few
 * steps of `valueAndGrad` and plain SGD, and far enough. `fit` joins as a case when Model.fit lands.
 */
import { utils } from '@keras-ts/core';
import { Mismatch, type ConformanceCaseSpec } from '../kit.js';
import { RECIPES, train } from './models.js';

const SEED = 1337;
const STEPS = 12;
/**
 * The last loss must be at most this fraction of the first. On the reference, tfjs-cpu and onnx
 * backends the fractions are 0.31, 0.07, 0.50 and 0.34; a wrong gradient stalls well above these.
 */
const MAX_FINAL_FRACTION: Record<string, number> = {
  'dense-classifier': 0.5,
  'conv-classifier': 0.2,
  'lstm-regressor': 0.7,
  'batchnorm-classifier': 0.5,
};

export function trainingCases(): ConformanceCaseSpec[] {
  return RECIPES.map((recipe) => ({
    id: `training/${recipe.name}-sgd`,
    tier: 'training',
    group: 'training',
    run() {
      utils.setRandomSeed(SEED);
      const model = recipe.build();
      try {
        const losses = train(model, STEPS, recipe.lr);
        const shown = losses.map((l) => l.toPrecision(4)).join(', ');
        if (losses.some((l) => !Number.isFinite(l))) throw new Mismatch(`a loss is not finite: ${shown}`);
        const rise = losses.findIndex((l, i) => i > 0 && !(l < losses[i - 1]));
        if (rise > 0) throw new Mismatch(`the loss rose at step ${rise} (lr ${recipe.lr} is small enough that every step should lower it): ${shown}`);
        const fraction = MAX_FINAL_FRACTION[recipe.name];
        if (!(losses[losses.length - 1] <= fraction * losses[0])) {
          throw new Mismatch(`the loss did not fall to ${fraction} of its first value in ${STEPS} SGD steps (lr ${recipe.lr}): ${shown}`);
        }
      } finally {
        model.dispose();
      }
    },
  }));
}
