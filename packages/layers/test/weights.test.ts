import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rng, ShapeError } from "@isotropy/core";
import { O } from "@isotropy/groups";
import { Scalar, T, V } from "@isotropy/reps";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  decodeSafetensors,
  EMLP,
  encodeSafetensors,
  exportWeights,
  MLP,
  Standardize,
  WeightFileError,
} from "../src/index.js";
import { loadWeights, saveWeights } from "../src/node.js";
import { forward, randomBatch, useCpu } from "./helpers.js";

beforeAll(useCpu);
const dir = mkdtempSync(join(tmpdir(), "isotropy-layers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const g = O(3);
const repIn = Scalar(g).times(5).plus(V(g).times(5));
const repOut = T(g, 2);
const emlp = (seed: number) =>
  new EMLP(repIn, repOut, g, { channels: 32, layers: 2, rng: rng(seed) });

describe("saveWeights / loadWeights", () => {
  it("round-trips an EMLP to bit-identical outputs, through an atomic safetensors file", () => {
    const a = emlp(1);
    const file = join(dir, "emlp.safetensors");
    saveWeights(a, file, { task: "inertia" });
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    const { metadata, tensors } = decodeSafetensors(readFileSync(file));
    expect(metadata).toMatchObject({
      kind: "EMLP",
      group: "O(3)",
      task: "inertia",
      format: "isotropy-layers/1",
    });
    expect([...tensors.keys()]).toEqual(a.weights().map((w) => w.name));

    const b = emlp(2); // different initial weights
    const x = randomBatch(rng(3), 16, repIn.size);
    expect(Array.from(forward(b, x, repIn.size))).not.toEqual(
      Array.from(forward(a, x, repIn.size)),
    );
    const meta = loadWeights(b, file);
    expect(meta.task).toBe("inertia");
    const ya = forward(a, x, repIn.size);
    const yb = forward(b, x, repIn.size);
    expect(
      Buffer.from(Float32Array.from(yb).buffer).equals(Buffer.from(Float32Array.from(ya).buffer)),
    ).toBe(true);
    a.dispose();
    b.dispose();
  });

  it("refuses a file of another model, other shapes or other standardisation, assigning nothing", () => {
    const a = emlp(4);
    const file = join(dir, "a.safetensors");
    saveWeights(a, file);
    // a different architecture: metadata mismatch
    const other = new EMLP(repIn, repOut, g, { channels: 48, layers: 2, rng: rng(5) });
    expect(() => loadWeights(other, file)).toThrow(WeightFileError);
    expect(() => loadWeights(other, file)).toThrow(/hidden/);
    // an MLP: kind differs
    const mlp = new MLP(repIn.size, repOut.size, { channels: 32, layers: 2, rng: rng(6) });
    expect(() => loadWeights(mlp, file)).toThrow(/kind/);
    // same metadata but one tensor reshaped: ShapeError, and nothing assigned
    const bytes = exportWeights(a);
    const { tensors, metadata } = decodeSafetensors(bytes);
    const target = emlp(7);
    const before = target.weights()[0]!.variable.dataSync().slice();
    const name = [...tensors.keys()][0]!;
    const t = tensors.get(name)!;
    const reshaped = encodeSafetensors(
      [...tensors].map(
        ([k, v]) => [k, k === name ? { shape: [v.data.length], data: v.data } : v] as const,
      ),
      metadata,
    );
    writeFileSync(join(dir, "reshaped.safetensors"), reshaped);
    expect(() => loadWeights(target, join(dir, "reshaped.safetensors"))).toThrow(ShapeError);
    expect(Array.from(target.weights()[0]!.variable.dataSync())).toEqual(Array.from(before));
    // missing and extra tensors
    const missing = encodeSafetensors(
      [...tensors].filter(([k]) => k !== name),
      metadata,
    );
    writeFileSync(join(dir, "missing.safetensors"), missing);
    expect(() => loadWeights(target, join(dir, "missing.safetensors"))).toThrow(/lacks 1/);
    const extra = encodeSafetensors([...tensors, ["stray", t]], metadata);
    writeFileSync(join(dir, "extra.safetensors"), extra);
    expect(() => loadWeights(target, join(dir, "extra.safetensors"))).toThrow(/stray/);
    expect(() =>
      loadWeights(target, join(dir, "extra.safetensors"), { strict: false }),
    ).not.toThrow();
    // standardisation is part of the model
    const s1 = new Standardize(emlp(8), { outputScale: 2, repIn, repOut });
    const s2 = new Standardize(emlp(9), { outputScale: 3, repIn, repOut });
    saveWeights(s1, join(dir, "s1.safetensors"));
    expect(() => loadWeights(s2, join(dir, "s1.safetensors"))).toThrow(/standardize/);
    for (const m of [a, other, mlp, target, s1, s2]) m.dispose();
  });

  it("refuses corrupted and missing files with a WeightFileError", () => {
    const a = emlp(10);
    const file = join(dir, "c.safetensors");
    saveWeights(a, file);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 10));
    expect(() => loadWeights(a, file)).toThrow(WeightFileError);
    writeFileSync(file, Buffer.from("not a weight file at all"));
    expect(() => loadWeights(a, file)).toThrow(WeightFileError);
    expect(() => loadWeights(a, join(dir, "nope.safetensors"))).toThrow(WeightFileError);
    expect(existsSync(join(dir, "nope.safetensors"))).toBe(false);
    a.dispose();
  });
});
