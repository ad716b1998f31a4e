import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { writeFileAtomic } from "@isotropy/core/node";
import type { EpochRecord } from "../history.js";
import type { TrainSinks } from "../sinks.js";

/** The checkpoint's file name inside `checkpointDir`. */
export const CHECKPOINT_FILE = "checkpoint.safetensors";

/** Where `fileSinks` writes. */
export interface FileSinkOptions {
  /** Folder of `checkpoint.safetensors` (the latest checkpoint, replaced atomically). */
  checkpointDir?: string;
  /** The `metrics.jsonl` file: one JSON object per epoch and line. */
  metricsFile?: string;
}

/**
 * Sinks on the file system. The checkpoint is written with `writeFileAtomic` (a temporary file
 * renamed over the old one: a crash leaves the previous checkpoint whole). Metrics lines are
 * appended; when a run starts, lines of epochs after the resumed one (or all, for a fresh run)
 * are dropped, and a torn last line is discarded.
 */
export function fileSinks(options: FileSinkOptions): TrainSinks {
  const sinks: TrainSinks = {};
  const { checkpointDir, metricsFile } = options;
  if (checkpointDir !== undefined) {
    const file = join(checkpointDir, CHECKPOINT_FILE);
    sinks.readCheckpoint = () => readCheckpointFile(checkpointDir);
    sinks.writeCheckpoint = (bytes) => writeFileAtomic(file, bytes);
  }
  if (metricsFile !== undefined) {
    sinks.resetMetrics = (keep) => {
      const kept = readMetricsFile(metricsFile).filter((r) => r.epoch <= keep);
      writeFileAtomic(metricsFile, kept.map((r) => `${JSON.stringify(r)}\n`).join(""));
    };
    sinks.appendMetrics = (record) => {
      mkdirSync(dirname(metricsFile), { recursive: true });
      appendFileSync(metricsFile, `${JSON.stringify(record)}\n`);
    };
  }
  return sinks;
}

/** The bytes of `dir/checkpoint.safetensors`, or undefined when there is none. */
export function readCheckpointFile(dir: string): Uint8Array | undefined {
  try {
    const buf = readFileSync(join(dir, CHECKPOINT_FILE));
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

/** The records of a `metrics.jsonl` (missing file: none; unreadable lines are skipped). */
export function readMetricsFile(file: string): EpochRecord[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const out: EpochRecord[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const r = JSON.parse(line) as EpochRecord;
      if (Number.isInteger(r?.epoch)) out.push(r);
    } catch {
      // a line torn by a crash mid-append
    }
  }
  return out;
}
