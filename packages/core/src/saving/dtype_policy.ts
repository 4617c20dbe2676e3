/**
 * A layer's `dtype` in a config: a string ('float32') up to Keras 3.7, a serialized DTypePolicy
 * (`{ module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' } }`) from 3.8 on.
 */
import { DTYPES, type DType } from '../tensor/dtype.js';

const NEAREST_DTYPE: Record<string, DType> = {
  float16: 'float32', bfloat16: 'float32', float64: 'float32',
  int8: 'int32', int16: 'int32', int64: 'int32', uint8: 'int32', uint16: 'int32', uint32: 'int32',
};

/** The DTypePolicy object Keras 3.8+ writes for a dtype. */
export function dtypePolicyConfig(dtype: string): Record<string, unknown> {
  return { module: 'keras', class_name: 'DTypePolicy', config: { name: dtype }, registered_name: null };
}

/** The dtype a config's dtype value names (a string or a DTypePolicy); mixed policies are refused. */
export function dtypeFromConfig(value: unknown, layerName: string): DType | undefined {
  if (value === null || value === undefined) return undefined;
  let name: unknown = value;
  if (typeof value === 'object' && !Array.isArray(value)) {
    const config = (value as { config?: { name?: unknown } }).config;
    name = config?.name;
  }
  if (typeof name !== 'string') {
    throw new TypeError(`Layer "${layerName}": the config's dtype ${JSON.stringify(value)} is neither a dtype name nor a DTypePolicy. Expected e.g. "float32".`);
  }
  if ((DTYPES as readonly string[]).includes(name)) return name as DType;
  // Keras files name wider or narrower dtypes than keras-ts stores; the values load into the nearest one it has.
  const nearest = NEAREST_DTYPE[name];
  if (nearest) return nearest;
  throw new Error(
    `Layer "${layerName}" has dtype policy "${name}", which keras-ts does not support (mixed-precision policies such as "mixed_float16" are not available). ` +
      `Expected one of ${DTYPES.join(', ')}. Fix: save the model with a plain dtype policy such as "float32".`,
  );
}
