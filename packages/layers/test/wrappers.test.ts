import { InvalidArgumentError, rng } from "@isotropy/core";
import { O } from "@isotropy/groups";
import { inverse } from "@isotropy/linalg";
import { Scalar, T, V } from "@isotropy/reps";
import { beforeAll, describe, expect, it } from "vitest";
import { EMLP, GroupAugmentation, MLP, Standardize } from "../src/index.js";
import { actOn, forward, randomBatch, useCpu, worstEquivarianceError } from "./helpers.js";

beforeAll(useCpu);

const o5 = O(5);
const o3 = O(3);

describe("Standardize", () => {
  it("computes model((x - μ_in) / s_in) · s_out + μ_out", () => {
    const inner = new MLP(3, 2, { channels: 8, layers: 1, rng: rng(1) });
    const model = new Standardize(inner, {
      inputScale: [2, 4, 8],
      outputMean: [1, -1],
      outputScale: 3,
    });
    const x = [2, 4, 8, -2, 0, 16];
    const y = forward(model, x, 3);
    const yi = forward(inner, [1, 1, 1, -1, 0, 2], 3);
    for (let i = 0; i < 4; i++) expect(y[i]).toBeCloseTo(yi[i]! * 3 + (i % 2 === 0 ? 1 : -1), 5);
    model.dispose();
  });

  it("keeps an EMLP equivariant with per-block scales and an invariant output mean", () => {
    const repIn = V(o5).times(2);
    const inner = new EMLP(repIn, Scalar(o5), o5, { channels: 32, layers: 1, rng: rng(2) });
    const inputScale = [...new Array(5).fill(0.7), ...new Array(5).fill(1.9)];
    const model = new Standardize(inner, {
      inputScale,
      outputMean: 3.5,
      outputScale: 2.5,
      repIn,
      repOut: Scalar(o5),
    });
    expect(worstEquivarianceError(model, repIn, Scalar(o5), rng(3))).toBeLessThan(1e-5);
    const t2 = T(o3, 2);
    // the identity is invariant in T(2), so it is an admissible output mean
    const delta = [1, 0, 0, 0, 1, 0, 0, 0, 1];
    const m2 = new Standardize(new EMLP(V(o3), t2, o3, { channels: 16, layers: 1, rng: rng(4) }), {
      outputMean: delta,
      repIn: V(o3),
      repOut: t2,
    });
    expect(worstEquivarianceError(m2, V(o3), t2, rng(5))).toBeLessThan(1e-5);
    m2.dispose();
    model.dispose();
  });

  it("refuses statistics that would break equivariance, or of the wrong size", () => {
    const repIn = V(o5).times(2);
    const inner = new MLP(10, 1, { channels: 4, layers: 1, rng: rng(6) });
    const perCoordinate = Array.from({ length: 10 }, (_, i) => 1 + i);
    expect(
      () => new Standardize(inner, { inputScale: perCoordinate, repIn, repOut: Scalar(o5) }),
    ).toThrow(/constant on each copy/);
    const t2 = T(o3, 2);
    const inner2 = new MLP(3, 9, { channels: 4, layers: 1, rng: rng(7) });
    expect(
      () =>
        new Standardize(inner2, {
          outputMean: [1, 0, 0, 0, 0, 0, 0, 0, 0],
          repIn: V(o3),
          repOut: t2,
        }),
    ).toThrow(/invariant vector/);
    expect(() => new Standardize(inner, { inputScale: [1, 2] })).toThrow(InvalidArgumentError);
    expect(() => new Standardize(inner, { outputScale: 0 })).toThrow(/positive/);
    inner.dispose();
    inner2.dispose();
  });
});

describe("GroupAugmentation", () => {
  const repIn = Scalar(o3).times(2).plus(V(o3).times(2));
  const repOut = T(o3, 2);

  it("is the model itself at evaluation", () => {
    const mlp = new MLP(repIn.size, repOut.size, { channels: 16, layers: 1, rng: rng(1) });
    const aug = new GroupAugmentation(mlp, o3, repIn, repOut);
    const x = randomBatch(rng(2), 4, repIn.size);
    expect(Array.from(forward(aug, x, repIn.size))).toEqual(
      Array.from(forward(mlp, x, repIn.size)),
    );
    expect(aug.weights()).toEqual(mlp.weights());
    aug.dispose();
  });

  it("applies rho_out(g)^-1 f(rho_in(g) x) with one sampled g per sample in training", () => {
    const mlp = new MLP(repIn.size, repOut.size, { channels: 16, layers: 1, rng: rng(3) });
    const aug = new GroupAugmentation(mlp, o3, repIn, repOut);
    const bs = 3;
    const x = randomBatch(rng(4), bs, repIn.size);
    const y = forward(aug, x, repIn.size, true, rng(5));
    const r = rng(5);
    for (let s = 0; s < bs; s++) {
      const g = o3.sample(r);
      const xs = x.subarray(s * repIn.size, (s + 1) * repIn.size);
      const ys = actOn(
        repOut,
        inverse(g),
        forward(mlp, actOn(repIn, g, Float64Array.from(xs)), repIn.size),
      );
      for (let i = 0; i < repOut.size; i++) expect(y[s * repOut.size + i]).toBeCloseTo(ys[i]!, 4);
    }
    aug.dispose();
  });

  it("changes nothing for a model that is already equivariant", () => {
    const emlp = new EMLP(repIn, repOut, o3, { channels: 16, layers: 1, rng: rng(6) });
    const aug = new GroupAugmentation(emlp, o3, repIn, repOut);
    const x = randomBatch(rng(7), 6, repIn.size);
    const a = forward(aug, x, repIn.size, true, rng(8));
    const b = forward(emlp, x, repIn.size);
    const scale = Math.sqrt(b.reduce((s, v) => s + v * v, 0) / b.length);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!) / scale).toBeLessThan(1e-4);
    aug.dispose();
  });

  it("refuses reps that do not fit the model or the group", () => {
    const mlp = new MLP(5, 9, { channels: 4, layers: 1, rng: rng(9) });
    expect(() => new GroupAugmentation(mlp, o3, repIn, repOut)).toThrow(/has 5 features/);
    expect(() => new GroupAugmentation(mlp, o5, repIn, repOut)).toThrow(InvalidArgumentError);
    mlp.dispose();
  });
});
