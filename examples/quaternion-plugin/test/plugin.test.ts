import { basisEquivarianceError, equivariantBasis, parseGroup, parseRep } from "@isotropy/reps";
import { createRegistry, registerBuiltins, rng } from "isotropy";
import { describe, expect, it } from "vitest";
import { quaternionPlugin } from "../src/index.js";

describe("a third-party group plugin", () => {
  it("registers beside the built-ins and the grammar resolves it", () => {
    const registry = registerBuiltins(createRegistry()).use(quaternionPlugin);
    const g = parseGroup("Q8", registry);
    expect(g.order()).toBe(8n);
    expect(g.elements()).toHaveLength(8);
    expect(parseGroup("Q8 x S(3)", registry).d).toBe(7);
  });

  it("gets exact equivariant bases from the core solver: the commutant of H acting on itself", () => {
    const registry = registerBuiltins(createRegistry()).use(quaternionPlugin);
    const g = parseGroup("Q8", registry);
    // Maps commuting with left multiplication are right multiplications by H: dimension 4.
    const b = equivariantBasis(parseRep("V", g), parseRep("V", g));
    expect(b.dim).toBe(4);
    expect(basisEquivarianceError(b, rng(1), 3)).toBeLessThan(1e-12);
    // Invariants of V ⊗ V: the Q8-invariant bilinear forms, again 4-dimensional.
    expect(equivariantBasis(parseRep("T(2)", g), parseRep("Scalar", g)).dim).toBe(4);
  });
});
