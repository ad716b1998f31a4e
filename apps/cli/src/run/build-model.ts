import type { Group } from "@isotropy/groups";
import { EMLP, GroupAugmentation, MLP, type Module, Standardize } from "@isotropy/layers";
import type { Rep } from "@isotropy/reps";
import type { Standardization } from "@isotropy/tasks";
import { nearestNames, type Rng, UnknownNameError } from "isotropy";

export const MODEL_KINDS = ["emlp", "mlp", "mlp-aug"] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export interface ModelSpec {
  kind: string;
  group: Group;
  repIn: Rep;
  repOut: Rep;
  channels: number;
  layers: number;
  standardization: Standardization;
  rng: Rng;
  /** A model built elsewhere (by a strategy): only standardised here. */
  inner?: Module;
}

/** The models of emlp's comparison, each inside the task's (equivariant) standardisation. */
export function buildModel(spec: ModelSpec): Module {
  const { group, repIn, repOut, channels, layers, rng } = spec;
  let inner: Module;
  switch (spec.inner ? "given" : spec.kind) {
    case "given":
      inner = spec.inner!;
      break;
    case "emlp":
      inner = new EMLP(repIn, repOut, group, { channels, layers, rng });
      break;
    case "mlp":
      inner = new MLP(repIn.size, repOut.size, { channels, layers, rng });
      break;
    case "mlp-aug":
      inner = new GroupAugmentation(
        new MLP(repIn.size, repOut.size, { channels, layers, rng }),
        group,
        repIn,
        repOut,
        {
          rng: rng.fork("augmentation"),
        },
      );
      break;
    default:
      throw new UnknownNameError("models", spec.kind, nearestNames(spec.kind, MODEL_KINDS));
  }
  const s = spec.standardization;
  return new Standardize(inner, {
    inputScale: s.inputScale,
    outputMean: s.outputMean,
    outputScale: s.outputScale,
    repIn,
    repOut,
  });
}
