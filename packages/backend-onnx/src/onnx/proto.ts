/**
 * A minimal protobuf writer and the ONNX messages this backend emits (ModelProto, GraphProto,
 * NodeProto, AttributeProto, TensorProto, ValueInfoProto). Only encoding is needed: every model
 * is built here and handed to onnxruntime as bytes, so a few dozen lines replace a protobuf
 * dependency. Field numbers follow onnx/onnx.proto (IR version 8).
 */

const WIRE_VARINT = 0;
const WIRE_FIXED32 = 5;
const WIRE_BYTES = 2;

const utf8 = new TextEncoder();

/** Appends protobuf fields to a growing byte list; nested messages are written and then copied in. */
export class ProtoWriter {
  private readonly bytes: number[] = [];

  /** Non-negative numbers below 2^31 take the fast path; others (negative int64) go through BigInt, 10 bytes. */
  private varint(v: number | bigint): void {
    if (typeof v === 'number' && v >= 0 && v < 0x80000000) {
      while (v > 0x7f) {
        this.bytes.push((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      this.bytes.push(v);
      return;
    }
    let u = BigInt.asUintN(64, BigInt(v));
    while (u > 0x7fn) {
      this.bytes.push(Number(u & 0x7fn) | 0x80);
      u >>= 7n;
    }
    this.bytes.push(Number(u));
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  /** An int32, int64 or enum field. */
  int(field: number, v: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    this.varint(v);
    return this;
  }

  float(field: number, v: number): this {
    this.tag(field, WIRE_FIXED32);
    const b = new Uint8Array(new Float32Array([v]).buffer);
    for (const x of b) this.bytes.push(x);
    return this;
  }

  raw(field: number, data: Uint8Array): this {
    this.tag(field, WIRE_BYTES);
    this.varint(data.length);
    for (const x of data) this.bytes.push(x);
    return this;
  }

  string(field: number, s: string): this {
    return this.raw(field, utf8.encode(s));
  }

  message(field: number, m: ProtoWriter): this {
    return this.raw(field, m.finish());
  }

  /** A repeated int64 field, packed. */
  packedInts(field: number, vs: readonly number[]): this {
    const inner = new ProtoWriter();
    for (const v of vs) inner.varint(v);
    return this.raw(field, inner.finish());
  }

  /** A repeated float field, packed. */
  packedFloats(field: number, vs: readonly number[]): this {
    return this.raw(field, new Uint8Array(new Float32Array(vs).buffer));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** TensorProto.DataType values of the element types used here. */
export const ONNX_TYPE = { float32: 1, uint8: 2, int32: 6, int64: 7, bool: 9, float64: 11 } as const;
export type OnnxElemType = keyof typeof ONNX_TYPE;

/** A constant tensor: values stored as raw little-endian bytes of its element type. */
export interface TensorLiteral {
  readonly kind: 'tensor';
  readonly type: OnnxElemType;
  readonly dims: readonly number[];
  readonly values: readonly number[];
}

/** A float attribute (plain numbers are ints, the common case in ONNX attributes). */
export interface FloatAttr {
  readonly kind: 'float';
  readonly value: number;
}

/** A list of floats (FLOATS), e.g. the activation_alpha of a recurrent op. */
export interface FloatsAttr {
  readonly kind: 'floats';
  readonly value: readonly number[];
}

/** A list of strings (STRINGS), e.g. the activations of a recurrent op. */
export interface StringsAttr {
  readonly kind: 'strings';
  readonly value: readonly string[];
}

/**
 * A subgraph (GRAPH), e.g. a branch of If: its nodes read values of the enclosing graphs by name
 * (ONNX's outer scope) and its outputs are produced by its own nodes.
 */
export interface GraphAttr {
  readonly kind: 'graph';
  readonly name: string;
  readonly nodes: readonly NodeSpec[];
  readonly outputs: readonly ValueSpec[];
}

/** Attribute values: number → INT, number[] → INTS, string → STRING, FloatAttr → FLOAT, TensorLiteral → TENSOR, FloatsAttr → FLOATS, StringsAttr → STRINGS, GraphAttr → GRAPH. */
export type AttrValue = number | readonly number[] | string | FloatAttr | TensorLiteral | FloatsAttr | StringsAttr | GraphAttr;

export interface NodeSpec {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs?: Readonly<Record<string, AttrValue>>;
}

/** A graph input or output: its element type and, for inputs, one symbolic dimension name per axis. */
export interface ValueSpec {
  readonly name: string;
  readonly type: OnnxElemType;
  /** Symbolic dimension names; undefined leaves the shape unknown (outputs). */
  readonly dims?: readonly string[];
}

export interface GraphSpec {
  readonly nodes: readonly NodeSpec[];
  readonly inputs: readonly ValueSpec[];
  readonly outputs: readonly ValueSpec[];
  readonly initializers: readonly (TensorLiteral & { readonly name: string })[];
}

function tensorBytes(t: TensorLiteral): Uint8Array {
  switch (t.type) {
    case 'float32':
      return new Uint8Array(Float32Array.from(t.values).buffer);
    case 'float64':
      return new Uint8Array(Float64Array.from(t.values).buffer);
    case 'int32':
      return new Uint8Array(Int32Array.from(t.values).buffer);
    case 'int64':
      return new Uint8Array(BigInt64Array.from(t.values, (v) => BigInt(v)).buffer);
    case 'uint8':
    case 'bool':
      return Uint8Array.from(t.values);
  }
}

function tensorProto(t: TensorLiteral, name?: string): ProtoWriter {
  const w = new ProtoWriter().packedInts(1, t.dims).int(2, ONNX_TYPE[t.type]);
  if (name !== undefined) w.string(8, name);
  return w.raw(9, tensorBytes(t));
}

function attributeProto(name: string, v: AttrValue): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  if (typeof v === 'number') return w.int(3, v).int(20, 2);
  if (typeof v === 'string') return w.string(4, v).int(20, 3);
  if (Array.isArray(v)) return w.packedInts(8, v as number[]).int(20, 7);
  const o = v as FloatAttr | TensorLiteral | FloatsAttr | StringsAttr | GraphAttr;
  if (o.kind === 'graph') return w.message(6, subgraphProto(o)).int(20, 5);
  if (o.kind === 'float') return w.float(2, o.value).int(20, 1);
  if (o.kind === 'floats') return w.packedFloats(7, o.value).int(20, 6);
  if (o.kind === 'strings') {
    for (const text of o.value) w.string(9, text);
    return w.int(20, 8);
  }
  return w.message(5, tensorProto(o)).int(20, 4);
}

/** A subgraph's GraphProto: its nodes (named after the subgraph, so names stay unique in the model) and outputs. */
function subgraphProto(g: GraphAttr): ProtoWriter {
  const w = new ProtoWriter();
  g.nodes.forEach((n, i) => w.message(1, nodeProto(n, i, `${g.name}_n`)));
  w.string(2, g.name);
  for (const v of g.outputs) w.message(12, valueInfoProto(v));
  return w;
}

function nodeProto(n: NodeSpec, index: number, prefix = 'n'): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, `${prefix}${index}`).string(4, n.op);
  for (const [k, v] of Object.entries(n.attrs ?? {})) w.message(5, attributeProto(k, v));
  return w;
}

function valueInfoProto(v: ValueSpec): ProtoWriter {
  const tensorType = new ProtoWriter().int(1, ONNX_TYPE[v.type]);
  if (v.dims) {
    const shape = new ProtoWriter();
    for (const d of v.dims) shape.message(1, new ProtoWriter().string(2, d));
    tensorType.message(2, shape);
  }
  return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensorType));
}

/** IR version 8 is the one that goes with opset 18 (ONNX 1.13). */
export const IR_VERSION = 8;
export const OPSET = 18;

/** The serialized ModelProto of one graph at opset 18 of the default domain. */
export function encodeModel(g: GraphSpec): Uint8Array {
  const graph = new ProtoWriter();
  g.nodes.forEach((n, i) => graph.message(1, nodeProto(n, i)));
  graph.string(2, 'kernel');
  for (const t of g.initializers) graph.message(5, tensorProto(t, t.name));
  for (const v of g.inputs) graph.message(11, valueInfoProto(v));
  for (const v of g.outputs) graph.message(12, valueInfoProto(v));
  return new ProtoWriter()
    .int(1, IR_VERSION)
    .string(2, 'keras-ts')
    .message(7, graph)
    .message(8, new ProtoWriter().string(1, '').int(2, OPSET))
    .finish();
}

// --- Files for other programs (model export) ------------------------------------------------
// ProtoWriter copies byte by byte, which is fine for kernel graphs but slow for multi-MB weights.
// An exported file is built as a list of byte chunks instead: weights go in as they are (raw_data)
// and each length-delimited field only needs the total length of its chunks.

/** Byte chunks that are concatenated once, at the end. */
class ChunkList {
  readonly parts: Uint8Array[] = [];
  length = 0;

  push(bytes: Uint8Array): this {
    this.parts.push(bytes);
    this.length += bytes.length;
    return this;
  }

  /** A length-delimited field whose payload is the chunks of `inner`. */
  field(field: number, inner: ChunkList): this {
    this.push(varintBytes((field << 3) | WIRE_BYTES));
    this.push(varintBytes(inner.length));
    for (const p of inner.parts) this.push(p);
    return this;
  }

  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

function varintBytes(v: number): Uint8Array {
  const bytes: number[] = [];
  while (v > 0x7f) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Uint8Array.from(bytes);
}

/** A named constant of an exported graph, its values as little-endian bytes of its element type. */
export interface RawInitializer {
  readonly name: string;
  readonly type: OnnxElemType;
  readonly dims: readonly number[];
  /** The tensor's data (raw_data): e.g. the bytes of a Float32Array. */
  readonly bytes: Uint8Array;
}

/** A graph input or output of an exported file: a number is a fixed size, a string a named (symbolic) size. */
export interface FileValueSpec {
  readonly name: string;
  readonly type: OnnxElemType;
  readonly dims: readonly (number | string)[];
}

export interface FileGraphSpec {
  readonly name: string;
  readonly nodes: readonly NodeSpec[];
  readonly inputs: readonly FileValueSpec[];
  readonly outputs: readonly FileValueSpec[];
  readonly initializers: readonly RawInitializer[];
  readonly docString?: string;
}

export interface FileModelOptions {
  readonly producerName: string;
  readonly producerVersion?: string;
}

function fileValueInfo(v: FileValueSpec): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.dims) shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensorType = new ProtoWriter().int(1, ONNX_TYPE[v.type]).message(2, shape);
  return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensorType));
}

function rawTensorProto(t: RawInitializer): ChunkList {
  const head = new ProtoWriter().packedInts(1, t.dims).int(2, ONNX_TYPE[t.type]).string(8, t.name).finish();
  const raw = new ChunkList().push(t.bytes);
  return new ChunkList().push(head).field(9, raw);
}

/**
 * A standalone ONNX file (IR 8, opset 18 of the default domain) that any ONNX runtime can load:
 * named graph, node names, typed and shaped inputs and outputs, weights as raw bytes.
 */
export function encodeModelFile(g: FileGraphSpec, options: FileModelOptions): Uint8Array {
  const graph = new ChunkList();
  g.nodes.forEach((n, i) => graph.push(new ProtoWriter().message(1, nodeProto(n, i)).finish()));
  graph.push(new ProtoWriter().string(2, g.name).finish());
  for (const t of g.initializers) graph.field(5, rawTensorProto(t));
  if (g.docString !== undefined) graph.push(new ProtoWriter().string(10, g.docString).finish());
  for (const v of g.inputs) graph.push(new ProtoWriter().message(11, fileValueInfo(v)).finish());
  for (const v of g.outputs) graph.push(new ProtoWriter().message(12, fileValueInfo(v)).finish());
  const head = new ProtoWriter().int(1, IR_VERSION).string(2, options.producerName);
  if (options.producerVersion !== undefined) head.string(3, options.producerVersion);
  const model = new ChunkList().push(head.finish()).field(7, graph);
  model.push(new ProtoWriter().message(8, new ProtoWriter().string(1, '').int(2, OPSET)).finish());
  return model.concat();
}
