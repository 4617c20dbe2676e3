/**
 * keras.losses: per-sample loss functions (`losses.binaryCrossentropy(yTrue, yPred, options)`),
 * Loss classes whose `apply(yTrue, yPred, sampleWeight)` weights and reduces as Keras's
 * `loss(y_true, y_pred, sample_weight)`, and `get` / `serialize` / `deserialize` / `checkLossShapes`.
 */
export {
  Loss, LossFunctionWrapper, BuiltinLoss, reduceWeightedValues, reduceValues, standardizeReduction,
  type Reduction, type LossOptions, type LossFunction, type LossFunctionWrapperOptions, type MaskedValues,
} from './loss.js';
export {
  binaryCrossentropy, binaryFocalCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy, sparseCategoricalCrossentropyMasked,
  BinaryCrossentropy, BinaryFocalCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
  type BinaryCrossentropyOptions, type BinaryFocalCrossentropyOptions, type CategoricalCrossentropyOptions, type SparseCategoricalCrossentropyOptions,
} from './crossentropy.js';
export {
  meanSquaredError, meanAbsoluteError, meanAbsolutePercentageError, meanSquaredLogarithmicError, huber, logCosh, cosineSimilarity, l2Normalize,
  MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError, Huber, LogCosh, CosineSimilarity,
} from './regression.js';
export { hinge, squaredHinge, categoricalHinge, convertBinaryLabelsToHinge, Hinge, SquaredHinge, CategoricalHinge } from './hinge.js';
export { klDivergence, poisson, KLDivergence, Poisson } from './probabilistic.js';
export { squeezeOrExpandToSameRank, squeezeOrExpandShapes, checkLabelShapes, type LabelFamily } from './shapes.js';
export { get, serialize, deserialize, checkLossShapes, lossFunctionName, canonicalLossName, lossClassName, LOSS_NAMES, type LossIdentifier } from './registry.js';

