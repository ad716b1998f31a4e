import type { Strategy, StrategyContext } from "../strategy.js";
import type { CloningMode } from "./cloned-mlp.js";
import { type CloneReport, cloneSymmetry } from "./cloning.js";
import { checkPenaltyWeight } from "./penalties.js";

export interface CloningParams {
  readonly mode?: CloningMode;
  /** Downstream penalty weight: large keeps the cloned symmetry, small lets data break it. */
  readonly lambda?: number;
  /** Cloning steps (default 1000), batch size (128), learning rate (3e-3). */
  readonly steps?: number;
  readonly batchSize?: number;
  readonly learningRate?: number;
  /** Teacher EMLP width (default 16). */
  readonly teacherChannels?: number;
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
  return {
    name: "cloning",
    exactlyEquivariant: false,
    build: (ctx: StrategyContext) => {
      const { student, report } = cloneSymmetry({
        group: ctx.group,
        repIn: ctx.repIn,
        repOut: ctx.repOut,
        rng: ctx.rng,
        channels: ctx.channels,
        layers: ctx.layers,
        lambda,
        mode: params.mode ?? "single",
        ...(params.steps === undefined ? {} : { steps: params.steps }),
        ...(params.batchSize === undefined ? {} : { batchSize: params.batchSize }),
        ...(params.learningRate === undefined ? {} : { learningRate: params.learningRate }),
        ...(params.teacherChannels === undefined
          ? {}
          : { teacherChannels: params.teacherChannels }),
        ...(params.poolSize === undefined ? {} : { poolSize: params.poolSize }),
        ...(params.inputScale === undefined ? {} : { inputScale: params.inputScale }),
        ...(params.adapters === undefined ? {} : { adapters: params.adapters }),
      });
      params.onCloned?.(report);
      return student;
    },
  };
}
