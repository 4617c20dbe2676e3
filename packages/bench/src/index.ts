export const BENCH_PACKAGE = "@keras-ts/bench";
