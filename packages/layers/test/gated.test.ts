import { rng } from "@isotropy/core";
import { O, S } from "@isotropy/groups";
import { Scalar, T, V } from "@isotropy/reps";
import { beforeAll, describe, expect, it } from "vitest";
import { GatedNonlinearity, gated, gateIndices } from "../src/index.js";
import { forward, useCpu, worstEquivarianceError } from "./helpers.js";

beforeAll(useCpu);

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

describe("gated / GatedNonlinearity", () => {
  it("adds one gate per non-scalar, non-permutation leaf", () => {
    const g = O(3);
    const rep = Scalar(g).times(2).plus(V(g).times(3), T(g, 2));
    expect(gated(rep).size).toBe(rep.size + 4);
    // S(4): V and T(2) are permutation reps: no gates
    const s4 = S(4);
    const perm = Scalar(s4).plus(V(s4), T(s4, 2));
    expect(gated(perm).size).toBe(perm.size);
    expect(Array.from(gateIndices(perm))).toEqual(Array.from({ length: perm.size }, (_, i) => i));
  });

  it("multiplies each block by the sigmoid of its gate and applies Swish to scalars", () => {
    const g = O(3);
    const rep = Scalar(g).plus(V(g));
    const layer = new GatedNonlinearity(rep);
    expect(layer.inputSize).toBe(5);
    expect(layer.outputSize).toBe(4);
    const x = [0.5, 1, -2, 3, -1.5]; // scalar, vector, gate
    const y = forward(layer, x, 5);
    expect(y[0]).toBeCloseTo(0.5 * sigmoid(0.5), 6);
    for (let i = 1; i < 4; i++) expect(y[i]).toBeCloseTo(x[i]! * sigmoid(-1.5), 6);
  });

  it("gates the copies of a permuted layout where they really sit", () => {
    const g = O(3);
    const rep = V(g).tensor(V(g).plus(Scalar(g))); // leaves T(2), V interleaved by the layout
    const idx = gateIndices(rep);
    const { perm } = rep.decompose();
    expect(perm).not.toBeNull();
    // canonical leaves: T(2) (9 coordinates) then V (3): gates rep.size and rep.size + 1
    for (let k = 0; k < 9; k++) expect(idx[perm![k]!]).toBe(rep.size);
    for (let k = 9; k < 12; k++) expect(idx[perm![k]!]).toBe(rep.size + 1);
  });

  it("is equivariant (O(3), O(5), S(4))", () => {
    for (const g of [O(3), O(5), S(4)]) {
      const rep = Scalar(g).times(2).plus(V(g).times(2), T(g, 2));
      const layer = new GatedNonlinearity(rep);
      // the nonlinearity's input is gated(rep) and its output rep
      const gr = gated(rep);
      expect(worstEquivarianceError(layer, gr, rep, rng(1))).toBeLessThan(1e-6);
      layer.dispose();
    }
  });
});
