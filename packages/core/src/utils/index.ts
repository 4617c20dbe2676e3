/** keras.utils: helpers outside the model API. */
export { setRandomSeed } from '../random/seed_generator.js';
