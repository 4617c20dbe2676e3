/**
 * TensorBoard event files without TensorFlow: a minimal protobuf encoder for the few messages
 * involved (Event, Summary, Value, SummaryMetadata, TensorProto), CRC32C, and TFRecord framing.
 * Field numbers are those of tensorboard/compat/proto/{event,summary,tensor}.proto.
 */
import { appendFile, hostname, joinPath, processId, writeFile } from './node_files.js';

/** Protobuf wire types. */
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

class ProtoWriter {
  private readonly bytes: number[] = [];

  private varint(value: number): void {
    // Non-negative integers only (steps, lengths, enums): a double holds them exactly up to 2^53.
    let v = value;
    while (v >= 0x80) {
      this.bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.bytes.push(v);
  }

  private key(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  uint(field: number, value: number): this {
    this.key(field, VARINT);
    this.varint(value);
    return this;
  }

  double(field: number, value: number): this {
    this.key(field, FIXED64);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, value, true);
    this.bytes.push(...b);
    return this;
  }

  float(field: number, value: number): this {
    this.key(field, FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.bytes.push(...b);
    return this;
  }

  bytesField(field: number, value: Uint8Array): this {
    this.key(field, LENGTH_DELIMITED);
    this.varint(value.length);
    this.bytes.push(...value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytesField(field, new TextEncoder().encode(value));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32C (Castagnoli), as TFRecord uses. */
export function crc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The masking TFRecord applies, so that a CRC of data holding CRCs stays well distributed. */
export function maskedCrc32c(data: Uint8Array): number {
  const c = crc32c(data);
  return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** One TFRecord: uint64 length, masked CRC of the length, the data, masked CRC of the data; little-endian. */
export function tfRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + 4 + data.length + 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

/** Event{wall_time = 1, step = 2, file_version = 3 | summary = 5}. */
function event(wallTime: number, step: number, what: { fileVersion?: string; summary?: Uint8Array }): Uint8Array {
  const w = new ProtoWriter().double(1, wallTime);
  if (step !== 0) w.uint(2, step);
  if (what.fileVersion !== undefined) w.string(3, what.fileVersion);
  if (what.summary !== undefined) w.bytesField(5, what.summary);
  return w.finish();
}

/**
 * A scalar as tf.summary.scalar writes it: Summary{value = 1: Value{tag = 1, metadata = 9, tensor = 8}},
 * the tensor a rank-0 DT_FLOAT TensorProto{dtype = 1, tensor_shape = 2 (empty), tensor_content = 4}.
 * The scalars-plugin metadata goes only with a tag's first value, which is all TensorBoard reads.
 */
function scalarSummary(tag: string, value: number, withMetadata: boolean): Uint8Array {
  const content = new Uint8Array(4);
  new DataView(content.buffer).setFloat32(0, value, true);
  const tensor = new ProtoWriter().uint(1, 1).bytesField(2, new Uint8Array(0)).bytesField(4, content).finish();
  const v = new ProtoWriter().string(1, tag);
  if (withMetadata) {
    // PluginData{plugin_name = 1: "scalars"} (empty content: ScalarPluginData version 0), data_class = 4: DATA_CLASS_SCALAR.
    const pluginData = new ProtoWriter().string(1, 'scalars').finish();
    v.bytesField(9, new ProtoWriter().bytesField(1, pluginData).uint(4, 1).finish());
  }
  v.bytesField(8, tensor);
  return new ProtoWriter().bytesField(1, v.finish()).finish();
}

/** Numbers each writer of this process, as TensorFlow's uid in the file name. */
let writerCount = 0;

/**
 * One event file in `dir`, created on the first write like tf.summary.create_file_writer's:
 * `events.out.tfevents.<unix seconds, 10 digits>.<hostname>.<pid>.<n>.v2`.
 */
export class EventFileWriter {
  private file: string | undefined;
  private readonly tagsSeen = new Set<string>();

  constructor(
    readonly dir: string,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {}

  /** The file's path once something was written. */
  get path(): string | undefined {
    return this.file;
  }

  private open(): string {
    if (this.file === undefined) {
      const who = 'TensorBoard';
      const wallTime = this.now();
      const name = `events.out.tfevents.${String(Math.floor(wallTime)).padStart(10, '0')}.${hostname(who)}.${processId()}.${writerCount++}.v2`;
      this.file = joinPath(who, this.dir, name);
      // Every event file starts with the version record TensorBoard checks.
      writeFile(who, this.file, tfRecord(event(wallTime, 0, { fileVersion: 'brain.Event:2' })));
    }
    return this.file;
  }

  scalar(tag: string, value: number, step: number): void {
    const file = this.open();
    const summary = scalarSummary(tag, value, !this.tagsSeen.has(tag));
    this.tagsSeen.add(tag);
    appendFile('TensorBoard', file, tfRecord(event(this.now(), step, { summary })));
  }
}
