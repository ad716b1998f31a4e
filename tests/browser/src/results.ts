// What the page reports on `globalThis.__results` (read by the test through playwright).

import type { BackendStatus } from "@isotropy/core";

/** One backend's numbers against the cpu backend in the same page. */
export interface BackendRun {
  readonly backend: string;
  /** The backend ran to the end (otherwise `error` says why). */
  readonly ok: boolean;
  readonly error?: string;
  /** tfjs's backend name after `selectBackend`. */
  readonly tfName?: string;
  /**
   * Relative error against cpu per matMul case (`case` names the shapes and transposes); NaN
   * with `error` when the case threw.
   */
  readonly matMul: readonly {
    readonly case: string;
    readonly relErr: number;
    readonly error?: string;
  }[];
  /** EMLP forward output, loss and the largest gradient relative error against cpu. */
  readonly forward: number;
  readonly loss: number;
  readonly grads: number;
  readonly gradCount: number;
  /** emlp's scale-adjusted equivariance error of the model on this backend. */
  readonly equivariance: number;
  readonly ms: number;
}

export interface PageResults {
  readonly userAgent: string;
  readonly crossOriginIsolated: boolean;
  /** Each registered backend's probe in the browser environment. */
  readonly backends: Readonly<Record<string, BackendStatus & { priority: number | null }>>;
  /** What `selectBackend(registry, "auto")` picks in this page. */
  readonly auto: string | null;
  /** The cpu reference's own equivariance error and gradient count. */
  readonly cpu: { readonly equivariance: number; readonly gradCount: number; readonly ms: number };
  readonly runs: readonly BackendRun[];
}

/** Set on `globalThis` by the page: the results, or the error that stopped it. */
export interface PageGlobals {
  __results?: PageResults;
  __error?: string;
}
