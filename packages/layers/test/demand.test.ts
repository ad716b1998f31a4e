import { rng } from "@isotropy/core";
import { Lorentz, O } from "@isotropy/groups";
import { type Rep, Scalar, T, V } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  BiLinear,
  EMLP,
  EquivariantLinear,
  GatedNonlinearity,
  gated,
  gateIndices,
  uniformRep,
} from "../src/index.js";
import { leafInstances } from "../src/rep-layout.js";
import { withZeroGradients } from "../src/zero-gradient.js";
import { useCpu } from "./helpers.js";

beforeAll(useCpu);

const o3 = O(3);

/** 1 at the positions of the leaves of `rep` whose size is in `sizes`. */
function leafMask(rep: Rep, sizes: readonly number[]): Uint8Array {
  const m = new Uint8Array(rep.size);
  for (const inst of leafInstances(rep))
    if (sizes.includes(inst.leaf.size)) for (const p of inst.positions) m[p] = 1;
  return m;
}

/** A model's loss and its gradients by weight name. */
function lossAndGrads(model: EMLP, x: tf.Tensor2D, y: tf.Tensor2D) {
  const vars = model.weights();
  const { value, grads } = tf.variableGrads(
    () => tf.mean(tf.square(tf.sub(model.apply(x), y))) as tf.Scalar,
    vars.map((w) => w.variable),
  );
  const byName = new Map<string, Float32Array>();
  for (const w of vars) {
    const g = grads[w.variable.name];
    if (g) byName.set(w.name, g.dataSync() as Float32Array);
  }
  const loss = value.dataSync()[0]!;
  tf.dispose([value, ...Object.values(grads)]);
  return { loss, grads: byName };
}

describe("demanded outputs", () => {
  it("withZeroGradients: x unchanged, its gradient passed through, the others' exactly zero", () => {
    const x = tf.variable(tf.tensor1d([1, -2, 3]));
    const a = tf.variable(tf.tensor2d([[4, -5]]));
    const b = tf.variable(tf.scalar(-6));
    const { value, grads } = tf.variableGrads(
      () => tf.sum(tf.mul(withZeroGradients(x, [a, b]), tf.tensor1d([7, 8, 9]))) as tf.Scalar,
      [x, a, b],
    );
    expect(value.dataSync()[0]).toBe(7 - 16 + 27);
    expect(Array.from(grads[x.name]!.dataSync())).toEqual([7, 8, 9]);
    expect(grads[a.name]!.shape).toEqual([1, 2]);
    expect(Array.from(grads[a.name]!.dataSync())).toEqual([0, 0]);
    expect(Array.from(grads[b.name]!.dataSync())).toEqual([0]);
    expect(withZeroGradients(x, [])).toBe(x);
    tf.dispose([x, a, b, value, ...Object.values(grads)]);
  });

  it("EquivariantLinear.inputsRead: a map to T(2) under O(3) reads scalars and T(2), not V or T(3)", () => {
    const hidden = uniformRep(48, o3);
    const head = new EquivariantLinear(hidden, T(o3, 2), { rng: rng(1) });
    expect(Array.from(head.inputsRead())).toEqual(Array.from(leafMask(hidden, [1, 9])));
    // A map to V reads only V leaves (V -> V is the only nonzero block under O(3)).
    const toV = new EquivariantLinear(hidden, V(o3), { rng: rng(2) });
    expect(Array.from(toV.inputsRead())).toEqual(Array.from(leafMask(hidden, [3])));
    head.dispose();
    toV.dispose();
  });

  it("GatedNonlinearity.inputsNeeded: each demanded output's coordinate and its gate", () => {
    const rep = uniformRep(48, o3);
    const gate = new GatedNonlinearity(rep);
    const demanded = leafMask(rep, [3]);
    const need = gate.inputsNeeded(demanded);
    const idx = gateIndices(rep);
    const expected = new Uint8Array(gated(rep).size);
    demanded.forEach((d, i) => {
      if (d) {
        expected[i] = 1;
        expected[idx[i]!] = 1;
      }
    });
    expect(Array.from(need)).toEqual(Array.from(expected));
    // V's coordinates plus one gate per V copy, nothing else.
    const vCopies = leafInstances(rep).filter((l) => l.leaf.size === 3).length;
    expect(need.reduce((s, v) => s + v, 0)).toBe(demanded.reduce((s, v) => s + v, 0) + vCopies);
  });

  it("BiLinear: the demanded outputs equal the full layer's, the pairs that write none are skipped", () => {
    const rep = gated(uniformRep(48, o3));
    const layer = new BiLinear(rep, rep, { rng: rng(3) });
    expect(layer.livePairs(new Uint8Array(rep.size).fill(1))).toBeNull();
    expect(layer.livePairs(undefined)).toBeNull();
    expect(() => layer.livePairs(new Uint8Array(3))).toThrow(/mask of/);
    const demanded = leafMask(rep, [1, 9]);
    const live = layer.livePairs(demanded)!;
    const pairs = layer.pairs();
    // Exactly the pairs whose out leaf is a scalar or T(2).
    expect(live).toEqual(
      pairs.flatMap((p, k) => ([1, 9].includes(p.outCopies[0]!.length) ? [k] : [])),
    );
    expect(live.length).toBeLessThan(pairs.length);
    const x = tf.randomNormal([7, rep.size], 0, 1, "float32", 4) as tf.Tensor2D;
    const full = layer.apply(x).arraySync();
    const part = layer.apply(x, undefined, demanded).arraySync();
    const residual = layer.applyResidual(x, undefined, demanded).arraySync();
    const xs = x.arraySync();
    for (let s = 0; s < 7; s++) {
      for (let i = 0; i < rep.size; i++) {
        if (demanded[i]) {
          expect(part[s]![i]).toBe(full[s]![i]);
          expect(residual[s]![i]).toBeCloseTo(full[s]![i]! + xs[s]![i]!, 5);
        } else {
          expect(part[s]![i]).toBe(0);
        }
      }
    }
    // Nothing demanded: nothing computed.
    expect(layer.livePairs(new Uint8Array(rep.size))).toEqual([]);
    expect(layer.apply(x, undefined, new Uint8Array(rep.size)).arraySync()[0]).toEqual(
      new Array(rep.size).fill(0),
    );
    x.dispose();
    layer.dispose();
  });

  it.each([
    ["inertia O(3) -> T(2)", o3, Scalar(o3).times(5).plus(V(o3).times(5)), T(o3, 2)],
    ["Lorentz 4V -> Scalar", Lorentz(), V(Lorentz()).times(4), Scalar(Lorentz())],
  ] as const)(
    "EMLP (%s): loss and gradients bit for bit those of the unpruned model",
    (_, g, repIn, repOut) => {
      const make = () => new EMLP(repIn, repOut, g, { channels: 48, layers: 2, rng: rng(5) });
      const pruned = make();
      const unpruned = make();
      expect(pruned.headDemand).toBeDefined();
      (unpruned as { headDemand?: Uint8Array }).headDemand = undefined;
      const x = tf.randomNormal([9, repIn.size], 0, 0.5, "float32", 6) as tf.Tensor2D;
      const y = tf.randomNormal([9, repOut.size], 0, 1, "float32", 7) as tf.Tensor2D;
      const a = lossAndGrads(pruned, x, y);
      const b = lossAndGrads(unpruned, x, y);
      expect(a.loss).toBe(b.loss);
      expect([...a.grads.keys()]).toEqual([...b.grads.keys()]);
      expect(a.grads.size).toBe(pruned.weights().length);
      let skipped = 0;
      for (const [name, gb] of b.grads) {
        const ga = a.grads.get(name)!;
        expect(Array.from(ga), name).toEqual(Array.from(gb));
        // The skipped pairs still get a gradient, exactly zero, as they do unskipped.
        if (name.startsWith("layers.1.bilinear.") && ga.every((v) => v === 0)) skipped++;
      }
      expect(skipped).toBeGreaterThan(0);
      tf.dispose([x, y]);
      pruned.dispose();
      unpruned.dispose();
    },
  );

  it("EMLP: a demand only where the head leaves some hidden leaf unread", () => {
    const g = o3;
    // Into T(2) + Scalar under O(3) the head reads S and T(2), not V.
    const partial = new EMLP(V(g), T(g, 2).plus(Scalar(g)), g, {
      channels: 48,
      layers: 1,
      rng: rng(8),
    });
    expect(Array.from(partial.headDemand!)).toEqual(
      Array.from(leafMask(partial.hidden[0]!, [1, 9])),
    );
    // Into V + T(2) + Scalar it reads every leaf of uniformRep(48) (S, V, T(2)).
    const whole = new EMLP(V(g), V(g).plus(T(g, 2)).plus(Scalar(g)), g, {
      channels: 48,
      layers: 1,
      rng: rng(9),
    });
    expect(whole.headDemand).toBeUndefined();
    partial.dispose();
    whole.dispose();
  });
});
