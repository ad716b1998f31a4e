import { availableParallelism, cpus } from "node:os";

/**
 * The machine a benchmark ran on. Ratios between kernels depend on the processor (the width
 * and count of its multiply-add units against its memory bandwidth), so a figure travels with it.
 */
export interface MachineInfo {
  /** The processor's model name, as the OS reports it ("unknown" where it does not). */
  readonly cpu: string;
  readonly cores: number;
  readonly node: string;
}

export function machineInfo(): MachineInfo {
  return {
    cpu: cpus()[0]?.model.trim() || "unknown",
    cores: availableParallelism(),
    node: process.version,
  };
}
