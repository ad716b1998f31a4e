import { homedir } from "node:os";
import { join } from "node:path";
import {
  basisEquivarianceError,
  defaultCache,
  equivariantBasis,
  parseGroup,
  parseRep,
  TieredCache,
} from "@isotropy/reps";
import { DiskCache, saveNpy } from "@isotropy/reps/node";
import { LimitExceededError, type Registry, rng } from "isotropy";
import { type Io, printJson } from "../io.js";

export interface BasisOptions {
  group: string;
  in: string;
  out: string;
  json?: boolean;
  save?: string;
  /** commander's `--no-cache` sets this to false. */
  cache: boolean;
  cacheDir?: string;
  seed: string;
}

/** Largest dense basis `--save` writes (entries of size x dim). */
const MAX_SAVE_ENTRIES = 50_000_000;

/** `isotropy basis`: solve one equivariant basis and report how. */
export function basis(registry: Registry, io: Io, opts: BasisOptions): void {
  const group = parseGroup(opts.group, registry);
  const repIn = parseRep(opts.in, group, registry);
  const repOut = parseRep(opts.out, group, registry);
  const cache = opts.cache
    ? new TieredCache(defaultCache, new DiskCache(opts.cacheDir ?? defaultCacheDir()))
    : undefined;
  const t0 = performance.now();
  const b = equivariantBasis(repIn, repOut, { cache, noCache: !opts.cache });
  const seconds = (performance.now() - t0) / 1000;
  const equivarianceError = basisEquivarianceError(b, rng(Number(opts.seed)), 3);
  if (opts.save) {
    if (b.size * b.dim > MAX_SAVE_ENTRIES) {
      throw new LimitExceededError(
        `The dense basis would have ${b.size} x ${b.dim} entries, past the ${MAX_SAVE_ENTRIES} that --save writes.`,
      );
    }
    saveNpy(opts.save, b.toDense());
  }
  const result = {
    group: group.name,
    in: repIn.toString(),
    out: repOut.toString(),
    size: b.size,
    dim: b.dim,
    method: b.method,
    seconds,
    equivarianceError,
    blocks: b.pairs.length,
    ...(opts.save ? { saved: opts.save } : {}),
  };
  if (opts.json) {
    printJson(io, result);
    return;
  }
  io.out(
    `${result.group}: ${result.in} -> ${result.out}\n` +
      `  size ${result.size}, basis dimension ${result.dim} (${result.blocks} distinct block pairs)\n` +
      `  method ${result.method}, ${seconds.toFixed(3)} s, equivariance error ${equivarianceError.toExponential(2)}\n` +
      (opts.save ? `  saved ${opts.save} (numpy.load gives shape (${b.size}, ${b.dim}))\n` : ""),
  );
}

/** $ISOTROPY_CACHE_DIR, else $XDG_CACHE_HOME/isotropy, else ~/.cache/isotropy. */
export function defaultCacheDir(): string {
  return (
    process.env.ISOTROPY_CACHE_DIR ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "isotropy")
  );
}
