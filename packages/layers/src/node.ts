import { readFileSync } from "node:fs";
import { writeFileAtomic } from "@isotropy/core/node";
import { WeightFileError } from "./errors.js";
import type { Module } from "./module.js";
import { exportWeights, type ImportOptions, importWeights } from "./weight-io.js";

export { registerGradients } from "./node/register-gradients.js";

/**
 * Writes the module's weights to `file` in the safetensors layout, atomically (a reader sees the
 * old file or the new one, never a torn one).
 */
export function saveWeights(
  module: Module,
  file: string,
  metadata: Record<string, string> = {},
): void {
  writeFileAtomic(file, exportWeights(module, metadata));
}

/** Loads weights saved by `saveWeights` (or any fitting safetensors file); returns its metadata. */
export function loadWeights(
  module: Module,
  file: string,
  opts: ImportOptions = {},
): Record<string, string> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new WeightFileError(`Cannot read the weight file ${file}: ${(e as Error).message}`);
  }
  return importWeights(module, bytes, opts);
}
