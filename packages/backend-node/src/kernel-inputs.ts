import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { TensorInfo } from "@tensorflow/tfjs-core";

// Input checks shared by the fused kernels (bilinear, gate, assemble): each error names the
// kernel and the input.

export function fail(kernel: string, msg: string): never {
  throw new Error(`${kernel}: ${msg}`);
}

/** The float32 values of input `name` (present, float32). */
export function float32Input(
  backend: MathBackendCPU,
  t: TensorInfo | undefined,
  kernel: string,
  name: string,
): Float32Array {
  if (!t) fail(kernel, `input ${name} is missing`);
  const v = backend.data.get(t.dataId)?.values;
  if (t.dtype !== "float32" || !(v instanceof Float32Array))
    fail(kernel, `${name} must be float32, got ${t.dtype}`);
  return v;
}

/** Throws unless input `name` is present with exactly the shape `want`. */
export function checkShape(
  kernel: string,
  name: string,
  t: TensorInfo | undefined,
  want: number[],
): asserts t is TensorInfo {
  if (!t) fail(kernel, `input ${name} is missing`);
  if (t.shape.length !== want.length || t.shape.some((d, i) => d !== want[i]))
    fail(kernel, `${name} must have shape [${want}], got [${t.shape}]`);
}
