/** ops.einsum against hand-computed values, with its gradient checked by finite differences. */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { ops, tensor, tidy } from '@keras-ts/core';
import { useTestBackend } from './support/backend.js';
import { expectGradientsMatch } from './support/gradient_check.js';

beforeAll(async () => {
  await useTestBackend();
});

const values = (f: () => ReturnType<typeof tensor>) => tidy(() => f().arraySync());

describe('einsum', () => {
  it('matmul, batched matmul, inner and outer products, sums, transposes and diagonals', () => {
    const a = [[1, 2], [3, 4]];
    const b = [[5, 6], [7, 8]];
    expect(values(() => ops.einsum('ij,jk->ik', a, b))).toEqual([[19, 22], [43, 50]]);
    expect(values(() => ops.einsum('bij,bjk->bik', [a], [b]))).toEqual([[[19, 22], [43, 50]]]);
    expect(values(() => ops.einsum('i,i', [1, 2, 3], [4, 5, 6]))).toBe(32);
    expect(values(() => ops.einsum('i,j->ij', [1, 2], [3, 4]))).toEqual([[3, 4], [6, 8]]);
    expect(values(() => ops.einsum('ij->i', a))).toEqual([3, 7]);
    expect(values(() => ops.einsum('ij->ji', a))).toEqual([[1, 3], [2, 4]]);
    expect(values(() => ops.einsum('ii->i', a))).toEqual([1, 4]);
    expect(values(() => ops.einsum('ii', a))).toBe(5);
    expect(values(() => ops.einsum('...ii->...i', [a, b]))).toEqual([[1, 4], [5, 8]]);
    // Implicit output: indices that appear once, alphabetically.
    expect(values(() => ops.einsum('ij,jk', a, b))).toEqual([[19, 22], [43, 50]]);
  });

  it('is differentiable', () => {
    expectGradientsMatch((x, y) => ops.einsum('bij,bjk->bik', x, y), [tensor([[[0.5, -1], [2, 0.25]]]), tensor([[[1, 0.5], [-0.5, 2]]])]);
    expectGradientsMatch((x) => ops.einsum('ii->i', x), [tensor([[0.5, -1], [2, 0.25]])]);
  });

  it('explains a bad equation', () => {
    expect(() => tidy(() => ops.einsum('ij,jk->ik', [[1, 2]]))).toThrow(/has 2 operand term\(s\), but 1 operand\(s\) were given/);
    expect(() => tidy(() => ops.einsum('ij,jk->ik', [[1, 2]], [[1, 2], [3, 4], [5, 6]]))).toThrow(/index 'j' has size 2 in one operand and 3 in another/);
    expect(() => tidy(() => ops.einsum('ijk->i', [[1, 2]]))).toThrow(/term 'ijk' does not fit operand 0 of rank 2/);
  });
});
