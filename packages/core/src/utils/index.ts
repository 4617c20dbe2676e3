/** keras.utils: helpers outside the model API. */
export { setRandomSeed } from '../random/seed_generator.js';
export { Progbar, type ProgbarOptions, type ProgbarStream } from './progbar.js';
