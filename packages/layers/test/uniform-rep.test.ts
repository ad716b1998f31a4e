import { directProduct, Lorentz, O, S, SO } from "@isotropy/groups";
import { describe, expect, it } from "vitest";
import { binomialSplit, rankCounts, uniformRep } from "../src/index.js";

describe("uniformRep", () => {
  it("allocates O(3) x 384 as emlp does: 102 T0 + 34 T1 + 11 T2 + 3 T3", () => {
    expect(rankCounts(384, 3)).toEqual([102, 34, 11, 3]);
    const rep = uniformRep(384, O(3));
    expect(rep.size).toBe(384);
    expect(rep.toString()).toBe("102*Scalar+34*V+11*T(2)+3*T(3)");
  });

  it("has exactly the requested size for many groups and widths", () => {
    for (const g of [O(3), SO(3), O(5), Lorentz(), S(4)]) {
      for (const ch of [1, 7, 32, 48, 100, 256, 384]) {
        expect(uniformRep(ch, g).size, `${g.name} ${ch}`).toBe(ch);
      }
    }
  });

  it("is deterministic", () => {
    const a = uniformRep(384, Lorentz());
    const b = uniformRep(384, Lorentz());
    expect(a.key).toBe(b.key);
    expect(a.toString()).toBe(b.toString());
  });

  it("splits non-orthogonal ranks binomially over T(p, r - p) without sampling", () => {
    expect(binomialSplit(8, 3)).toEqual([1, 3, 3, 1]);
    expect(binomialSplit(6, 2)).toEqual([1, 3, 2]); // quotas 1.5, 3, 1.5: the tie goes to larger p
    expect(binomialSplit(28, 1)).toEqual([14, 14]);
    // Lorentz, 384: ranks [112, 28, 6, 1]
    expect(rankCounts(384, 4)).toEqual([112, 28, 6, 1]);
    expect(uniformRep(384, Lorentz()).toString()).toBe(
      "112*Scalar+14*V+14*V*+2*T(2)+3*T(1,1)+T(0,2)+T(2,1)",
    );
  });

  it("spreads ranks over the factors of a direct product, mixed tensors included", () => {
    // O(2) x S(6): T(2) of the 8-dim sum costs 64 channels; factor-wise, V[0]*V[1] costs 12.
    const g = directProduct(O(2), S(6));
    for (const ch of [16, 64, 128, 384]) expect(uniformRep(ch, g).size, `${ch}`).toBe(ch);
    expect(uniformRep(128, g).toString()).toBe(
      "44*Scalar+6*V[0]+4*V[1]+3*V[0]*V[0]+V[0]*V[1]+3*V[0]*V[0]*V[0]",
    );
    expect(uniformRep(128, directProduct(O(2), S(8))).toString()).toContain("V[0]*V[1]");
    expect(uniformRep(64, g).key).toBe(uniformRep(64, g).key);
  });
});
