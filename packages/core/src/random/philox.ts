/**
 * Philox-4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011), the
 * counter-based generator behind TensorFlow's and JAX's stateless random ops.
 *
 * Why Philox rather than a stateful generator such as xoshiro128** or PCG32:
 * - It is counter-based: block `i` of a draw is a pure function of (key, counter), so a Keras seed
 *   pair `[seed, counter]` maps straight onto it, and no generator state has to be carried around.
 * - Its 32-bit words need only 32x32-bit multiplies, which JavaScript does exactly (Math.imul for
 *   the low word, 16-bit halves for the high word), so every engine gives the same bits.
 * - It passes BigCrush and has published known-answer vectors (Random123's kat_vectors), which the
 *   tests check, so the implementation is verified rather than trusted.
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
/** The Weyl key schedule's increments: the golden ratio and sqrt(3) - 1, as 32-bit fractions. */
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const ROUNDS = 10;
const TWO_32 = 4294967296;

/** The high 32 bits of the 64-bit product of two uint32, computed exactly in doubles. */
function mulhi(a: number, b: number): number {
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const loLo = aLo * bLo;
  const hiLo = aHi * bLo;
  const loHi = aLo * bHi;
  const carry = ((loLo >>> 16) + (hiLo & 0xffff) + (loHi & 0xffff)) >>> 16;
  return (aHi * bHi + (hiLo >>> 16) + (loHi >>> 16) + carry) >>> 0;
}

/**
 * One Philox-4x32-10 block: four uint32 words of counter and two of key in, four words out.
 * `out` may be the same array as `counter`.
 */
export function philox4x32(counter: ArrayLike<number>, key: ArrayLike<number>, out: Uint32Array | number[] = new Uint32Array(4)): Uint32Array | number[] {
  let c0 = counter[0] >>> 0;
  let c1 = counter[1] >>> 0;
  let c2 = counter[2] >>> 0;
  let c3 = counter[3] >>> 0;
  let k0 = key[0] >>> 0;
  let k1 = key[1] >>> 0;
  for (let round = 0; round < ROUNDS; round++) {
    if (round > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const hi0 = mulhi(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
  return out;
}

/** Splits an integer (|x| < 2^53, negative ones as 64-bit two's complement) into [low, high] uint32 words. */
export function splitWords(x: number): [number, number] {
  return [x >>> 0, Math.floor(x / TWO_32) >>> 0];
}

/**
 * The stream of one random draw: the words of blocks 0, 1, 2, ... of Philox keyed by the seed,
 * with the draw's counter in the upper half of the Philox counter. Different draws of one seed
 * therefore never share a block, and a draw can be as long as 2^53 blocks.
 */
export class PhiloxStream {
  private readonly key: [number, number];
  private readonly counter = new Uint32Array(4);
  private readonly buffer = new Uint32Array(4);
  private position = 4;
  private block = 0;

  constructor(seed: number, draw: number) {
    this.key = splitWords(seed);
    const [d0, d1] = splitWords(draw);
    this.counter[2] = d0;
    this.counter[3] = d1;
  }

  /** The next uint32 of the stream. */
  nextUint32(): number {
    if (this.position === 4) {
      const [b0, b1] = splitWords(this.block++);
      this.counter[0] = b0;
      this.counter[1] = b1;
      philox4x32(this.counter, this.key, this.buffer);
      this.position = 0;
    }
    return this.buffer[this.position++];
  }

  /** A double in [0, 1) with 53 random bits (from two words), so every double on the 2^-53 grid is reachable. */
  nextFloat53(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }
}
