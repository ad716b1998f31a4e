import type { AssemblyPlan, LinearPlan, Rng } from "@isotropy/core";
import {
  type EquivariantBasis,
  type EquivariantBasisOptions,
  equivariantBasis,
  type Rep,
  Scalar,
} from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { BasisAssembly } from "./basis-assembly.js";
import { checkFeatureMajorInput, featureMajorUnavailable } from "./feature-major.js";
import { fusedLinear, fusedLinearAvailable } from "./fused-linear.js";
import { linearPlan } from "./linear-plan.js";
import { matMul } from "./matmul.js";
import {
  type ApplyContext,
  checkInput,
  type Module,
  makeVariable,
  type NamedWeight,
} from "./module.js";

export interface EquivariantLinearOptions {
  /** Initialisation randomness. */
  readonly rng: Rng;
  readonly name?: string;
  /** Add the equivariant bias (default true). */
  readonly bias?: boolean;
  /** Passed to `equivariantBasis` (cache, solver limits). */
  readonly basis?: EquivariantBasisOptions;
}

/**
 * The general equivariant linear map repIn -> repOut plus an invariant bias.
 *
 * Parameters are the coefficients of the equivariant basis, one variable per distinct block pair
 * (`coeffs.k`, shape [outCopies * inCopies, r]); W is assembled on every call by
 * `BasisAssembly` (one matMul per pair and one gather, laid out as W^T) and y = x W^T + b. The bias lives in the
 * invariant subspace of repOut (the basis of Scalar -> repOut, `bias.k`), initialised at zero.
 * Coefficients start N(0, σ_p^2) with σ_p^2 = outLeaf.size / (Σ over the pairs of that out leaf
 * of inCopies * r): for white unit-variance inputs every output block then has mean variance 1.
 * A backend with core's LINEAR_KERNEL (node) never forms W: it applies each pair's basis and
 * coefficients in turn (`linearPlan`), which for vector and matrix leaves is 5-25 times less
 * arithmetic than x W^T.
 */
export class EquivariantLinear implements Module {
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly basis: EquivariantBasis;
  readonly biasBasis: EquivariantBasis | null;
  private readonly weightAssembly: BasisAssembly;
  private readonly biasAssembly: BasisAssembly | null;
  private readonly coeffs: tf.Variable<tf.Rank.R2>[];
  private readonly biasCoeffs: tf.Variable<tf.Rank.R2>[];
  private readonly plan: LinearPlan;
  private reads: Uint8Array | null = null;

  constructor(
    readonly repIn: Rep,
    readonly repOut: Rep,
    opts: EquivariantLinearOptions,
  ) {
    this.name = opts.name ?? "EquivariantLinear";
    this.inputSize = repIn.size;
    this.outputSize = repOut.size;
    this.basis = equivariantBasis(repIn, repOut, opts.basis);
    this.weightAssembly = new BasisAssembly(this.basis);
    const scales = this.weightAssembly.initScales();
    this.coeffs = this.weightAssembly.coefficientShapes.map(
      ([rows, r], i) =>
        makeVariable(opts.rng.normals(rows * r, scales[i]!), [rows, r]) as tf.Variable<tf.Rank.R2>,
    );
    if (opts.bias ?? true) {
      const b = equivariantBasis(Scalar(repOut.group), repOut, opts.basis);
      this.biasBasis = b.dim > 0 ? b : null;
    } else {
      this.biasBasis = null;
    }
    this.biasAssembly = this.biasBasis ? new BasisAssembly(this.biasBasis) : null;
    this.plan = linearPlan(this.basis, this.weightAssembly.plan);
    this.biasCoeffs = (this.biasAssembly?.coefficientShapes ?? []).map(
      ([rows, r]) => makeVariable(new Float32Array(rows * r), [rows, r]) as tf.Variable<tf.Rank.R2>,
    );
  }

  weights(): NamedWeight[] {
    return [
      ...this.coeffs.map((variable, i) => ({ name: `coeffs.${i}`, variable })),
      ...this.biasCoeffs.map((variable, i) => ({ name: `bias.${i}`, variable })),
    ];
  }

  /**
   * The layer's weight as coordinates in `basis` (W = basis.weight(c)): the variables times the
   * per-pair scale of the parametrisation (see `BasisAssembly.alphas`).
   */
  basisCoefficients(): Float64Array {
    const out = new Float64Array(this.basis.dim);
    let k = 0;
    this.coeffs.forEach((v, i) => {
      const alpha = this.weightAssembly.alphas[i]!;
      for (const c of v.dataSync()) out[k++] = alpha * c;
    });
    return out;
  }

  /** The fused-kernel plans of the weight and the bias (`ASSEMBLE_KERNEL`), built with the layer. */
  assemblyPlans(): AssemblyPlan[] {
    return [this.weightAssembly.plan, ...(this.biasAssembly ? [this.biasAssembly.plan] : [])];
  }

  /** The fused-kernel plan of the weight (`LINEAR_KERNEL`), built with the layer. */
  linearPlan(): LinearPlan {
    return this.plan;
  }

  /**
   * 1 at each input position the map reads, 0 where W's column is zero by symmetry (no basis
   * pair connects that input leaf to any output leaf): those inputs never reach the output.
   */
  inputsRead(): Uint8Array {
    if (this.reads === null) {
      this.reads = new Uint8Array(this.inputSize);
      for (const p of this.plan.pairs) for (const i of p.in) this.reads[i] = 1;
    }
    return this.reads;
  }

  /** The assembled weight W, [repOut.size, repIn.size]. */
  weight(): tf.Tensor2D {
    return tf.tidy(() => tf.transpose(this.weightTransposed()));
  }

  /** W^T, [repIn.size, repOut.size], as `apply` uses it. */
  weightTransposed(): tf.Tensor2D {
    return tf.tidy(() =>
      tf.reshape(this.weightAssembly.assemble(this.coeffs), [this.inputSize, this.outputSize]),
    );
  }

  /** The assembled bias, [repOut.size] (zeros when there is none). */
  bias(): tf.Tensor1D {
    return tf.tidy(() =>
      this.biasAssembly
        ? this.biasAssembly.assemble(this.biasCoeffs)
        : (tf.zeros([this.outputSize]) as tf.Tensor1D),
    );
  }

  featureMajorReady(): boolean {
    return this.coeffs.length > 0 && fusedLinearAvailable();
  }

  /** W x^T + b on feature-major activations ([inputSize, batch]; see `FeatureMajorModule`). */
  applyFeatureMajor(xT: tf.Tensor2D, _ctx?: ApplyContext): tf.Tensor2D {
    checkFeatureMajorInput(xT, this.inputSize, this.name);
    if (!this.featureMajorReady()) throw featureMajorUnavailable(this.name);
    return tf.tidy(() => {
      const bias = this.biasAssembly?.assemble(this.biasCoeffs);
      return fusedLinear(this.plan, xT, this.coeffs, bias, true);
    });
  }

  apply(x: tf.Tensor2D, _ctx?: ApplyContext): tf.Tensor2D {
    checkInput(x, this.inputSize, this.name);
    return tf.tidy(() => {
      const bias = this.biasAssembly?.assemble(this.biasCoeffs);
      // The fused kernels add the bias themselves.
      if (this.coeffs.length > 0 && fusedLinearAvailable())
        return fusedLinear(this.plan, x, this.coeffs, bias);
      const y = matMul(x, this.weightTransposed());
      return bias ? (tf.add(y, bias) as tf.Tensor2D) : y;
    });
  }

  metadata(): Record<string, string> {
    return {
      kind: "EquivariantLinear",
      group: this.repIn.group.name,
      repIn: this.repIn.toString(),
      repOut: this.repOut.toString(),
    };
  }

  dispose(): void {
    this.weightAssembly.dispose();
    this.biasAssembly?.dispose();
    for (const v of [...this.coeffs, ...this.biasCoeffs]) v.dispose();
  }
}
