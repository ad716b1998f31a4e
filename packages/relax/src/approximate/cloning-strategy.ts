import { InvalidArgumentError } from "@isotropy/core";
import { childRng, EMLP } from "@isotropy/layers";
import type { Strategy, StrategyContext } from "../strategy.js";
import type { CloningMode } from "./cloned-mlp.js";
import { type CloneReport, cloneSymmetry } from "./cloning.js";
import type { CloneSchedule, EquivarianceSchedule } from "./cloning-schedules.js";
import { fitTeacher } from "./fit-teacher.js";
import { checkChoice, checkPenaltyWeight } from "./penalties.js";

/**
 * Where the teacher's parameters come from: "random" (the paper's: a random-parameter EMLP, so
 * the student learns the symmetry and nothing about the task) or "trained" (an EMLP first trained
 * on the task's training split, then cloned on the orbits of the training inputs: the student
 * starts as the equivariant solution, and the downstream penalty decides how far the data may
 * move it away).
 */
export type TeacherKind = "random" | "trained";

export interface CloningParams {
  readonly mode?: CloningMode;
  /** Downstream penalty weight: large keeps the cloned symmetry, small lets data break it. */
  readonly lambda?: number;
  /** Cloning steps (default 1000), batch size (128), learning rate (3e-3) and its schedule. */
  readonly steps?: number;
  readonly batchSize?: number;
  readonly learningRate?: number;
  readonly schedule?: CloneSchedule;
  /** Weight of the cloning loss's equivariance term (default 0; see `cloneSymmetry`). */
  readonly equivarianceWeight?: number;
  /** That weight held constant (default) or ramped linearly up to it over the steps. */
  readonly equivarianceSchedule?: EquivarianceSchedule;
  /** Group elements per step of that term (default 1). */
  readonly defectElements?: number;
  /** Teacher EMLP width (default 16 for a random teacher, the context's channels for a trained one). */
  readonly teacherChannels?: number;
  /** Random or trained teacher (default "random"). */
  readonly teacher?: TeacherKind;
  /** Epochs of the trained teacher (default 300, batch 500, Adam 3e-3). */
  readonly teacherEpochs?: number;
  /** Family mode pool size (default 8). */
  readonly poolSize?: number;
  /** Standard deviation of the Gaussian cloning inputs (default 1). */
  readonly inputScale?: number;
  /** Unpenalised equivariant output gain and invariant offset downstream (default true). */
  readonly adapters?: boolean;
  /** Called with the cloning report once the student is cloned. */
  readonly onCloned?: (report: CloneReport) => void;
}

/**
 * The `cloning` strategy: `build` clones a plain MLP of the context's width and depth from EMLP
 * teachers of the context's group and reps, then returns it with the downstream penalty
 * lambda ||theta - theta_cloned||² as `penalty()`.
 */
export function cloningStrategy(params: CloningParams = {}): Strategy {
  const lambda = checkPenaltyWeight("lambda", params.lambda ?? 1);
  if (params.equivarianceWeight !== undefined) {
    checkPenaltyWeight("equivarianceWeight", params.equivarianceWeight);
  }
  const teacherKind = checkChoice<TeacherKind>("teacher", params.teacher ?? "random", [
    "random",
    "trained",
  ]);
  if (teacherKind === "trained" && params.mode === "family") {
    throw new InvalidArgumentError(
      'A trained teacher is one model: use mode "single" or "init" with teacher "trained".',
    );
  }
  return {
    name: "cloning",
    exactlyEquivariant: false,
    build: (ctx: StrategyContext) => {
      const teacher = teacherKind === "trained" ? trainedTeacher(ctx, params) : undefined;
      try {
        const { student, report } = cloneSymmetry({
          group: ctx.group,
          repIn: ctx.repIn,
          repOut: ctx.repOut,
          rng: ctx.rng,
          channels: ctx.channels,
          layers: ctx.layers,
          lambda,
          mode: params.mode ?? "single",
          ...(teacher ? { teacher, inputs: ctx.train!.x.dataSync() as Float32Array } : {}),
          ...(params.steps === undefined ? {} : { steps: params.steps }),
          ...(params.batchSize === undefined ? {} : { batchSize: params.batchSize }),
          ...(params.learningRate === undefined ? {} : { learningRate: params.learningRate }),
          ...(params.schedule === undefined ? {} : { schedule: params.schedule }),
          ...(params.equivarianceWeight === undefined
            ? {}
            : { equivarianceWeight: params.equivarianceWeight }),
          ...(params.equivarianceSchedule === undefined
            ? {}
            : { equivarianceSchedule: params.equivarianceSchedule }),
          ...(params.defectElements === undefined ? {} : { defectElements: params.defectElements }),
          ...(params.teacherChannels === undefined
            ? {}
            : { teacherChannels: params.teacherChannels }),
          ...(params.poolSize === undefined ? {} : { poolSize: params.poolSize }),
          ...(params.inputScale === undefined ? {} : { inputScale: params.inputScale }),
          ...(params.adapters === undefined ? {} : { adapters: params.adapters }),
        });
        params.onCloned?.(report);
        return student;
      } finally {
        teacher?.dispose();
      }
    },
  };
}

/** An EMLP of the context's group and reps, trained on the context's training split. */
function trainedTeacher(ctx: StrategyContext, params: CloningParams): EMLP {
  if (!ctx.train) {
    throw new InvalidArgumentError(
      'cloning with teacher "trained" needs the training data; this front end did not pass it ' +
        "(isotropy train and compare do).",
    );
  }
  const teacher = new EMLP(ctx.repIn, ctx.repOut, ctx.group, {
    channels: params.teacherChannels ?? ctx.channels,
    layers: ctx.layers,
    rng: childRng(ctx.rng, "trained-teacher"),
  });
  fitTeacher(teacher, ctx.train, {
    epochs: params.teacherEpochs ?? 300,
    rng: childRng(ctx.rng, "teacher-batches"),
  });
  return teacher;
}
