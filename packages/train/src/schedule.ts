import { InvalidArgumentError } from "@isotropy/core";

/**
 * A learning-rate schedule: the factor that multiplies `options.lr` at optimizer step `step`
 * (0-based, counted over the whole run) of `totalSteps` (= epochs x steps per epoch). `label`
 * names it in checkpoints, so that a resume with another schedule is refused.
 */
export interface LrSchedule {
  (step: number, totalSteps: number): number;
  readonly label?: string;
}

/** A schedule by name (with its defaults) or a function. */
export type ScheduleSpec = "constant" | "cosine" | "step" | LrSchedule;

function labelled(label: string, f: (step: number, totalSteps: number) => number): LrSchedule {
  return Object.assign(f, { label });
}

/** Factor 1 throughout (emlp's protocol: Adam at a constant 3e-3). */
export function constantSchedule(): LrSchedule {
  return labelled("constant", () => 1);
}

/**
 * Linear warm-up over `warmupSteps` (from 1/warmupSteps to 1), then a half cosine from 1 down
 * to `minFactor` at the last step: `min + (1 - min)(1 + cos(pi * s / S)) / 2`, where `s` counts
 * steps after the warm-up and `S` the steps after it.
 */
export function cosineSchedule(
  options: { minFactor?: number; warmupSteps?: number } = {},
): LrSchedule {
  const minFactor = options.minFactor ?? 0;
  const warmup = options.warmupSteps ?? 0;
  if (!(minFactor >= 0 && minFactor <= 1)) {
    throw new InvalidArgumentError(
      `cosineSchedule: minFactor must be in [0, 1], got ${minFactor}.`,
    );
  }
  if (!Number.isInteger(warmup) || warmup < 0) {
    throw new InvalidArgumentError(
      `cosineSchedule: warmupSteps must be a non-negative integer, got ${warmup}.`,
    );
  }
  return labelled(`cosine(min=${minFactor},warmup=${warmup})`, (step, totalSteps) => {
    if (step < warmup) return (step + 1) / warmup;
    const span = Math.max(1, totalSteps - warmup);
    const t = Math.min(1, (step - warmup) / span);
    return minFactor + ((1 - minFactor) * (1 + Math.cos(Math.PI * t))) / 2;
  });
}

/**
 * Piecewise constant: factor `gamma ** floor(step / every)`. `every` is in optimizer steps; by
 * default a third of the run (`ceil(totalSteps / 3)`), so the factor is 1, gamma, gamma^2.
 */
export function stepSchedule(options: { every?: number; gamma?: number } = {}): LrSchedule {
  const gamma = options.gamma ?? 0.1;
  const every = options.every;
  if (!(gamma > 0 && gamma <= 1)) {
    throw new InvalidArgumentError(`stepSchedule: gamma must be in (0, 1], got ${gamma}.`);
  }
  if (every !== undefined && (!Number.isInteger(every) || every < 1)) {
    throw new InvalidArgumentError(`stepSchedule: every must be a positive integer, got ${every}.`);
  }
  return labelled(`step(every=${every ?? "third"},gamma=${gamma})`, (step, totalSteps) => {
    const e = every ?? Math.max(1, Math.ceil(totalSteps / 3));
    return gamma ** Math.floor(step / e);
  });
}

/** The schedule a spec names; unknown names are refused with the valid ones. */
export function resolveSchedule(spec: ScheduleSpec | undefined): LrSchedule {
  if (spec === undefined || spec === "constant") return constantSchedule();
  if (spec === "cosine") return cosineSchedule();
  if (spec === "step") return stepSchedule();
  if (typeof spec === "function") return spec;
  throw new InvalidArgumentError(
    `Unknown schedule ${JSON.stringify(spec)}: use "constant", "cosine", "step" or a function ` +
      "(step, totalSteps) => factor.",
  );
}
