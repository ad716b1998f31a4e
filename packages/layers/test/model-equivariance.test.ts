import "@tensorflow/tfjs-backend-cpu";
import { rng } from "@isotropy/core";
import { O } from "@isotropy/groups";
import { parseRep } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { EMLP, MLP, modelEquivarianceError } from "../src/index.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("modelEquivarianceError", () => {
  it("is float32-small for an EMLP and large for an MLP on inertia's reps", () => {
    const g = O(3);
    const repIn = parseRep("5*Scalar + 5*V", g);
    const repOut = parseRep("T(2)", g);
    const r = rng(5);
    const n = 64;
    const data = { x: Float32Array.from(r.normals(n * repIn.size)), n };
    const emlp = new EMLP(repIn, repOut, g, { channels: 32, layers: 2, rng: rng(1) });
    const mlp = new MLP(repIn.size, repOut.size, { channels: 32, layers: 2, rng: rng(1) });
    const eErr = modelEquivarianceError(emlp, repIn, repOut, data, rng(2));
    const mErr = modelEquivarianceError(mlp, repIn, repOut, data, rng(2));
    expect(eErr).toBeLessThan(1e-5);
    expect(mErr).toBeGreaterThan(1e-2);
    expect(() =>
      modelEquivarianceError(emlp, repIn, repOut, { x: new Float32Array(5), n: 1 }, rng(0)),
    ).toThrow(/Expected 1 x 20/);
  });
});
