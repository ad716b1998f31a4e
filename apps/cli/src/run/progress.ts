import type { TrainEvent } from "@isotropy/train";
import type { Io } from "../io.js";

/**
 * Renders training progress on stderr: a one-line bar redrawn in place on a terminal, plain
 * lines (one per epoch, at most about 20 in all) otherwise, so that logs stay readable.
 */
export function progressRenderer(io: Io, label: string): (e: TrainEvent) => void {
  let lastLine = 0;
  return (e) => {
    if (e.type === "step" && io.isTTY) {
      const now = Date.now();
      if (now - lastLine < 100 && e.stepInEpoch !== e.stepsPerEpoch) return;
      lastLine = now;
      const frac = e.step / e.totalSteps;
      const width = 24;
      const filled = Math.round(frac * width);
      io.err(
        `\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] epoch ${e.epoch}/${e.epochs} ` +
          `loss ${e.loss.toExponential(2)} ${Math.round(e.samplesPerSecond)} samples/s   `,
      );
    } else if (e.type === "epoch-end" && !io.isTTY) {
      const every = Math.max(1, Math.ceil(e.epochs / 20));
      if (e.epoch % every === 0 || e.epoch === e.epochs) {
        io.err(
          `${label} epoch ${e.epoch}/${e.epochs} loss ${e.loss.toExponential(3)} val ${e.valMSE.toExponential(3)} ` +
            `(${Math.round(e.samplesPerSecond)} samples/s)\n`,
        );
      }
    } else if (e.type === "done") {
      if (io.isTTY) io.err("\n");
      io.err(
        `${label} done: best epoch ${e.bestEpoch}, val ${e.valMSE.toExponential(3)}` +
          `${e.testMSE === undefined ? "" : `, test ${e.testMSE.toExponential(3)}`} in ${e.trainSeconds.toFixed(1)} s\n`,
      );
    }
  };
}
