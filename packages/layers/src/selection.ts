import { InvalidArgumentError } from "@isotropy/core";
import * as tf from "@tensorflow/tfjs-core";

/**
 * A fixed injective selection of rows: out[k] = in[source[k]], or 0 where source[k] = -1, each
 * input row used at most once. This is a gather in meaning, but both it and its gradient run
 * as `tf.scatterND` of whole rows (plus a slice): tfjs's gather kernels copy element by element
 * (about 9 ms for 200k floats on wasm, against about 1 ms for the scatter), and its default
 * gather gradient (`unsortedSegmentSum`) is quadratic on the cpu backend. A contiguous run of
 * rows is a plain slice. Index tensors are built once and kept.
 */
export class Selection {
  /** Number of output rows. */
  readonly size: number;
  /** The contiguous input range [start, start + size) when the selection is one, else -1. */
  private readonly start: number;
  private readonly forwardIndex: tf.Tensor2D | null;
  private readonly backwardIndex: tf.Tensor2D | null;
  private readonly rowsFn: ((x: tf.Tensor) => tf.Tensor) | null;

  constructor(
    source: Int32Array,
    /** Number of input rows. */
    readonly sourceSize: number,
  ) {
    this.size = source.length;
    const target = new Int32Array(sourceSize).fill(source.length); // unused rows -> a dump row
    let contiguous = source.length > 0;
    for (let k = 0; k < source.length; k++) {
      const j = source[k]!;
      if (j < -1 || j >= sourceSize) {
        throw new InvalidArgumentError(`Selection index ${j} is outside 0..${sourceSize - 1}.`);
      }
      if (j >= 0) {
        if (target[j] !== source.length) {
          throw new InvalidArgumentError(
            `Selection uses input row ${j} twice; it must be injective.`,
          );
        }
        target[j] = k;
      }
      if (j !== source[0]! + k || j < 0) contiguous = false;
    }
    this.start = contiguous ? source[0]! : -1;
    if (contiguous) {
      this.forwardIndex = null;
      this.backwardIndex = null;
      this.rowsFn = null;
      return;
    }
    // forward: scatter input rows to their output rows (unused ones to a dump row `size`);
    // backward: scatter output gradients back (zero outputs to a dump row `sourceSize`).
    // Dump rows are sliced off, and left out where nothing goes there.
    const hasUnused = target.some((t) => t === source.length);
    const hasZeros = source.some((j) => j < 0);
    const back = Int32Array.from(source, (j) => (j < 0 ? sourceSize : j));
    this.forwardIndex = tf.keep(tf.tensor2d(target, [sourceSize, 1], "int32"));
    this.backwardIndex = tf.keep(tf.tensor2d(back, [source.length, 1], "int32"));
    const fwd = this.forwardIndex;
    const bwd = this.backwardIndex;
    const size = this.size;
    this.rowsFn = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const x = args[0] as tf.Tensor;
      const rest = x.shape.slice(1);
      const out = tf.scatterND(fwd, x, [hasUnused ? size + 1 : size, ...rest]);
      return {
        value: hasUnused ? tf.slice(out, 0, size) : out,
        gradFunc: (dy: tf.Tensor) => {
          const dx = tf.scatterND(bwd, dy, [hasZeros ? sourceSize + 1 : sourceSize, ...rest]);
          return hasZeros ? tf.slice(dx, 0, sourceSize) : dx;
        },
      };
    });
  }

  /** [sourceSize, ...] -> [size, ...] along the first axis. */
  rows<T extends tf.Tensor>(x: T): T {
    if (this.rowsFn === null) {
      // The identity needs no kernel (and no gradient pad).
      if (this.start === 0 && this.size === this.sourceSize) return x;
      return tf.slice(x, this.start, this.size) as T;
    }
    return this.rowsFn(x) as T;
  }

  /** [batch, sourceSize] -> [batch, size] along the last axis (through two transposes). */
  columns(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.transpose(this.rows(tf.transpose(x))) as tf.Tensor2D);
  }

  dispose(): void {
    this.forwardIndex?.dispose();
    this.backwardIndex?.dispose();
  }
}
