import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import {
  type DataType,
  getKernel,
  type KernelConfig,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from "@tensorflow/tfjs-core";

// Shared by the native kernel families: the cpu kernel for cases a native kernel does not cover,
// and typed views of a tensor's values.

/** Runs the cpu backend's kernel `name` (the fallback of every native kernel). */
export function cpuKernel(
  name: string,
  backend: MathBackendCPU,
  inputs: Record<string, TensorInfo> | TensorInfo[],
  attrs: NamedAttrMap = {},
): TensorInfo {
  const k = getKernel(name, "cpu");
  if (!k) throw new Error(`@isotropy/backend-node: the cpu backend has no ${name} kernel`);
  return k.kernelFunc({
    inputs: inputs as Record<string, TensorInfo>,
    backend,
    attrs,
  }) as TensorInfo;
}

/** The values of a float32 or int32 tensor as the matching typed array, else undefined. */
export function typed(
  backend: MathBackendCPU,
  t: TensorInfo,
): Float32Array | Int32Array | undefined {
  const v = backend.data.get(t.dataId)?.values;
  if (t.dtype === "float32" && v instanceof Float32Array) return v;
  if (t.dtype === "int32" && v instanceof Int32Array) return v;
  return undefined;
}

let poison = false;

/**
 * For tests: every array from `output` comes filled with NaN, so that an element a kernel leaves
 * unwritten shows in its result instead of reading as the allocator's zero.
 */
export function poisonOutputs(on: boolean): void {
  poison = on;
}

/**
 * A float32 output of `n` elements with unspecified contents, for a kernel that writes every
 * element. `new Float32Array(n)` zero-fills (calloc), which for activations of hundreds of KB
 * is a pass over memory that the kernel then overwrites; Node's `Buffer.allocUnsafeSlow` skips
 * it (and, unlike `allocUnsafe`, never hands out a slice of a shared pool).
 */
export function output(n: number): Float32Array {
  const a = new Float32Array(Buffer.allocUnsafeSlow(4 * n).buffer, 0, n);
  if (poison) a.fill(Number.NaN);
  return a;
}

/** A zeroed array of `x`'s type and length `n`. */
export function like(x: Float32Array | Int32Array, n: number): Float32Array | Int32Array {
  return x instanceof Float32Array ? new Float32Array(n) : new Int32Array(n);
}

/**
 * out[to .. to + n) = src[from .. from + n): short runs element by element (a subarray costs an
 * allocation, about a microsecond), long ones with TypedArray.set.
 */
export function copyRun(
  src: Float32Array | Int32Array,
  from: number,
  out: Float32Array | Int32Array,
  to: number,
  n: number,
): void {
  if (n < 64) {
    for (let i = 0; i < n; i++) out[to + i] = src[from + i] as number;
  } else {
    out.set(src.subarray(from, from + n), to);
  }
}

/** A kernel's own result: the output's shape, dtype and values. */
export interface KernelOutput {
  readonly shape: number[];
  readonly dtype: DataType;
  readonly values: Float32Array | Int32Array;
}

/**
 * Kernel `name` on `backendName` that answers the cases `run` covers and hands the rest (where
 * `run` returns null) to the cpu kernel, with the same inputs and attrs.
 */
export function withCpuFallback<A>(
  name: string,
  backendName: string,
  run: (backend: MathBackendCPU, inputs: NamedTensorInfoMap, attrs: A) => KernelOutput | null,
): KernelConfig {
  return {
    kernelName: name,
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const b = backend as MathBackendCPU;
      const out = run(b, inputs, attrs as unknown as A);
      if (out === null) return cpuKernel(name, b, inputs as Record<string, TensorInfo>, attrs);
      return b.makeTensorInfo(out.shape, out.dtype, out.values);
    },
  };
}
