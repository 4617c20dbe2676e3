/**
 * Python's `str.format` for checkpoint file paths: ModelCheckpoint's filepath is a Python format
 * string such as 'ckpt-{epoch:02d}-{val_loss:.2f}.keras', filled with the epoch, the batch and the
 * logs. Fields follow Python's format-spec mini-language ([[fill]align][sign][0][width][.precision]
 * [type]); Python's own rounding and spellings come from python_format.ts.
 */
import { formatExponential, formatFixed, pythonFloat } from '../utils/python_format.js';

/** A value to put in the path: epoch and batch are Python ints, logs are Python floats. */
export interface PathValue {
  value: number;
  integer: boolean;
}

const SPEC = /^(?:(.)?([<>=^]))?([+\- ])?(0)?(\d+)?(?:\.(\d+))?([deEfFgG%])?$/;

function withSign(body: string, negative: boolean, sign: string | undefined): string {
  if (negative) return `-${body}`;
  if (sign === '+') return `+${body}`;
  if (sign === ' ') return ` ${body}`;
  return body;
}

/** Python's 'g': fixed or exponent notation by the exponent, trailing zeros dropped. */
function formatGeneral(x: number, precision: number, upper: boolean): string {
  const p = precision === 0 ? 1 : precision;
  if (x === 0) return '0';
  const exponential = formatExponential(x, p - 1);
  const exponent = Number(exponential.split('e')[1]);
  const trim = (text: string) => (text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text);
  if (exponent >= -4 && exponent < p) return trim(formatFixed(x, p - 1 - exponent));
  const [mantissa, exp] = exponential.split('e');
  const text = `${trim(mantissa)}e${exp}`;
  return upper ? text.toUpperCase() : text;
}

function formatField(name: string, field: PathValue, spec: string, template: string): string {
  const match = SPEC.exec(spec);
  if (!match) {
    throw new Error(`Failed to format this callback filepath: "${template}". Reason: the format spec '${spec}' of field '${name}' is not one ModelCheckpoint understands. Expected e.g. {epoch:02d} or {val_loss:.2f}.`);
  }
  const [, fill, align, sign, zero, widthText, precisionText, type] = match;
  const { value, integer } = field;
  const precision = precisionText === undefined ? undefined : Number(precisionText);
  let body: string;
  const magnitude = Math.abs(value);
  switch (type) {
    case 'd':
      if (!integer) {
        throw new Error(`Failed to format this callback filepath: "${template}". Reason: Unknown format code 'd' for object of type 'float' (field '${name}'). Fix: use {${name}:.2f} for a metric.`);
      }
      body = String(magnitude);
      break;
    case 'f':
    case 'F':
      body = formatFixed(magnitude, precision ?? 6);
      break;
    case 'e':
    case 'E':
      body = formatExponential(magnitude, precision ?? 6);
      if (type === 'E') body = body.toUpperCase();
      break;
    case 'g':
    case 'G':
      body = formatGeneral(magnitude, precision ?? 6, type === 'G');
      break;
    case '%':
      body = `${formatFixed(magnitude * 100, precision ?? 6)}%`;
      break;
    default:
      // No type: str() of the value (Python's repr of a float), or 'g'-like with a precision.
      body = integer ? String(magnitude) : precision === undefined ? pythonFloat(magnitude) : formatGeneral(magnitude, precision, false);
  }
  const negative = value < 0 || Object.is(value, -0);
  const width = widthText === undefined ? 0 : Number(widthText);
  const padChar = fill ?? (zero && !align ? '0' : ' ');
  const alignment = align ?? (zero ? '=' : '>');
  const signed = withSign(body, negative, sign);
  if (signed.length >= width) return signed;
  const pad = padChar.repeat(width - signed.length);
  if (alignment === '<') return signed + pad;
  if (alignment === '^') {
    const left = Math.floor(pad.length / 2);
    return pad.slice(0, left) + signed + pad.slice(left);
  }
  if (alignment === '=') {
    const prefix = signed.length > body.length ? signed[0] : '';
    return prefix + pad + body;
  }
  return pad + signed;
}

/** `template.format(**values)` as Python does it, with Keras's error for a missing field. */
export function formatCheckpointPath(template: string, values: Record<string, PathValue>): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i];
    if (c === '{' && template[i + 1] === '{') {
      out += '{';
      i += 2;
    } else if (c === '}' && template[i + 1] === '}') {
      out += '}';
      i += 2;
    } else if (c === '{') {
      const end = template.indexOf('}', i);
      if (end < 0) throw new Error(`Failed to format this callback filepath: "${template}". Reason: Single '{' encountered in format string. Fix: write '{{' for a literal brace.`);
      const inside = template.slice(i + 1, end);
      const colon = inside.indexOf(':');
      const name = colon < 0 ? inside : inside.slice(0, colon);
      const spec = colon < 0 ? '' : inside.slice(colon + 1);
      const field = values[name];
      if (!field) {
        throw new Error(
          `Failed to format this callback filepath: "${template}". Reason: '${name}'. The values available are: ${Object.keys(values).join(', ')}. ` +
            `Fix: use only these names in the filepath (validation values exist only when fit has validation data).`,
        );
      }
      out += formatField(name, field, spec, template);
      i = end + 1;
    } else if (c === '}') {
      throw new Error(`Failed to format this callback filepath: "${template}". Reason: Single '}' encountered in format string. Fix: write '}}' for a literal brace.`);
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}
