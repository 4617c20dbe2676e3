/**
 * numpy's numbers on this machine, the bound a CPU backend can reach: its 1024^3 float32 matmul
 * GFLOP/s (best of several, over the BLAS numpy links) and its per-op dispatch cost (a one-element
 * add). Run with `python3 -c`; when python3 or numpy is missing the report says so and goes on.
 */
import { spawnSync } from 'node:child_process';

export interface NumpyResult {
  version?: string;
  matmulGflops?: number;
  dispatchMicros?: number;
  /** Why there are no numpy numbers. */
  note?: string;
}

/** Python that imports json, sys, time and numpy and makes the two seeded 1024x1024 float32 matrices a and b (warmed up once). */
export const NUMPY_MATRICES = `
import json, sys, time
import numpy as np
n = 1024
rng = np.random.default_rng(0)
a = rng.random((n, n), dtype=np.float32) - 0.5
b = rng.random((n, n), dtype=np.float32) - 0.5
a @ b
`;

const SCRIPT = `${NUMPY_MATRICES}
best = float('inf')
for _ in range(RUNS):
    t = time.perf_counter(); a @ b; best = min(best, time.perf_counter() - t)
x = np.ones(1, dtype=np.float32); y = np.ones(1, dtype=np.float32)
for _ in range(1000): np.add(x, y)
count = COUNT
t = time.perf_counter()
for _ in range(count): np.add(x, y)
micros = (time.perf_counter() - t) * 1e6 / count
print(json.dumps({"version": np.__version__, "matmulGflops": 2 * n ** 3 / best / 1e9, "dispatchMicros": micros}))
`;

export function numpyReference(options: { runs: number; dispatchCount: number }): NumpyResult {
  const script = SCRIPT.replace('RUNS', String(options.runs)).replace('COUNT', String(options.dispatchCount));
  const child = spawnSync('python3', ['-c', script], { encoding: 'utf8', timeout: 120_000 });
  if (child.error !== undefined) return { note: `numpy skipped: python3 could not run (${child.error.message}).` };
  if (child.status !== 0) {
    const reason = /No module named ['"]?numpy/.test(child.stderr) ? 'python3 has no numpy' : (child.stderr.trim().split('\n').pop() ?? `exit ${child.status}`);
    return { note: `numpy skipped: ${reason}.` };
  }
  try {
    return JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as NumpyResult;
  } catch {
    return { note: `numpy skipped: python3 printed no result (${child.stdout.slice(0, 80)}).` };
  }
}
