/**
 * Work a compiled step must treat apart: random draws happen in JavaScript and are uploaded.
 *
 * A draw made through `replayableDraw` (keras.random's sampling functions: a pure function of a
 * shape, parameters and the next seed) is recorded with the function that made it; a compiled step
 * calls it again before each run, advancing the seed generators exactly as eager execution would,
 * and feeds the new values. Any other draw (e.g. shuffleIndices) calls `noteNondeterministic`, and
 * an open recording gives up, since it would replay the same numbers forever.
 */
import type { Tensor } from '../tensor/tensor.js';

let listener: ((reason: string) => void) | null = null;
let drawRecorder: ((make: () => Tensor) => Tensor) | null = null;
/** Depth of replayable draws in progress: their own seed draws are part of them. */
let replayableDepth = 0;

/** @internal called where values come from a source a graph cannot replay (a random draw) */
export function noteNondeterministic(reason: string): void {
  if (replayableDepth === 0) listener?.(reason);
}

/** @internal sets (or clears, with null) the one listener; returns the previous one */
export function listenForNondeterminism(next: ((reason: string) => void) | null): ((reason: string) => void) | null {
  const previous = listener;
  listener = next;
  return previous;
}

/** @internal a tensor of random values made by `make`, which may be called again (later) for the next draw */
export function replayableDraw(make: () => Tensor): Tensor {
  const recorder = drawRecorder;
  replayableDepth++;
  try {
    return recorder ? recorder(make) : make();
  } finally {
    replayableDepth--;
  }
}

/** @internal sets (or clears, with null) the recorder of replayable draws; returns the previous one */
export function recordDraws(next: ((make: () => Tensor) => Tensor) | null): ((make: () => Tensor) => Tensor) | null {
  const previous = drawRecorder;
  drawRecorder = next;
  return previous;
}

/** @internal runs `make` as a replayable draw outside any recording (a compiled step's replay) */
export function replayDraw(make: () => Tensor): Tensor {
  replayableDepth++;
  try {
    return make();
  } finally {
    replayableDepth--;
  }
}
