/** What a case runner is: it computes a case's outputs with keras-ts ops on the current backend. */
import { tensor, type DType, type Tensor } from '@keras-ts/core';
import { numbersOf, type ConformanceCase, type VectorTensor } from '../vectors.js';

export type CaseOutputs = Record<string, Tensor>;

/** A case that keras-ts cannot express, with the reason (e.g. a mode Keras does not have). */
export class NotCovered {
  constructor(readonly reason: string) {}
}

export type CaseRunner = (c: ConformanceCase, io: CaseInputs) => CaseOutputs | NotCovered;

const DTYPE_OF: Record<string, DType> = { float32: 'float32', float64: 'float32', int32: 'int32', int64: 'int32', bool: 'bool' };

export function toTensor(t: VectorTensor): Tensor {
  return tensor(numbersOf(t), t.shape, DTYPE_OF[t.dtype]);
}

/** Access to a case's inputs by name (torch-ref) or by node input position (ONNX). */
export class CaseInputs {
  constructor(private readonly c: ConformanceCase) {}

  has(name: string): boolean {
    return this.c.inputs.some((t) => t.name === name);
  }

  get(name: string): Tensor {
    const found = this.c.inputs.find((t) => t.name === name);
    if (!found) throw new Error(`case ${this.c.id} has no input '${name}'`);
    return toTensor(found);
  }

  /** The ONNX node input at `position`, or undefined when omitted ("" or absent). */
  node(position: number): Tensor | undefined {
    const name = this.c.node_inputs?.[position];
    if (!name) return undefined;
    return this.has(name) ? this.get(name) : undefined;
  }

  /** The raw numbers of a node input (for shape and axes inputs). */
  nodeNumbers(position: number): number[] | undefined {
    const name = this.c.node_inputs?.[position];
    const found = name ? this.c.inputs.find((t) => t.name === name) : undefined;
    return found ? numbersOf(found) : undefined;
  }

  /** Names the ONNX node gives its outputs, in order. */
  outputName(position: number): string | undefined {
    const name = this.c.node_outputs?.[position];
    return name ? name : undefined;
  }
}

/** An attribute of the case, or the fallback (ONNX's default for that opset, or Keras's). */
export function attr(c: ConformanceCase, name: string, fallback: number): number;
export function attr(c: ConformanceCase, name: string, fallback: string): string;
export function attr(c: ConformanceCase, name: string, fallback: boolean): boolean;
export function attr<T>(c: ConformanceCase, name: string, fallback: T): T;
export function attr(c: ConformanceCase, name: string, fallback: unknown): unknown {
  return name in c.attributes ? c.attributes[name] : fallback;
}
