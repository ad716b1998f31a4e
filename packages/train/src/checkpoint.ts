import type { RngState } from "@isotropy/core";
import { decodeSafetensors, encodeSafetensors, WeightFileError } from "@isotropy/layers";
import { bytesOf, crc32 } from "./crc32.js";
import { CheckpointError } from "./errors.js";
import type { EpochRecord } from "./history.js";

/** `__metadata__.format` of a training checkpoint. */
export const CHECKPOINT_FORMAT = "isotropy.train.checkpoint";
/** The checkpoint layout this package writes and reads. */
export const CHECKPOINT_VERSION = 1;

/** The options and data a run was started with; a resume must match (`epochs` aside). */
export interface RunConfig {
  model: string;
  seed: number | string;
  lr: number;
  batchSize: number;
  epochs: number;
  schedule: string;
  loss: string;
  beta1: number;
  beta2: number;
  epsilon: number;
  earlyStopping: boolean;
  nTrain: number;
  nVal: number;
  inputDim: number;
  outputDim: number;
  /** CRC-32 of the train and validation arrays: resuming on other data is refused. */
  dataCrc32: number;
}

/** Everything but the arrays: the JSON `state` entry of the metadata. */
export interface CheckpointState {
  /** Epochs completed. */
  epoch: number;
  /** Optimizer steps completed. */
  step: number;
  /** The run's shuffling generator, as it stands after `epoch`. */
  rng: RngState;
  /** Adam's step count. */
  adamT: number;
  /** The best epoch so far and its validation MSE (its weights are the `best/` tensors). */
  best: { epoch: number; valMSE: number } | null;
  history: EpochRecord[];
  config: RunConfig;
  /** The model's weights in `weights()` order. */
  weights: { name: string; shape: number[] }[];
}

/** A decoded checkpoint; every map is keyed by weight name. */
export interface Checkpoint {
  state: CheckpointState;
  weights: Map<string, Float32Array>;
  adamM: Map<string, Float32Array>;
  adamV: Map<string, Float32Array>;
  /** The best epoch's weights; null when early stopping is off or no epoch has a finite score. */
  best: Map<string, Float32Array> | null;
}

/** A float32 array with its shape, as stored in the checkpoint's safetensors layout. */
interface StoredTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

const GROUPS = [
  ["weight/", "weights"],
  ["adam.m/", "adamM"],
  ["adam.v/", "adamV"],
  ["best/", "best"],
] as const;

/**
 * One self-checking file in the safetensors layout: tensors `weight/<name>`, `adam.m/<name>`,
 * `adam.v/<name>` and `best/<name>`, and `__metadata__` = `{format, version, state, crc32}`, where
 * `state` is `CheckpointState` as JSON (non-finite numbers written as "NaN", "Infinity") and
 * `crc32` covers the tensor table, `state` and the data bytes.
 */
export function encodeCheckpoint(c: Checkpoint): Uint8Array {
  const tensors: StoredTensor[] = [];
  for (const [prefix, key] of GROUPS) {
    const map = c[key];
    if (map === null) continue;
    for (const w of c.state.weights) {
      const data = map.get(w.name);
      if (data === undefined) {
        throw new CheckpointError("corrupt", `no ${prefix} array for weight "${w.name}".`);
      }
      tensors.push({ name: prefix + w.name, shape: w.shape, data });
    }
  }
  const state = JSON.stringify(c.state, (_k, v) =>
    typeof v === "number" && !Number.isFinite(v) ? String(v) : v,
  );
  const metadata = {
    format: CHECKPOINT_FORMAT,
    version: String(CHECKPOINT_VERSION),
    state,
    crc32: checksum(tensors, state),
  };
  return asCorrupt(() =>
    encodeSafetensors(
      tensors.map((t) => [t.name, t] as const),
      metadata,
    ),
  );
}

/** Reads and verifies a checkpoint; a damaged or foreign file is a CheckpointError. */
export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  const { tensors, metadata } = decodeStored(bytes);
  if (metadata.format !== CHECKPOINT_FORMAT) {
    throw new CheckpointError("corrupt", `not a training checkpoint (format ${metadata.format}).`);
  }
  if (metadata.version !== String(CHECKPOINT_VERSION)) {
    throw new CheckpointError(
      "unsupported",
      `version ${metadata.version}; this @isotropy/train reads version ${CHECKPOINT_VERSION}.`,
    );
  }
  const stateText = metadata.state ?? "";
  if (metadata.crc32 !== checksum(tensors, stateText)) {
    throw new CheckpointError("corrupt", "checksum mismatch: the file was damaged or truncated.");
  }
  let state: CheckpointState;
  try {
    state = JSON.parse(stateText, (_k, v) =>
      v === "NaN" || v === "Infinity" || v === "-Infinity" ? Number(v) : v,
    );
  } catch {
    throw new CheckpointError("corrupt", "the state is not valid JSON.");
  }
  checkState(state);
  const out: Checkpoint = {
    state,
    weights: new Map(),
    adamM: new Map(),
    adamV: new Map(),
    best: null,
  };
  for (const t of tensors) {
    const group = GROUPS.find(([prefix]) => t.name.startsWith(prefix));
    if (group === undefined) throw new CheckpointError("corrupt", `unknown tensor "${t.name}".`);
    const [prefix, key] = group;
    if (key === "best") out.best ??= new Map();
    out[key]!.set(t.name.slice(prefix.length), t.data);
  }
  for (const w of state.weights) {
    for (const [prefix, key] of GROUPS) {
      if (key === "best" && out.best === null) continue;
      const data = out[key]!.get(w.name);
      if (data === undefined || data.length !== w.shape.reduce((a, b) => a * b, 1)) {
        throw new CheckpointError("corrupt", `missing or mis-sized tensor "${prefix}${w.name}".`);
      }
    }
  }
  return out;
}

/** Runs the safetensors codec of @isotropy/layers; what it refuses is CheckpointError("corrupt"). */
function asCorrupt<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof WeightFileError) throw new CheckpointError("corrupt", e.message);
    throw e;
  }
}

/** Decodes the safetensors layout (F32 tensors only), tensors in file order. */
function decodeStored(bytes: Uint8Array): {
  tensors: StoredTensor[];
  metadata: Record<string, string>;
} {
  if (!(bytes instanceof Uint8Array)) throw new CheckpointError("corrupt", "not a byte array.");
  const decoded = asCorrupt(() => decodeSafetensors(bytes));
  const tensors: StoredTensor[] = [];
  for (const [name, t] of decoded.tensors) {
    if (!(t.data instanceof Float32Array)) {
      throw new CheckpointError("corrupt", `tensor "${name}" is not an F32 entry.`);
    }
    tensors.push({ name, shape: t.shape, data: t.data });
  }
  return { tensors, metadata: decoded.metadata };
}

/** CRC-32 of the tensor table, the state and the tensors' bytes, as 8 hex digits. */
function checksum(tensors: readonly StoredTensor[], state: string): string {
  let crc = crc32(new TextEncoder().encode(`${tableOf(tensors)}\n${state}`));
  for (const t of tensors) crc = crc32(bytesOf(t.data), crc);
  return crc.toString(16).padStart(8, "0");
}

function tableOf(tensors: readonly StoredTensor[]): string {
  return tensors.map((t) => `${t.name}:${t.shape.join(",")}`).join(";");
}

function checkState(s: CheckpointState): void {
  const ok =
    s !== null &&
    typeof s === "object" &&
    Number.isInteger(s.epoch) &&
    Number.isInteger(s.step) &&
    Number.isInteger(s.adamT) &&
    Array.isArray(s.history) &&
    Array.isArray(s.weights) &&
    s.weights.every((w) => typeof w?.name === "string" && Array.isArray(w.shape)) &&
    s.rng !== null &&
    typeof s.rng === "object" &&
    Array.isArray(s.rng.s) &&
    s.rng.s.length === 4 &&
    s.config !== null &&
    typeof s.config === "object";
  if (!ok) throw new CheckpointError("corrupt", "the state is incomplete.");
}
