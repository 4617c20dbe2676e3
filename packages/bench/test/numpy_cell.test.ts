/** numpy's matmul as the MLP workload's yardstick cell: a python3 process kept open, one measurement a run. */
import { describe, expect, it } from '@jest/globals';
import { numpyMatmulCell } from '../src/measure/numpy_cell.js';

describe('the numpy matmul cell', () => {
  it('measures a 1024^3 matmul a run, or says why numpy is not there', async () => {
    const cell = numpyMatmulCell();
    try {
      await cell.setup();
    } catch (error) {
      // A machine without numpy: the bench reports it and skips the FLOP-rate target.
      expect((error as Error).message).toBe('numpy skipped: python3 has no numpy.');
      return;
    }
    try {
      expect(cell.version).toMatch(/^\d+\.\d+/);
      const first = await cell.timedRun?.(1);
      const second = await cell.timedRun?.(1);
      for (const run of [first, second]) {
        expect(run?.loss).toBeUndefined();
        // 2^31 FLOPs: between 1 and 10,000 GFLOP/s.
        expect(run?.ms).toBeGreaterThan(0.2);
        expect(run?.ms).toBeLessThan(2000);
      }
    } finally {
      await cell.dispose();
    }
  });

  it('an interpreter that cannot start is a clear error', async () => {
    const cell = numpyMatmulCell('/nonexistent/python3');
    await expect(cell.setup()).rejects.toThrow(/^numpy skipped: python3 could not run \(spawn \/nonexistent\/python3 ENOENT\)\.$/);
    await cell.dispose();
  });
});
