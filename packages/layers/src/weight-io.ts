import { ShapeError } from "@isotropy/core";
import * as tf from "@tensorflow/tfjs-core";
import { WeightFileError } from "./errors.js";
import type { Module } from "./module.js";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.js";

/** Written to every weight file's metadata; a file of another major format is refused. */
export const WEIGHT_FORMAT = "isotropy-layers/1";

/**
 * The module's weights as safetensors bytes (F32, in `weights()` order). The metadata holds
 * `format`, the module's own `metadata()` (model kind, group, reps, ...) and `extra`.
 */
export function exportWeights(module: Module, extra: Record<string, string> = {}): Uint8Array {
  const tensors = module
    .weights()
    .map(
      (w) =>
        [w.name, { shape: w.variable.shape, data: w.variable.dataSync() as Float32Array }] as const,
    );
  return encodeSafetensors(tensors, {
    ...extra,
    ...(module.metadata?.() ?? {}),
    format: WEIGHT_FORMAT,
  });
}

export interface ImportOptions {
  /** Refuse tensors in the file that the module does not have (default true). */
  readonly strict?: boolean;
}

/**
 * Loads safetensors bytes into the module's variables and returns the file's metadata. Nothing
 * is assigned unless everything fits: the format, every key of the module's `metadata()`, every
 * weight name (`WeightFileError`) and shape (`ShapeError`). Values are copied bit for bit.
 */
export function importWeights(
  module: Module,
  bytes: Uint8Array,
  opts: ImportOptions = {},
): Record<string, string> {
  const { tensors, metadata } = decodeSafetensors(bytes);
  const format = metadata.format;
  if (format !== undefined && format.split(".")[0] !== WEIGHT_FORMAT) {
    throw new WeightFileError(
      `Unsupported weight format "${format}"; this version reads "${WEIGHT_FORMAT}".`,
    );
  }
  for (const [k, v] of Object.entries(module.metadata?.() ?? {})) {
    if (metadata[k] !== v) {
      throw new WeightFileError(
        `The weight file does not fit the model: ${k} is ${JSON.stringify(metadata[k] ?? null)} in the file, ` +
          `${JSON.stringify(v)} in the model.`,
      );
    }
  }
  const weights = module.weights();
  const missing = weights.filter((w) => !tensors.has(w.name)).map((w) => w.name);
  if (missing.length > 0) {
    throw new WeightFileError(
      `The weight file lacks ${missing.length} of the model's weights: ${missing.slice(0, 5).join(", ")}` +
        `${missing.length > 5 ? ", ..." : ""}.`,
    );
  }
  if (opts.strict ?? true) {
    const known = new Set(weights.map((w) => w.name));
    const extra = [...tensors.keys()].filter((k) => !known.has(k));
    if (extra.length > 0) {
      throw new WeightFileError(
        `The weight file has ${extra.length} tensors the model lacks: ${extra.slice(0, 5).join(", ")}` +
          `${extra.length > 5 ? ", ..." : ""}.`,
      );
    }
  }
  for (const w of weights) {
    const t = tensors.get(w.name)!;
    if (t.dtype !== "F32") {
      throw new WeightFileError(`Weight "${w.name}" is ${t.dtype} in the file; expected F32.`);
    }
    const want = w.variable.shape;
    if (t.shape.length !== want.length || t.shape.some((d, i) => d !== want[i])) {
      throw new ShapeError(`Weight "${w.name}"`, `[${want.join(", ")}]`, `[${t.shape.join(", ")}]`);
    }
  }
  tf.tidy(() => {
    for (const w of weights) {
      const t = tensors.get(w.name)!;
      w.variable.assign(tf.tensor(t.data as Float32Array, w.variable.shape, "float32"));
    }
  });
  return metadata;
}
