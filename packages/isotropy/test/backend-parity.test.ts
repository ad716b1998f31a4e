// The parity suite: the same models (EquivariantLinear, EMLP, MLP), same weights and inputs, on
// every backend that is available here, against `cpu`: forward outputs and gradients within a
// relative error of 1e-4, and an EMLP's equivariance error at the cpu backend's level.
import { plugin as backendCpu } from "@isotropy/backend-cpu";
import { O } from "@isotropy/groups";
import {
  EMLP,
  EquivariantLinear,
  MLP,
  type Module,
  modelEquivarianceError,
} from "@isotropy/layers";
import { registerGradients } from "@isotropy/layers/node";
import { parseRep } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  BackendUnavailableError,
  createRegistry,
  defineEntry,
  definePlugin,
  listBackends,
  registerBuiltins,
  rng,
  selectBackend,
  z,
} from "../src/index.js";

const registry = registerBuiltins(createRegistry());
let available: string[] = [];

beforeAll(async () => {
  await registerGradients();
  // Backends that cannot read GPU data synchronously here (webgpu in Node: tfjs reads it through
  // OffscreenCanvas) cannot run these dataSync-based checks or move tensors to another backend;
  // @isotropy/backend-webgpu's own tests check their parity with asynchronous reads.
  available = (await listBackends(registry))
    .filter((r) => r.status.available && r.status.capabilities?.syncReads !== false)
    .map((r) => r.name);
});

const g = O(3);

interface Case {
  readonly name: string;
  readonly repIn: string;
  readonly repOut: string;
  readonly build: (
    repIn: ReturnType<typeof parseRep>,
    repOut: ReturnType<typeof parseRep>,
  ) => Module;
}

const CASES: readonly Case[] = [
  {
    name: "EquivariantLinear (sums and products of O(3) reps)",
    repIn: "3*Scalar + 2*V + V**2",
    repOut: "Scalar + V + T(2)",
    build: (i, o) => new EquivariantLinear(i, o, { rng: rng(11) }),
  },
  {
    name: "EMLP(24, 2 layers) on inertia's reps",
    repIn: "5*Scalar + 5*V",
    repOut: "T(2)",
    build: (i, o) => new EMLP(i, o, g, { channels: 24, layers: 2, rng: rng(12) }),
  },
  {
    name: "MLP(32, 2 layers)",
    repIn: "5*Scalar + 5*V",
    repOut: "T(2)",
    build: (i, o) => new MLP(i.size, o.size, { channels: 32, layers: 2, rng: rng(13) }),
  },
];

const BATCH = 24;

interface Run {
  out: Float32Array;
  loss: number;
  grads: Float32Array[];
  equivariance: number;
}

/** Builds the model on `backend` (made current through the registry), runs it, disposes it. */
async function runOn(backend: string, c: Case): Promise<Run> {
  await selectBackend(registry, backend);
  const repIn = parseRep(c.repIn, g);
  const repOut = parseRep(c.repOut, g);
  const model = c.build(repIn, repOut);
  const xs = Float32Array.from(rng(21).normals(BATCH * repIn.size));
  const ys = Float32Array.from(rng(22).normals(BATCH * repOut.size));
  const x = tf.tensor2d(xs, [BATCH, repIn.size]);
  const y = tf.tensor2d(ys, [BATCH, repOut.size]);
  try {
    const vars = model.weights().map((w) => w.variable);
    const out = tf.tidy(() => model.apply(x).dataSync().slice() as Float32Array);
    const { value, grads } = tf.variableGrads(
      () => tf.mean(tf.square(tf.sub(model.apply(x), y))) as tf.Scalar,
      vars,
    );
    const loss = value.dataSync()[0] as number;
    const gs = vars.map((v) => (grads[v.name] as tf.Tensor).dataSync().slice() as Float32Array);
    tf.dispose([value, ...Object.values(grads)]);
    const equivariance = modelEquivarianceError(model, repIn, repOut, { x: xs, n: BATCH }, rng(2));
    return { out, loss, grads: gs, equivariance };
  } finally {
    tf.dispose([x, y]);
    model.dispose?.();
  }
}

/** max |x - y| / max(max |y|, 1e-6). */
function relErr(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) return Number.POSITIVE_INFINITY;
  let e = 0;
  let m = 0;
  for (let i = 0; i < y.length; i++) {
    e = Math.max(e, Math.abs((x[i] as number) - (y[i] as number)));
    m = Math.max(m, Math.abs(y[i] as number));
  }
  return Number.isNaN(e) ? Number.POSITIVE_INFINITY : e / Math.max(m, 1e-6);
}

describe("backend parity against cpu", () => {
  it("runs on more than the cpu backend here (wasm ships with the umbrella package)", () => {
    expect(available).toContain("cpu");
    expect(available).toContain("wasm");
  });

  for (const c of CASES) {
    it(`${c.name}: forward and gradients within 1e-4 on every available backend`, async () => {
      const ref = await runOn("cpu", c);
      expect(ref.grads.length).toBeGreaterThan(0);
      for (const backend of available.filter((b) => b !== "cpu")) {
        const r = await runOn(backend, c);
        expect(relErr(r.out, ref.out), `${backend} forward`).toBeLessThan(1e-4);
        expect(Math.abs(r.loss - ref.loss) / Math.abs(ref.loss), `${backend} loss`).toBeLessThan(
          1e-4,
        );
        expect(r.grads.length).toBe(ref.grads.length);
        ref.grads.forEach((gr, i) => {
          expect(relErr(r.grads[i] as Float32Array, gr), `${backend} grad ${i}`).toBeLessThan(1e-4);
        });
        if (c.name.startsWith("E")) {
          // Equivariant models stay at the cpu backend's (float32) level on every backend.
          expect(ref.equivariance).toBeLessThan(1e-5);
          expect(r.equivariance, `${backend} equivariance`).toBeLessThan(1e-5);
        }
      }
    });
  }
});

describe("choosing a backend", () => {
  const tfName = async () => {
    await tf.setBackend("cpu");
    return "cpu";
  };
  const fake = definePlugin({
    name: "fake-backends",
    version: "1.0.0",
    apiVersion: "^1",
    description: "backends for the tests",
    backends: {
      gpu9000: defineEntry({
        description: "never available",
        schema: z.object({}),
        priority: { node: 100, browser: 100 },
        probe: async () => ({ available: false, reason: "no adapter found (simulated)" }),
        create: tfName,
      }),
      fast: defineEntry({
        description: "available, above cpu",
        schema: z.object({}),
        priority: { node: 50 },
        probe: async () => ({ available: true }),
        create: tfName,
      }),
    },
  });

  it("a requested but unavailable backend is a typed error naming why and what is available", async () => {
    const r = createRegistry().use(backendCpu).use(fake);
    const err = await selectBackend(r, "gpu9000").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    const e = err as BackendUnavailableError;
    expect(e.code).toBe("E_BACKEND_UNAVAILABLE");
    expect(e.backend).toBe("gpu9000");
    expect(e.reason).toBe("no adapter found (simulated)");
    expect(e.message).toMatch(/no adapter found \(simulated\)/);
    expect(e.message).toMatch(/Available: fast, cpu\./);
  });

  it("auto picks the available backend of highest priority, skipping unavailable ones", async () => {
    const r = createRegistry().use(backendCpu).use(fake);
    expect((await selectBackend(r, "auto")).name).toBe("fast");
    expect((await selectBackend(r, "auto", {}, "browser")).name).toBe("cpu");
    const builtins = await listBackends(registry);
    const best = builtins.find((b) => b.status.available && b.priority !== null);
    const chosen = await selectBackend(registry, "auto");
    expect(chosen.name).toBe(best?.name);
    expect(tf.getBackend()).toBe(chosen.tfName);
    // In Node: node (30, when its addon is built) > wasm (20) > cpu (1).
    expect(builtins.map((b) => b.name).filter((n) => n !== "webgpu")).toEqual(
      ["node", "wasm", "cpu"].filter((n) => builtins.some((b) => b.name === n)),
    );
  });
});

describe("tensors across a backend switch", () => {
  type EngineInfo = { state: { tensorInfo: WeakMap<object, { backend: unknown }> } };
  const ownerOf = (t: tf.Tensor) =>
    (tf.engine() as unknown as EngineInfo).state.tensorInfo.get(t.dataId)?.backend;

  it("tfjs moves a tensor's data to the current backend on use: values stay correct", async () => {
    const others = available.filter((b) => b !== "cpu");
    expect(others.length).toBeGreaterThan(0);
    for (const other of others) {
      await selectBackend(registry, "cpu");
      const cpuBackend = tf.backend();
      const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
      const w = tf.variable(tf.tensor2d([1, 0, 0, 1, 1, 1], [3, 2]));
      expect(ownerOf(a)).toBe(cpuBackend);
      const { tfName } = await selectBackend(registry, other);
      expect(tf.getBackend()).toBe(tfName);
      // Not an error and not a silent mix: the op runs on `other`, reading `a` and `w` after
      // moving their data there (engine.moveData: read on the old backend, write on the new).
      const c = tf.matMul(a, w);
      expect(Array.from(await c.data())).toEqual([4, 5, 10, 11]);
      expect(ownerOf(a)).toBe(tf.backend());
      expect(ownerOf(w)).toBe(tf.backend());
      expect(ownerOf(a)).not.toBe(cpuBackend);
      // And back: moved again, still correct.
      await selectBackend(registry, "cpu");
      expect(Array.from(await tf.matMul(a, w).data())).toEqual([4, 5, 10, 11]);
      expect(ownerOf(a)).toBe(cpuBackend);
      tf.dispose([a, w, c]);
    }
  });

  it("a model built before a switch still computes the same values after it", async () => {
    const c = CASES[1] as Case;
    await selectBackend(registry, "cpu");
    const repIn = parseRep(c.repIn, g);
    const repOut = parseRep(c.repOut, g);
    const model = c.build(repIn, repOut);
    const x = tf.tensor2d(Float32Array.from(rng(3).normals(8 * repIn.size)), [8, repIn.size]);
    const before = tf.tidy(() => model.apply(x).dataSync().slice());
    for (const other of available.filter((b) => b !== "cpu")) {
      await selectBackend(registry, other);
      const after = tf.tidy(() => model.apply(x).dataSync().slice());
      expect(relErr(after, before), other).toBeLessThan(1e-4);
    }
    // Callers switch backends before building models and dispose them before the next switch
    // (the CLI's commands select once, the bench disposes per backend): nothing leaks.
    const n = tf.memory().numTensors;
    model.dispose?.();
    x.dispose();
    expect(tf.memory().numTensors).toBeLessThan(n);
  });
});
