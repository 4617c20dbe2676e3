/**
 * keras.metrics: stateful metrics (`updateState(yTrue, yPred, sampleWeight?)`, `result()`,
 * `resetState()`) whose state lives in non-trainable Variables, the per-sample metric functions,
 * and `get` / `serialize` / `deserialize`, with `resolveMetric` / `resolveAccuracy` for compile.
 */
export { Metric, toSnakeCase, type MetricOptions, type MetricResult } from './metric.js';
export { Mean, Sum, MeanMetricWrapper, reduceToSamplewiseValues, type MetricFunction } from './reduction_metrics.js';
export {
  Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy,
  accuracy, binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, topKCategoricalAccuracy, sparseTopKCategoricalAccuracy, inTopK,
} from './accuracy_metrics.js';
export {
  TruePositives, FalsePositives, TrueNegatives, FalseNegatives, Precision, Recall, confusionCounts, filterTopK, parseThresholds, NEG_INF,
  type ConfusionOptions, type ConfusionCounts, type ConditionCountOptions, type PrecisionRecallOptions,
} from './confusion_metrics.js';
export { AUC, type AUCOptions, type AUCCurve, type AUCSummationMethod } from './auc.js';
export { FBetaScore, F1Score, type FBetaScoreOptions, type FScoreAverage } from './f_score_metrics.js';
export {
  MeanSquaredError, RootMeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError, LogCoshError, CosineSimilarity, R2Score,
  cosineSimilarity, type R2ScoreOptions, type R2ClassAggregation,
} from './regression_metrics.js';
export { BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy, KLDivergence, Poisson, Hinge, SquaredHinge, CategoricalHinge } from './loss_metrics.js';
export { get, serialize, deserialize, resolveMetric, resolveAccuracy, METRIC_NAMES, type MetricIdentifier } from './registry.js';
