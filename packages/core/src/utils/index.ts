/** keras.utils: helpers outside the model API. */
export { setRandomSeed } from '../random/seed_generator.js';
export { Progbar, type ProgbarOptions, type ProgbarStream } from './progbar.js';
export { modelToDot, type ModelToDotOptions, type Rankdir } from './model_to_dot.js';
export { plotModel, type PlotModelOptions } from './plot_model.js';
