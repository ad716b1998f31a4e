import { IsotropyError, rng } from "@isotropy/core";
import { D, directProduct, O, S, SL, SO } from "@isotropy/groups";
import { T, V } from "@isotropy/reps";
import { describe, expect, it } from "vitest";
import { canonicalize, orbit, orbitSize, stabilizer } from "../src/index.js";
import { hypercube, randomGraph } from "./graphs.js";

function codeOf(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof IsotropyError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error("expected an error");
}

describe("bad input", () => {
  const G = S(4);
  const x = new Float64Array(4);

  it("tolerance outside (0, 1) says the range", () => {
    for (const tol of [0, 1, -1e-3, 2, Number.NaN]) {
      const e = codeOf(() => stabilizer(G, V(G), x, { tol }));
      expect(e.code).toBe("E_INVALID_ARGUMENT");
      expect(e.message).toContain("open interval (0, 1)");
      expect(codeOf(() => canonicalize(G, V(G), x, { tol })).code).toBe("E_INVALID_ARGUMENT");
    }
  });

  it("wrong length, wrong group, non-finite entries", () => {
    expect(codeOf(() => stabilizer(G, V(G), new Float64Array(5))).code).toBe("E_SHAPE");
    const H = S(5);
    const e = codeOf(() => stabilizer(G, V(H), new Float64Array(5)));
    expect(e.code).toBe("E_INVALID_ARGUMENT");
    expect(e.message).toContain("S(5)");
    expect(codeOf(() => stabilizer(G, V(G), [0, Number.NaN, 0, 0])).code).toBe(
      "E_INVALID_ARGUMENT",
    );
  });

  it("enumeration past the limit says which limit", () => {
    // A finite product without a permutation action: every element would be tested.
    const P = directProduct(D(8), S(6));
    const e = codeOf(() => stabilizer(P, V(P), new Float64Array(8).fill(1)));
    expect(e.code).toBe("E_LIMIT");
    expect(e.message).toContain("11520 elements, more than the enumeration limit of 10000");
    // (1, 1) lies on a mirror of D(8) (the diagonal); S(6) fixes the constant vector.
    expect(stabilizer(P, V(P), new Float64Array(8).fill(1), { limit: 20_000 }).order).toBe(
      2n * 720n,
    );
    // Orbits past the limit.
    const S8 = S(8);
    const a = randomGraph(8, 0.5, rng(1));
    const o = codeOf(() => orbit(S8, T(S8, 2), a, { limit: 100 }));
    expect(o.code).toBe("E_LIMIT");
    expect(o.message).toContain("limit of 100");
  });

  it("search past nodeLimit says so", () => {
    const n = 32;
    const Sn = S(n);
    const e = codeOf(() => stabilizer(Sn, T(Sn, 2), hypercube(5), { nodeLimit: 5 }));
    expect(e.code).toBe("E_LIMIT");
    expect(e.message).toContain("nodeLimit");
  });

  it("Lie groups: no orbits, canonical forms only where a frame is known", () => {
    const g = SO(3);
    expect(codeOf(() => orbit(g, V(g), [1, 0, 0])).code).toBe("E_INVALID_ARGUMENT");
    expect(codeOf(() => orbitSize(g, V(g), [1, 0, 0])).code).toBe("E_INVALID_ARGUMENT");
    const sl = SL(2);
    expect(codeOf(() => canonicalize(sl, V(sl), [1, 0])).code).toBe("E_INVALID_ARGUMENT");
    const o = O(3);
    const e = codeOf(() => canonicalize(o, T(o, 2), new Float64Array(9)));
    expect(e.code).toBe("E_INVALID_ARGUMENT");
    expect(e.message).toContain("O(n)/SO(n) on vectors");
  });

  it("options are validated", () => {
    expect(codeOf(() => stabilizer(G, V(G), x, { limit: 0 })).code).toBe("E_INVALID_ARGUMENT");
    expect(codeOf(() => stabilizer(G, V(G), x, { nodeLimit: 1.5 })).code).toBe(
      "E_INVALID_ARGUMENT",
    );
  });
});
