import type * as tfc from "@tensorflow/tfjs-core";

type Tf = typeof tfc;
type Info = tfc.TensorInfo;
type KernelFunc = (args: {
  inputs: Record<string, Info>;
  backend: unknown;
  attrs?: Record<string, unknown>;
}) => Info;

let installed = false;

/**
 * tfjs-backend-webgpu 4.22.0's BatchMatMul takes the larger batch size of its operands instead of
 * broadcasting them, so broadcasting on both sides at once ([2,1,m,k] x [4,k,n]) throws. This
 * wraps the kernel: when both operands' batch shapes differ from the broadcast one, each is
 * tiled to it first (Reshape + Tile on the same backend), then the original kernel runs. One-sided
 * broadcasting, which the kernel handles, passes through untouched. Gradients are tfjs-core's
 * (defined on the original inputs), so they need nothing here. Idempotent.
 */
export function fixBatchMatMulBroadcast(tf: Tf, backendName: string): void {
  if (installed) return;
  const original = tf.getKernel("BatchMatMul", backendName);
  if (!original) return;
  const kernel = (name: string) => tf.getKernel(name, backendName)!.kernelFunc as KernelFunc;
  const reshape = kernel("Reshape");
  const tile = kernel("Tile");
  const run = original.kernelFunc as KernelFunc;
  tf.unregisterKernel("BatchMatMul", backendName);
  tf.registerKernel({
    ...original,
    kernelFunc: ((args: Parameters<KernelFunc>[0]) => {
      const { a, b } = args.inputs as { a: Info; b: Info };
      const batchA = a.shape.slice(0, -2);
      const batchB = b.shape.slice(0, -2);
      const rank = Math.max(batchA.length, batchB.length);
      const pad = (s: number[]) => [...new Array<number>(rank - s.length).fill(1), ...s];
      const pa = pad(batchA);
      const pb = pad(batchB);
      const out = pa.map((d, i) => Math.max(d, pb[i]!));
      const same = (s: number[]) => s.every((d, i) => d === out[i]);
      if (same(pa) || same(pb)) return run(args);
      const temps: Info[] = [];
      const widen = (x: Info, padded: number[]) => {
        const inner = x.shape.slice(-2);
        const r = reshape({
          inputs: { x },
          backend: args.backend,
          attrs: { shape: [...padded, ...inner] },
        });
        const reps = [...out.map((d, i) => (padded[i] === d ? 1 : d)), 1, 1];
        const t = tile({ inputs: { x: r }, backend: args.backend, attrs: { reps } });
        temps.push(r, t);
        return t;
      };
      try {
        return run({ ...args, inputs: { ...args.inputs, a: widen(a, pa), b: widen(b, pb) } });
      } finally {
        const backend = args.backend as { disposeData(id: object): void };
        for (const t of temps) backend.disposeData(t.dataId);
      }
    }) as tfc.KernelFunc,
  });
  installed = true;
}
