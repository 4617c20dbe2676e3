/**
 * Keras's rule for one spatial axis of a transposed convolution (`compute_conv_transpose_output_shape`
 * with JAX's padding), in one place for the op and for exporters: JAX pads the stride-dilated input
 * by (left, right); seen as a forward convolution over the output (or as ONNX ConvTranspose's crops of
 * its full output), those are the pads (span - 1 - left, span - 1 - right). A negative pad means
 * output cells no window of that forward conv reads: they come out zero.
 */
export function convTransposePads(span: number, stride: number, padding: 'valid' | 'same' | string, outputPadding: number | null): [number, number] {
  let left: number;
  let right: number;
  if (padding === 'valid') {
    left = span - 1;
    right = span - 1 + (outputPadding ?? Math.max(span, stride) - span);
  } else {
    const total = outputPadding === null ? stride + span - 2 : span + (span % 2) - 2 + outputPadding;
    left = Math.min(Math.floor(total / 2) + (total % 2), span - 1);
    right = total - left;
  }
  return [span - 1 - left, span - 1 - right];
}
