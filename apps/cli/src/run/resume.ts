import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CHECKPOINT_FILE } from "@isotropy/train/node";
import { InvalidArgumentError } from "isotropy";

/** Settings a resumed run may change: more (or fewer) epochs, and where it computes. */
const MAY_DIFFER = new Set(["epochs", "backend"]);

/**
 * Before `--resume` continues the run in `dir`: its `config.json`, when there is one, must
 * describe the same run as `config` (apart from `MAY_DIFFER`); the first difference is refused
 * with both values. Returns whether `dir` holds a checkpoint to continue from.
 */
export function checkResume(dir: string, config: Record<string, unknown>): boolean {
  const file = join(dir, "config.json");
  if (existsSync(file)) {
    let stored: Record<string, unknown>;
    try {
      stored = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    } catch (e) {
      throw new InvalidArgumentError(
        `--resume: ${file} is not valid JSON (${e instanceof Error ? e.message : String(e)}).`,
      );
    }
    // Runs from before --data-seed drew their data from the seed.
    if (!("dataSeed" in stored)) stored.dataSeed = stored.seed;
    // ... and before --pool, from this library's generator.
    if (!("pool" in stored)) stored.pool = "isotropy";
    for (const [key, value] of Object.entries(config)) {
      if (MAY_DIFFER.has(key)) continue;
      if (JSON.stringify(stored[key]) !== JSON.stringify(value)) {
        throw new InvalidArgumentError(
          `--resume: this run's ${key} is ${JSON.stringify(value)}, the run in ${dir} has ${JSON.stringify(stored[key])}; ` +
            "only --epochs and --backend may change.",
        );
      }
    }
  }
  return existsSync(join(dir, CHECKPOINT_FILE));
}
