/**
 * Householder QR in float64, for the Orthogonal initializer. Written here rather than as a backend
 * op so that a seed yields the same orthogonal matrix on every backend.
 */

/**
 * The Q of A = QR for a row-major m x n matrix with m >= n (the "thin" m x n Q), with each column
 * multiplied by the sign of R's diagonal entry. That sign correction makes the factorization
 * unique, so Q is Haar-distributed when A is Gaussian (Mezzadri, 2007), as in Keras.
 */
export function orthonormalColumns(a: Float64Array, m: number, n: number): Float64Array {
  if (m < n) throw new RangeError(`orthonormalColumns: expected at least as many rows as columns, got ${m} x ${n}.`);
  const r = a.slice();
  const reflectors: (Float64Array | null)[] = [];
  const diagonal = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += r[i * n + k] * r[i * n + k];
    norm = Math.sqrt(norm);
    if (norm === 0) {
      reflectors.push(null);
      continue;
    }
    // alpha takes the sign opposite to x0 so that v = x - alpha e1 suffers no cancellation.
    const alpha = r[k * n + k] >= 0 ? -norm : norm;
    const v = new Float64Array(m - k);
    for (let i = k; i < m; i++) v[i - k] = r[i * n + k];
    v[0] -= alpha;
    let vNorm = 0;
    for (let i = 0; i < v.length; i++) vNorm += v[i] * v[i];
    vNorm = Math.sqrt(vNorm);
    for (let i = 0; i < v.length; i++) v[i] /= vNorm;
    applyReflector(r, n, k, v, k);
    diagonal[k] = r[k * n + k];
    reflectors.push(v);
  }
  // Q = H0 H1 ... H(n-1) applied to the first n columns of the identity, innermost first. Columns
  // before k are still identity columns, zero in rows k.., so H(k) only changes columns k..
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = reflectors[k];
    if (v !== null) applyReflector(q, n, k, v, k);
  }
  for (let j = 0; j < n; j++) {
    if (diagonal[j] < 0) for (let i = 0; i < m; i++) q[i * n + j] = -q[i * n + j];
  }
  return q;
}

/**
 * x <- (I - 2 v vᵀ) x on rows k.. and the columns from `firstColumn` of a row-major matrix with n
 * columns. Both passes walk rows contiguously, which is what keeps large kernels fast.
 */
function applyReflector(x: Float64Array, n: number, k: number, v: Float64Array, firstColumn: number): void {
  const w = new Float64Array(n);
  for (let i = 0; i < v.length; i++) {
    const vi = v[i];
    if (vi === 0) continue;
    const row = (k + i) * n;
    for (let j = firstColumn; j < n; j++) w[j] += vi * x[row + j];
  }
  for (let i = 0; i < v.length; i++) {
    const vi = 2 * v[i];
    if (vi === 0) continue;
    const row = (k + i) * n;
    for (let j = firstColumn; j < n; j++) x[row + j] -= vi * w[j];
  }
}
