/** Mean and biased variance over axes in one kernel (BatchNormalization's statistics). */
import { definePrimitive, type Primitive } from '../../runtime/primitive.js';
import { sizeOf } from '../../tensor/shape.js';
import * as g from './grad_ops.js';
import { reducedShape } from './reduction.js';

export const momentsPrimitive: Primitive<{ readonly axes: readonly number[] }> = definePrimitive<{ readonly axes: readonly number[] }>({
  name: 'moments',
  infer([x], { axes }) {
    const shape = reducedShape(x.shape, axes);
    return [{ shape, dtype: 'float32' }, { shape, dtype: 'float32' }];
  },
  forward(backend, [x], { axes }, [out]) {
    return backend.moments(x, axes, out);
  },
  grad({ dys: [dMean, dVariance], inputs: [x], outputs: [mean], attrs: { axes } }) {
    // d mean/dx = 1/N; d var/dx = 2 (x - mean) / N.
    const n = sizeOf(axes.map((a) => x.shape[a]));
    const full = (t: typeof x) => g.broadcastTo(g.keepDims(t, x.shape, axes), x.shape);
    const centered = g.sub(x, full(mean));
    const fromVariance = g.mul(full(dVariance), g.mul(centered, g.scalarLike(2 / n, x)));
    return [g.add(g.div(full(dMean), g.scalarLike(n, x)), fromVariance)];
  },
});
