/**
 * Python's number formatting, for text that must match Keras byte for byte (the progress bar,
 * CSVLogger rows, callback messages). JavaScript differs in two ways that show in real output:
 * toFixed/toExponential round exact ties up where Python rounds them to even (2.5 -> "2" in Python),
 * and the exponent and integer spellings differ ("1e-7" vs "1e-07", "1" vs "1.0").
 */

/** The exact value of a finite double as sign, integer numerator and power-of-two denominator. */
function exactRational(x: number): { negative: boolean; num: bigint; den: bigint } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  // Subnormals have no implicit leading bit and the smallest exponent.
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  return exponent >= 0
    ? { negative, num: mantissa << BigInt(exponent), den: 1n }
    : { negative, num: mantissa, den: 1n << BigInt(-exponent) };
}

/** num/den rounded to an integer, ties to even (Python's rounding of the exact binary value). */
function roundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const twice = 2n * (num % den);
  if (twice > den || (twice === den && q % 2n === 1n)) return q + 1n;
  return q;
}

function nonFinite(x: number): string | undefined {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return undefined;
}

/** Python's `f"{x:.{digits}f}"`. */
export function formatFixed(x: number, digits: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  const { negative, num, den } = exactRational(x);
  const scaled = roundHalfEven(num * 10n ** BigInt(digits), den).toString().padStart(digits + 1, '0');
  const body = digits === 0 ? scaled : `${scaled.slice(0, -digits)}.${scaled.slice(-digits)}`;
  return negative ? `-${body}` : body;
}

/** Python's `f"{x:.{digits}e}"`: at least two exponent digits, always signed. */
export function formatExponential(x: number, digits: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  const { negative, num, den } = exactRational(x);
  let exponent = 0;
  let mantissa = 0n;
  if (num !== 0n) {
    // A floating estimate of the decimal exponent, then corrected with exact comparisons.
    exponent = Math.floor(Math.log10(Math.abs(x)));
    const atLeast = (e: number) => (e >= 0 ? num >= den * 10n ** BigInt(e) : num * 10n ** BigInt(-e) >= den);
    while (!atLeast(exponent)) exponent--;
    while (atLeast(exponent + 1)) exponent++;
    const shift = digits - exponent;
    mantissa = shift >= 0 ? roundHalfEven(num * 10n ** BigInt(shift), den) : roundHalfEven(num, den * 10n ** BigInt(-shift));
    if (mantissa === 10n ** BigInt(digits + 1)) {
      mantissa /= 10n;
      exponent++;
    }
  }
  const text = mantissa.toString().padStart(digits + 1, '0');
  const body = digits === 0 ? text : `${text[0]}.${text.slice(1)}`;
  const exp = `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return `${negative ? '-' : ''}${body}e${exp}`;
}

/** Python's `str(float)` / `repr(float)`: shortest round-trip digits, fixed for 1e-4 <= |x| < 1e16. */
export function pythonFloat(x: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // toExponential() without an argument gives the shortest digits that round-trip, as repr does.
  const [mantissa, expText] = Math.abs(x).toExponential().split('e');
  const exponent = Number(expText);
  const digits = mantissa.replace('.', '');
  const sign = x < 0 ? '-' : '';
  if (exponent < -4 || exponent >= 16) {
    const body = digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
    return `${sign}${body}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const integer = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${integer}.${fraction === '' ? '0' : fraction}`;
}

/** Python's `"%d" % x` for a float: truncates toward zero. */
export function formatInt(x: number, width = 0): string {
  return String(Math.trunc(x)).padStart(width, ' ');
}
