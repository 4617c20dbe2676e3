/**
 * Float32 storage inside WebAssembly memories, for the kernels this backend runs on the host
 * (host/adam_wasm.ts): their inputs must sit in the memory the kernel addresses, and their results
 * are written there. An array made here is an ordinary Float32Array view, so onnxruntime is fed it
 * without a copy, and the next step's kernel reads it in place.
 *
 * A memory never grows (growing would detach every view made of it); a new arena is opened when the
 * open ones are full. Blocks are recycled by size: the same weights are updated every step, so after
 * the first steps no memory is allocated at all (where each onnxruntime output is a new array for the
 * garbage collector). A block is reused only once no handle holds its view: the backend counts the
 * handles over each view (a reshape or same-dtype cast shares it) and releases the block at zero.
 */
import { adamKernel, wasm, type AdamKernel, type WasmMemory } from './adam_wasm.js';

const PAGE = 65536;
/** The smallest arena (64 MB of address space; pages are committed by the system as they are touched). */
const MIN_ARENA_BYTES = 1024 * PAGE;
/** A WebAssembly memory addresses at most 4 GB. */
const MAX_ARENA_BYTES = 65535 * PAGE;

/** Bytes of a block of `length` float32 values: whole SIMD groups of four, so the kernel needs no scalar tail. */
export const blockBytes = (length: number): number => Math.ceil(length / 4) * 16;

export class Arena {
  readonly memory: WasmMemory;
  readonly kernel: AdamKernel;
  private top = 0;
  private readonly free = new Map<number, number[]>();

  constructor(readonly bytes: number) {
    const pages = bytes / PAGE;
    this.memory = new wasm.Memory({ initial: pages, maximum: pages });
    this.kernel = adamKernel(this.memory);
  }

  /** The byte offset of a free block of `bytes`, or -1 when this arena has no room. */
  allocate(bytes: number): number {
    const recycled = this.free.get(bytes)?.pop();
    if (recycled !== undefined) return recycled;
    if (this.top + bytes > this.bytes) return -1;
    const offset = this.top;
    this.top += bytes;
    return offset;
  }

  release(offset: number, bytes: number): void {
    let list = this.free.get(bytes);
    if (list === undefined) this.free.set(bytes, (list = []));
    list.push(offset);
  }
}

interface Block {
  readonly arena: Arena;
  readonly offset: number;
  readonly bytes: number;
  /** Handles over the view. */
  refs: number;
}

/** The arenas of one backend, and the blocks its live views occupy. */
export class HostMemory {
  private readonly arenas: Arena[] = [];
  private readonly blocks = new Map<Float32Array, Block>();

  /**
   * New blocks of these lengths, all in one arena: `preferred` if it has room for them all, else
   * another open arena, else a new one. Returns the arena and the views (no handle holds them yet).
   */
  allocate(lengths: readonly number[], preferred?: Arena): { arena: Arena; views: Float32Array[] } {
    const tryIn = (arena: Arena): Float32Array[] | undefined => {
      const views: Float32Array[] = [];
      for (const length of lengths) {
        const bytes = blockBytes(length);
        const offset = arena.allocate(bytes);
        if (offset < 0) {
          for (const v of views) this.discard(v);
          return undefined;
        }
        const view = new Float32Array(arena.memory.buffer, offset, length);
        this.blocks.set(view, { arena, offset, bytes, refs: 0 });
        views.push(view);
      }
      return views;
    };
    for (const arena of preferred ? [preferred, ...this.arenas.filter((a) => a !== preferred)] : this.arenas) {
      const views = tryIn(arena);
      if (views) return { arena, views };
    }
    const needed = lengths.reduce((sum, l) => sum + blockBytes(l), 0);
    const arena = new Arena(Math.min(MAX_ARENA_BYTES, Math.max(MIN_ARENA_BYTES, Math.ceil((needed * 2) / PAGE) * PAGE)));
    this.arenas.push(arena);
    const views = tryIn(arena);
    if (!views) throw new Error(`onnx host memory: ${needed} bytes do not fit in one WebAssembly memory (internal error: the backend runs larger updates in onnxruntime).`);
    return { arena, views };
  }

  /** The arena holding `view`, if it is one of this memory's blocks. */
  arenaOf(view: ArrayBufferView): Arena | undefined {
    return this.blocks.get(view as Float32Array)?.arena;
  }

  /** The byte offset of `view` in its arena (it must be a block). */
  offsetOf(view: Float32Array): number {
    const block = this.blocks.get(view);
    if (block === undefined) throw new Error('onnx host memory: not a block (internal error).');
    return block.offset;
  }

  /** A handle now holds `view` (no-op for arrays that are not blocks). */
  retain(view: ArrayBufferView): void {
    const block = this.blocks.get(view as Float32Array);
    if (block) block.refs++;
  }

  /** A handle over `view` was disposed: at zero handles the block is free for reuse. */
  release(view: ArrayBufferView): void {
    const block = this.blocks.get(view as Float32Array);
    if (block === undefined || --block.refs > 0) return;
    this.free(view as Float32Array, block);
  }

  /** Frees a block no handle took (a kernel's scratch copy). */
  discard(view: Float32Array): void {
    const block = this.blocks.get(view);
    if (block && block.refs === 0) this.free(view, block);
  }

  /** Blocks in use (for leak checks). */
  get blockCount(): number {
    return this.blocks.size;
  }

  /** Drops every arena (the backend closed). */
  clear(): void {
    this.blocks.clear();
    this.arenas.length = 0;
  }

  private free(view: Float32Array, block: Block): void {
    this.blocks.delete(view);
    block.arena.release(block.offset, block.bytes);
  }
}
