/** keras.callbacks: hooks into fit, evaluate and predict. */
export { Callback, CallbackList, type CallbackHook, type Logs, type TrainingParams } from './callback.js';
export type { TrainingModel } from './training_model.js';
export { History } from './history.js';
export { ProgbarLogger, type ProgbarLoggerOptions } from './progbar_logger.js';
export { EarlyStopping, type EarlyStoppingOptions } from './early_stopping.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce_lr_on_plateau.js';
export { LearningRateScheduler, type Schedule } from './learning_rate_scheduler.js';
export { CSVLogger, type CSVLoggerOptions } from './csv_logger.js';
export { TerminateOnNaN, type TerminateOnNaNOptions } from './terminate_on_nan.js';
export { LambdaCallback, type LambdaCallbackOptions } from './lambda_callback.js';
export { TensorBoard, type TensorBoardOptions } from './tensorboard.js';
export { ModelCheckpoint, type ModelCheckpointOptions } from './model_checkpoint.js';
export type { MonitorMode } from './monitor.js';
