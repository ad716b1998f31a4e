import { InvalidArgumentError } from "@isotropy/core";

/**
 * A weight file that cannot be read (truncated, corrupted header, bad offsets) or that does not
 * fit the model it is loaded into (names, metadata). Shape mismatches throw `ShapeError`.
 */
export class WeightFileError extends InvalidArgumentError {}
