import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  CheckpointError,
  cosineSchedule,
  decodeCheckpoint,
  encodeCheckpoint,
  memorySinks,
  type TrainOptions,
  type TrainResult,
  train as trainCore,
} from "../src/index.js";
import { CHECKPOINT_FILE, readMetricsFile, train } from "../src/node.js";
import { Linear, linearData, NoisyMlp, sameBits, snapshotWeights } from "./helpers.js";

await tf.setBackend("cpu");

const root = mkdtempSync(join(tmpdir(), "isotropy-train-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const models: { dispose(): void }[] = [];
afterEach(() => {
  for (const m of models.splice(0)) m.dispose();
});

// 100 samples in batches of 32 (a short last batch), a cosine schedule, a model that draws
// training noise from the loop's generator: every source of state a resume must restore.
const data = linearData(100, 40, 3, 2, 21);
const options: TrainOptions = {
  epochs: 6,
  batchSize: 32,
  lr: 0.02,
  seed: 42,
  schedule: cosineSchedule({ minFactor: 0.1 }),
  earlyStopping: { patience: 50 },
};

function mlp(seed: number): NoisyMlp {
  const m = new NoisyMlp(3, 8, 2, seed);
  models.push(m);
  return m;
}

function expectSameRun(a: TrainResult, b: TrainResult): void {
  const strip = (r: TrainResult) => r.history.map(({ seconds: _s, ...rest }) => rest);
  expect(strip(b)).toEqual(strip(a));
  expect(b.bestEpoch).toBe(a.bestEpoch);
  expect(b.bestValMSE).toBe(a.bestValMSE);
  expect(b.stepsRun).toBe(a.stepsRun);
  expect(b.epochsRun).toBe(a.epochsRun);
}

describe("checkpoints", () => {
  it("resuming after an interruption gives the uninterrupted run bit for bit", async () => {
    const dirA = join(root, "a");
    const full = mlp(1);
    const a = await train(full, data, {
      ...options,
      checkpointDir: dirA,
      metricsFile: join(dirA, "metrics.jsonl"),
    });
    const wanted = snapshotWeights(full);

    // the same run, stopped after epoch 5 (checkpoints every 2 epochs: the latest is epoch 4)
    const dirB = join(root, "b");
    const metricsFile = join(dirB, "metrics.jsonl");
    const stop = new AbortController();
    const first = mlp(1);
    await expect(
      train(first, data, {
        ...options,
        checkpointDir: dirB,
        checkpointEvery: 2,
        metricsFile,
        signal: stop.signal,
        onEvent: (e) => {
          if (e.type === "epoch-end" && e.epoch === 5) stop.abort();
        },
      }),
    ).rejects.toMatchObject({ name: "AbortError" });
    expect(readMetricsFile(metricsFile).map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(readdirSync(dirB)).toEqual([CHECKPOINT_FILE, "metrics.jsonl"]);

    // a fresh process would build the model with other weights: the checkpoint replaces them
    const resumed = mlp(999);
    const events: string[] = [];
    const b = await train(resumed, data, {
      ...options,
      checkpointDir: dirB,
      checkpointEvery: 2,
      metricsFile,
      resume: true,
      onEvent: (e) => {
        if (e.type !== "step") events.push(`${e.type}:${e.epoch}`);
      },
    });
    expect(b.resumedFromEpoch).toBe(4);
    expect(events[0]).toBe("epoch-start:5");
    expectSameRun(a, b);
    const got = snapshotWeights(resumed);
    for (const [name, w] of wanted) expect(sameBits(got.get(name)!, w), name).toBe(true);

    // each epoch once in metrics.jsonl, with the uninterrupted run's numbers
    const strip = (rs: { seconds: number }[]) => rs.map(({ seconds: _s, ...r }) => r);
    expect(strip(readMetricsFile(metricsFile))).toEqual(
      strip(readMetricsFile(join(dirA, "metrics.jsonl"))),
    );
  });

  it("resuming a finished run changes nothing", async () => {
    const sinks = memorySinks();
    const m1 = mlp(3);
    const a = await trainCore(m1, data, { ...options, epochs: 3, sinks });
    const m2 = mlp(4);
    const b = await trainCore(m2, data, { ...options, epochs: 3, sinks, resume: true });
    expectSameRun(a, b);
    expect(b.resumedFromEpoch).toBe(3);
    expect(snapshotWeights(m2)).toEqual(snapshotWeights(m1));
  });

  it("round-trips through encode/decode and holds the whole state", async () => {
    const sinks = memorySinks();
    await trainCore(mlp(5), data, { ...options, epochs: 2, sinks });
    const ckpt = decodeCheckpoint(sinks.latest!);
    expect(ckpt.state.epoch).toBe(2);
    expect(ckpt.state.step).toBe(8);
    expect(ckpt.state.adamT).toBe(8);
    expect(ckpt.state.history).toHaveLength(2);
    expect(ckpt.state.weights.map((w) => w.name)).toEqual(["l1/w", "l1/b", "l2/w", "l2/b"]);
    expect(ckpt.best?.size).toBe(4);
    expect(ckpt.state.config).toMatchObject({
      seed: 42,
      batchSize: 32,
      nTrain: 100,
      model: "noisy-mlp",
    });
    expect(encodeCheckpoint(ckpt)).toEqual(sinks.latest);
    // safetensors layout: u64 header length, then a JSON header
    const view = new DataView(sinks.latest!.buffer, sinks.latest!.byteOffset);
    const len = Number(view.getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(sinks.latest!.subarray(8, 8 + len)));
    expect(header["weight/l1/w"]).toEqual({ dtype: "F32", shape: [3, 8], data_offsets: [0, 96] });
    expect(header.__metadata__.format).toBe("isotropy.train.checkpoint");
  });

  it("refuses a corrupt checkpoint with a typed error", async () => {
    const sinks = memorySinks();
    await trainCore(mlp(6), data, { ...options, epochs: 1, sinks });
    const good = sinks.latest!;
    const flippedData = good.slice();
    flippedData[good.length - 3] ^= 0x10;
    const headerLen = Number(new DataView(good.buffer, good.byteOffset).getBigUint64(0, true));
    const text = new TextDecoder().decode(good.subarray(8, 8 + headerLen));
    const at = text.indexOf('"trainLoss":') + '"trainLoss":'.length + 3;
    const flippedState = good.slice();
    flippedState[8 + at] = flippedState[8 + at] === 0x35 ? 0x36 : 0x35; // another digit
    const cases: [string, Uint8Array][] = [
      ["a flipped data bit", flippedData],
      ["a changed number in the state", flippedState],
      ["a truncated file", good.subarray(0, good.length - 100)],
      ["a cut header", good.subarray(0, 20)],
      ["random bytes", Uint8Array.from({ length: 500 }, (_, i) => (i * 97 + 13) & 0xff)],
      ["an empty file", new Uint8Array(0)],
    ];
    for (const [what, bytes] of cases) {
      expect(() => decodeCheckpoint(bytes), what).toThrow(CheckpointError);
      const error = await trainCore(mlp(7), data, {
        ...options,
        sinks: memorySinks(bytes),
        resume: true,
      }).catch((e: unknown) => e);
      expect(error, what).toBeInstanceOf(CheckpointError);
      expect((error as CheckpointError).problem, what).toBe("corrupt");
      expect((error as CheckpointError).code).toBe("E_INVALID_ARGUMENT");
    }
    // and on disk
    const dir = join(root, "corrupt");
    await train(mlp(8), data, { ...options, epochs: 1, checkpointDir: dir });
    const file = join(dir, CHECKPOINT_FILE);
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(file, bytes);
    await expect(
      train(mlp(9), data, { ...options, checkpointDir: dir, resume: true }),
    ).rejects.toThrow(/checksum mismatch/);
  });

  it("refuses a checkpoint of another model, other data or other options", async () => {
    const sinks = memorySinks();
    await trainCore(mlp(10), data, { ...options, epochs: 1, sinks });
    const bytes = sinks.latest!;
    const refused = async (model: NoisyMlp | Linear, o: TrainOptions, d = data) => {
      const e = await trainCore(model, d, { ...o, sinks: memorySinks(bytes), resume: true }).catch(
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(CheckpointError);
      expect((e as CheckpointError).problem).toBe("mismatch");
      return (e as Error).message;
    };
    const wider = new NoisyMlp(3, 16, 2, 1);
    models.push(wider);
    expect(await refused(wider, options)).toMatch(/"l1\/w" has shape \[3, 16\] here but \[3, 8\]/);
    const full = mlp(1);
    const other = {
      name: "l1-only",
      weights: () => full.l1.weights(),
      apply: full.apply.bind(full),
    };
    expect(await refused(other as unknown as Linear, options)).toMatch(
      /checkpoint has weight "l2\/w" that the model lacks/,
    );
    const renamed = new Linear(3, 2, 1, "dense");
    models.push(renamed);
    expect(await refused(renamed, options)).toMatch(/model has weight "dense\/w"/);
    expect(await refused(mlp(11), { ...options, seed: 43 })).toMatch(
      /seed is 43 in this run but 42/,
    );
    expect(await refused(mlp(12), { ...options, batchSize: 50 })).toMatch(/batchSize/);
    expect(await refused(mlp(13), options, linearData(100, 40, 3, 2, 22))).toMatch(/dataCrc32/);
  });

  it("writes one JSON line per epoch to metrics.jsonl and starts it over on a fresh run", async () => {
    const dir = join(root, "metrics");
    const metricsFile = join(dir, "metrics.jsonl");
    for (let run = 0; run < 2; run++) {
      await train(mlp(20 + run), data, { ...options, epochs: 4, metricsFile });
      const lines = readFileSync(metricsFile, "utf8").split("\n");
      expect(lines.at(-1)).toBe("");
      expect(lines).toHaveLength(5);
      lines.slice(0, 4).forEach((line, i) => {
        const r = JSON.parse(line);
        expect(Object.keys(r)).toEqual(["epoch", "trainLoss", "valMSE", "lr", "seconds"]);
        expect(r.epoch).toBe(i + 1);
        for (const k of ["trainLoss", "valMSE", "lr", "seconds"]) {
          expect(Number.isFinite(r[k]) && r[k] >= 0, k).toBe(true);
        }
      });
    }
    expect(existsSync(join(dir, CHECKPOINT_FILE))).toBe(false);
  });
});
