import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { NamedTensorInfoMap, TensorInfo } from "@tensorflow/tfjs-core";

// Input checks shared by the fused kernels (bilinear, gate, assemble): each error names the
// kernel and the input.

export function fail(kernel: string, msg: string): never {
  throw new Error(`${kernel}: ${msg}`);
}

/** attrs.plan, an object (its fields are the kernel's to check); `kind` names it in the error. */
export function planAttr<P extends object>(attrs: unknown, kernel: string, kind: string): P {
  const plan = (attrs as { plan?: P } | undefined)?.plan;
  if (!plan || typeof plan !== "object") fail(kernel, `attrs.plan (a ${kind}) is required`);
  return plan;
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

/** attrs.featureMajor of core's fused kernels: activations [features, batch] (default false). */
export function featureMajorAttr(attrs: unknown, kernel: string): boolean {
  const v = (attrs as { featureMajor?: unknown } | undefined)?.featureMajor;
  if (v === undefined || typeof v === "boolean") return v === true;
  fail(kernel, `attrs.featureMajor must be a boolean, got ${String(v)}`);
}

/** An activation's shape: [batch, size], or [size, batch] feature-major. */
export function activationShape(featureMajor: boolean, batch: number, size: number): number[] {
  return featureMajor ? [size, batch] : [batch, size];
}

/** Activation x ([batch, size], or [size, batch] feature-major), checked, and its batch size. */
export function batchOf(
  x: TensorInfo | undefined,
  size: number,
  featureMajor: boolean,
  kernel: string,
): { x: TensorInfo; bs: number } {
  const want = featureMajor ? `[${size}, batch]` : `[batch, ${size}]`;
  if (x?.shape.length !== 2 || x.shape[featureMajor ? 0 : 1] !== size)
    fail(kernel, `x must be ${want}, got ${x ? `[${x.shape}]` : "nothing"}`);
  return { x, bs: x.shape[featureMajor ? 1 : 0] as number };
}

/**
 * A fused layer's inputs: x [batch, inputSize] ([inputSize, batch] feature-major) and one weight
 * per plan pair, `${prefix}k` of `shapes[k]`, each checked (no weight without a pair either);
 * values as float32 arrays.
 */
export function layerInputs(
  backend: MathBackendCPU,
  inputs: NamedTensorInfoMap,
  kernel: string,
  inputSize: number,
  prefix: string,
  shapes: readonly number[][],
  featureMajor = false,
) {
  const { x, bs } = batchOf(inputs.x, inputSize, featureMajor, kernel);
  const weights = shapes.map((shape, k) => {
    const t = inputs[`${prefix}${k}`];
    checkShape(kernel, `${prefix}${k}`, t, shape);
    return float32Input(backend, t, kernel, `${prefix}${k}`);
  });
  const extra = Object.keys(inputs).find((key) => {
    const k = key.slice(prefix.length);
    return key.startsWith(prefix) && /^\d+$/.test(k) && !(Number(k) < shapes.length);
  });
  if (extra !== undefined) fail(kernel, `${extra} has no pair (the plan has ${shapes.length})`);
  return { x, bs, xv: float32Input(backend, x, kernel, "x"), weights };
}
