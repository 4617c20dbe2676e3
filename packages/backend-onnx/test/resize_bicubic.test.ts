/**
 * Bicubic resizing against an implementation keras-ts did not write: onnxruntime's Resize with
 * mode 'cubic', Keys' a = -0.5, half-pixel coordinates and exclude_outside = 1 (out-of-image taps
 * get no weight, the rest renormalized), which is what TensorFlow's resize_bicubic with half-pixel
 * centres and JAX's image.resize compute. Resizing and UpSampling2D, up and down, must agree.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { layers, registerBackend, setBackend, tensor, type Tensor } from '@keras-ts/core';
import { createOnnxBackend } from '../src/index.js';
import { float, GraphBuilder } from '../src/onnx/graph.js';
import { createSession } from '../src/onnx/runtime.js';

beforeAll(async () => {
  registerBackend('onnx', () => createOnnxBackend());
  await setBackend('onnx');
});

/** Moves NHWC values to NCHW, or back with `back`. */
function relayout(values: Float32Array, [n, h, w, c]: readonly number[], back = false): Float32Array {
  const out = new Float32Array(values.length);
  for (let b = 0; b < n; b++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) {
    const nhwc = ((b * h + y) * w + x) * c + k;
    const nchw = ((b * c + k) * h + y) * w + x;
    if (back) out[nhwc] = values[nchw];
    else out[nchw] = values[nhwc];
  }
  return out;
}

/**
 * onnxruntime's bicubic resize of NHWC values to (height, width). The layout changes in JavaScript:
 * a Transpose in the graph would let onnxruntime run the Resize in NHWC, which it refuses to shrink.
 */
function onnxruntimeBicubic(values: Float32Array, shape: readonly number[], height: number, width: number): Float32Array {
  const [n, h, w, c] = shape;
  const g = new GraphBuilder();
  const x = g.input('float32', 4);
  const sizes = g.constant('int64', [n, c, height, width], [4]);
  g.output(g.op('Resize', [x, '', '', sizes], {
    mode: 'cubic', cubic_coeff_a: float(-0.5), coordinate_transformation_mode: 'half_pixel', exclude_outside: 1,
  }), 'float32');
  const session = createSession(g.encode(), g.outputNames(), { intraOpThreads: 1 });
  const [out] = session.run([{ type: 'float32', dims: [n, c, h, w], data: relayout(values, shape), location: 'cpu' }]);
  session.dispose();
  return relayout(out.data as Float32Array, [n, height, width, c], true);
}

function image(shape: number[]): Float32Array {
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.9) * 3 + (i % 5));
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i])));
  expect(worst).toBeLessThan(1e-5);
}

describe('bicubic resizing equals onnxruntime Resize (cubic, a = -0.5, half-pixel, exclude_outside)', () => {
  it.each([
    [[2, 5, 7, 3], 11, 4],
    [[1, 9, 6, 2], 4, 13],
    [[1, 3, 3, 1], 8, 8],
  ])('Resizing %j to (%i, %i)', (shape, height, width) => {
    const values = image(shape);
    const x = tensor(values, shape);
    const y = new layers.Resizing({ height, width, interpolation: 'bicubic' }).apply(x) as Tensor;
    expectClose(y.dataSync(), onnxruntimeBicubic(values, shape, height, width));
    [x, y].forEach((t) => t.dispose());
  });

  it('UpSampling2D by (3, 2)', () => {
    const shape = [2, 4, 5, 3];
    const values = image(shape);
    const x = tensor(values, shape);
    const y = new layers.UpSampling2D({ size: [3, 2], interpolation: 'bicubic' }).apply(x) as Tensor;
    expectClose(y.dataSync(), onnxruntimeBicubic(values, shape, 12, 10));
    [x, y].forEach((t) => t.dispose());
  });

  it("UpSampling2D 'area' at an integer factor is 'nearest' (each output pixel lies inside one input pixel)", () => {
    const x = tensor(image([1, 3, 2, 2]), [1, 3, 2, 2]);
    const area = new layers.UpSampling2D({ size: 2, interpolation: 'area' }).apply(x) as Tensor;
    const nearest = new layers.UpSampling2D({ size: 2, interpolation: 'nearest' }).apply(x) as Tensor;
    expect(Array.from(area.dataSync())).toEqual(Array.from(nearest.dataSync()));
    [x, area, nearest].forEach((t) => t.dispose());
  });
});
