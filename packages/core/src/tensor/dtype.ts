/** The dtypes a keras-ts tensor can hold. Keras's other dtypes are not supported yet. */
export type DType = 'float32' | 'int32' | 'bool';

export const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

/** The typed array that stores each dtype; bool is stored as 0/1 bytes. */
export type TypedArray = Float32Array | Int32Array | Uint8Array;

export type DataTypeMap = { float32: Float32Array; int32: Int32Array; bool: Uint8Array };

/** Aliases that Keras and numpy users write, mapped to the dtype keras-ts stores. */
const DTYPE_ALIASES: Record<string, DType> = {
  float32: 'float32',
  float: 'float32',
  int32: 'int32',
  int: 'int32',
  bool: 'bool',
  boolean: 'bool',
};

export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && (DTYPES as readonly string[]).includes(value);
}

/** Checks a user-given dtype and explains what is supported when it is not. */
export function parseDType(value: unknown, where = 'tensor'): DType {
  if (typeof value === 'string' && value in DTYPE_ALIASES) return DTYPE_ALIASES[value];
  throw new TypeError(
    `${where}: unknown dtype ${JSON.stringify(value)}. Expected one of 'float32', 'int32', 'bool'. ` +
      `Fix: pass one of those (float64, int64 and float16 are not supported yet; cast your data to float32 or int32).`,
  );
}

export function bytesPerElement(dtype: DType): number {
  return dtype === 'bool' ? 1 : 4;
}

export function makeTypedArray(dtype: DType, size: number): TypedArray {
  if (dtype === 'float32') return new Float32Array(size);
  if (dtype === 'int32') return new Int32Array(size);
  return new Uint8Array(size);
}

/** Converts any array of numbers (or booleans) to the storage of `dtype`, rounding toward zero for int32. */
export function toTypedArray(values: ArrayLike<number | boolean>, dtype: DType): TypedArray {
  const out = makeTypedArray(dtype, values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    out[i] = dtype === 'bool' ? (v !== 0 ? 1 : 0) : v;
  }
  return out;
}

/** The dtype of a typed array, or undefined when keras-ts does not store that kind. */
export function dtypeOfTypedArray(values: unknown): DType | undefined {
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Int32Array) return 'int32';
  if (values instanceof Uint8Array) return 'bool';
  return undefined;
}

/** Keras's type promotion for the three dtypes: bool < int32 < float32. */
export function resultType(...dtypes: DType[]): DType {
  if (dtypes.includes('float32')) return 'float32';
  if (dtypes.includes('int32')) return 'int32';
  return 'bool';
}
