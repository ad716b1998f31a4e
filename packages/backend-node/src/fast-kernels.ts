import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import {
  Add,
  backend_util,
  getKernel,
  type KernelConfig,
  Multiply,
  type NamedAttrMap,
  Sub,
  type TensorInfo,
  Transpose,
  type TypedArray,
  util,
} from "@tensorflow/tfjs-core";

// Kernels that profiling of an EMLP(384) training step showed to dominate on the cpu kernels
// (Transpose, and broadcasting Add/Sub/Multiply, which the cpu backend runs through a per-element
// index-to-coordinates conversion): stride loops over the last dimension instead. Anything they
// do not cover (other dtypes) goes to the cpu kernel.

function cpu(
  name: string,
  backend: MathBackendCPU,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const k = getKernel(name, "cpu");
  if (!k) throw new Error(`@isotropy/backend-node: the cpu backend has no ${name} kernel`);
  return k.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}

function vals(backend: MathBackendCPU, t: TensorInfo): TypedArray | undefined {
  const v = backend.data.get(t.dataId).values;
  return v instanceof Float32Array || v instanceof Int32Array ? v : undefined;
}

/** out[outIndex] = x[sum idx_d * inStrides[d]] over the output's shape. */
function strided(
  x: TypedArray,
  out: TypedArray,
  shape: readonly number[],
  inStrides: readonly number[],
): void {
  const r = shape.length;
  if (out.length === 0) return;
  if (r === 0) {
    out[0] = x[0] as number;
    return;
  }
  const last = shape[r - 1] as number;
  const ls = inStrides[r - 1] as number;
  const idx = new Array<number>(r).fill(0);
  let base = 0;
  for (let o = 0; o < out.length; o += last) {
    for (let j = 0, p = base; j < last; j++, p += ls) out[o + j] = x[p] as number;
    for (let d = r - 2; d >= 0; d--) {
      idx[d] = (idx[d] as number) + 1;
      base += inStrides[d] as number;
      if ((idx[d] as number) < (shape[d] as number)) break;
      base -= (idx[d] as number) * (inStrides[d] as number);
      idx[d] = 0;
    }
  }
}

export function fastTranspose(backend: MathBackendCPU, x: TensorInfo, perm: number[]): TensorInfo {
  const v = vals(backend, x);
  if (!v) return cpu(Transpose, backend, { x }, { perm });
  const shape = perm.map((p) => x.shape[p] as number);
  const strides = util.computeStrides(x.shape);
  const s = [...strides, 1];
  const inStrides = perm.map((p) => s[p] as number);
  const out = x.dtype === "int32" ? new Int32Array(v.length) : new Float32Array(v.length);
  const r = shape.length;
  if (r === 2 && perm[0] === 1) {
    // Blocked 2-D transpose.
    const R = x.shape[0] as number;
    const C = x.shape[1] as number;
    const B = 32;
    for (let i0 = 0; i0 < R; i0 += B) {
      const i1 = Math.min(R, i0 + B);
      for (let j0 = 0; j0 < C; j0 += B) {
        const j1 = Math.min(C, j0 + B);
        for (let i = i0; i < i1; i++) {
          for (let j = j0; j < j1; j++) out[j * R + i] = v[i * C + j] as number;
        }
      }
    }
  } else {
    strided(v, out, shape, inStrides);
  }
  return backend.makeTensorInfo(shape, x.dtype, out);
}

type Op = (a: number, b: number) => number;

function fastBinary(
  name: string,
  op: Op,
  backend: MathBackendCPU,
  a: TensorInfo,
  b: TensorInfo,
): TensorInfo {
  const av = a.dtype === "float32" ? vals(backend, a) : undefined;
  const bv = b.dtype === "float32" ? vals(backend, b) : undefined;
  if (!av || !bv || a.dtype !== b.dtype) return cpu(name, backend, { a, b });
  const shape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const n = util.sizeFromShape(shape);
  const out = new Float32Array(n);
  if (n === 0) return backend.makeTensorInfo(shape, "float32", out);
  if (av.length === n && bv.length === n) {
    for (let i = 0; i < n; i++) out[i] = op(av[i] as number, bv[i] as number);
    return backend.makeTensorInfo(shape, "float32", out);
  }
  if (bv.length === 1) {
    const s = bv[0] as number;
    for (let i = 0; i < n; i++) out[i] = op(av[i] as number, s);
    return backend.makeTensorInfo(shape, "float32", out);
  }
  if (av.length === 1) {
    const s = av[0] as number;
    for (let i = 0; i < n; i++) out[i] = op(s, bv[i] as number);
    return backend.makeTensorInfo(shape, "float32", out);
  }
  const r = shape.length;
  const bstr = (sh: readonly number[]): number[] => {
    const st = new Array<number>(r).fill(0);
    let acc = 1;
    for (let d = sh.length - 1; d >= 0; d--) {
      const od = r - sh.length + d;
      st[od] = sh[d] === 1 ? 0 : acc;
      acc *= sh[d] as number;
    }
    return st;
  };
  const sa = bstr(a.shape);
  const sb = bstr(b.shape);
  const last = shape[r - 1] as number;
  const la = sa[r - 1] as number;
  const lb = sb[r - 1] as number;
  const idx = new Array<number>(r).fill(0);
  let pa = 0;
  let pb = 0;
  for (let o = 0; o < n; o += last) {
    for (let j = 0, ia = pa, ib = pb; j < last; j++, ia += la, ib += lb) {
      out[o + j] = op(av[ia] as number, bv[ib] as number);
    }
    for (let d = r - 2; d >= 0; d--) {
      idx[d] = (idx[d] as number) + 1;
      pa += sa[d] as number;
      pb += sb[d] as number;
      if ((idx[d] as number) < (shape[d] as number)) break;
      pa -= (idx[d] as number) * (sa[d] as number);
      pb -= (idx[d] as number) * (sb[d] as number);
      idx[d] = 0;
    }
  }
  return backend.makeTensorInfo(shape, "float32", out);
}

export function fastKernels(backendName: string): KernelConfig[] {
  const binary = (name: string, op: Op): KernelConfig => ({
    kernelName: name,
    backendName,
    kernelFunc: ({ inputs, backend }) =>
      fastBinary(
        name,
        op,
        backend as MathBackendCPU,
        inputs.a as TensorInfo,
        inputs.b as TensorInfo,
      ),
  });
  return [
    {
      kernelName: Transpose,
      backendName,
      kernelFunc: ({ inputs, attrs, backend }) =>
        fastTranspose(
          backend as MathBackendCPU,
          inputs.x as TensorInfo,
          (attrs as { perm: number[] }).perm,
        ),
    },
    binary(Add, (x, y) => x + y),
    binary(Sub, (x, y) => x - y),
    binary(Multiply, (x, y) => x * y),
  ];
}
