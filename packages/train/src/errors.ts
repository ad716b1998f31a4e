import { InvalidArgumentError } from "@isotropy/core";

/** Why a checkpoint was refused. */
export type CheckpointProblem = "corrupt" | "unsupported" | "mismatch";

/**
 * A checkpoint that cannot be resumed: `corrupt` (truncated, bad checksum, not a checkpoint),
 * `unsupported` (a format version this package does not read) or `mismatch` (written by another
 * model, other data or other options). Its `code` is `E_INVALID_ARGUMENT`.
 */
export class CheckpointError extends InvalidArgumentError {
  readonly problem: CheckpointProblem;

  constructor(problem: CheckpointProblem, message: string) {
    super(`Checkpoint refused (${problem}): ${message}`);
    this.problem = problem;
  }
}
