import { describe, expect, it } from "vitest";
import { Rng, rng } from "../src/index.js";

describe("Rng", () => {
  it("is reproducible from a seed and differs between seeds", () => {
    const a = rng(42).normals(5);
    const b = rng(42).normals(5);
    const c = rng(43).normals(5);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(rng("x").uint32()).toBe(rng("x").uint32());
  });

  it("resumes exactly from a saved state, spare normal included", () => {
    const r = rng(7);
    r.normal();
    const saved = JSON.parse(JSON.stringify(r.state()));
    const rest = r.normals(4);
    expect(Array.from(Rng.fromState(saved).normals(4))).toEqual(Array.from(rest));
  });

  it("has uniform mean 1/2 and normal mean 0, variance 1 (5 sigma bounds)", () => {
    const r = rng(1);
    const n = 200_000;
    let su = 0;
    let sn = 0;
    let sn2 = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      su += u;
      const z = r.normal();
      sn += z;
      sn2 += z * z;
    }
    expect(Math.abs(su / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(sn / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(sn2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });

  it("draws unbiased integers and permutations", () => {
    const r = rng(3);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[r.int(6)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    const p = Array.from(r.permutation(10)).sort((x, y) => x - y);
    expect(p).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(() => r.int(0)).toThrow(/integer/);
  });

  it("forks independent streams without disturbing the parent", () => {
    const a = rng(5);
    const b = rng(5);
    const child = a.fork("data");
    expect(a.uint32()).toBe(b.uint32());
    expect(child.uint32()).not.toBe(rng(5).fork("init").uint32());
  });
});
