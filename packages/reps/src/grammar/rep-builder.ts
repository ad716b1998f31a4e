// Evaluating a representation syntax tree through a small builder interface, so that the grammar
// does not depend on the concrete representation classes.

import { nearestNames, UnknownNameError } from "@isotropy/core";
import { positioned } from "./positioned-error.js";
import type { RepAst } from "./rep-ast.js";
import { parseRepAst, parseRepMapAst } from "./rep-parser.js";

/** What the grammar needs to build representations of type R. */
export interface RepBuilder<R> {
  /** The base representation, or that of factor `factor` of a product group. */
  V(factor?: number): R;
  scalar(): R;
  /** `T(p,q)`: p copies of V and q of its dual; called with p + q > 0 (`T(0)` is `scalar()`). */
  T(p: number, q: number, factor?: number): R;
  dual(r: R): R;
  sum(a: R, b: R): R;
  /** n*r, n >= 1. */
  multiple(n: number, r: R): R;
  tensor(a: R, b: R): R;
  /** r**k, k >= 0. */
  power(r: R, k: number): R;
  /** The representation of linear maps from -> to (emlp's `from >> to`). */
  map(from: R, to: R): R;
  /** A representation known by name; undefined when there is none. */
  named?(name: string): R | undefined;
  /** The names `named` knows, for did-you-mean suggestions. */
  knownNames?(): string[];
}

/** The names the grammar itself gives meaning to; never passed to `named`. */
export const BUILTIN_REP_NAMES: readonly string[] = ["V", "T", "Scalar"];

/**
 * Builds the representation `ast` stands for. `text` is the source it was parsed from, used to
 * point at unknown names (which throw an UnknownNameError of kind "reps" with the column).
 */
export function evaluateRepAst<R>(ast: RepAst, builder: RepBuilder<R>, text?: string): R {
  const go = (a: RepAst): R => {
    switch (a.type) {
      case "V":
        return a.factor === undefined ? builder.V() : builder.V(a.factor);
      case "scalar":
        return builder.scalar();
      case "T":
        if (a.p + a.q === 0) return builder.scalar();
        return a.factor === undefined ? builder.T(a.p, a.q) : builder.T(a.p, a.q, a.factor);
      case "named":
        return lookUp(a.name, a.column, builder, text);
      case "dual":
        return builder.dual(go(a.rep));
      case "power":
        return builder.power(go(a.rep), a.exponent);
      case "multiple":
        return builder.multiple(a.count, go(a.rep));
      case "tensor":
        return builder.tensor(go(a.left), go(a.right));
      case "sum":
        return builder.sum(go(a.left), go(a.right));
      case "map":
        return builder.map(go(a.from), go(a.to));
    }
  };
  return go(ast);
}

function lookUp<R>(name: string, column: number, builder: RepBuilder<R>, text?: string): R {
  let found: R | undefined;
  try {
    found = builder.named?.(name);
  } catch (e) {
    if (e instanceof UnknownNameError) throw positioned(e, column, text);
    throw e;
  }
  if (found !== undefined) return found;
  const known = [...BUILTIN_REP_NAMES, ...(builder.knownNames?.() ?? [])];
  throw positioned(new UnknownNameError("reps", name, nearestNames(name, known)), column, text);
}

/** Parses and builds a representation; a map `a >> b` is built with `builder.map`. */
export function parseRep<R>(text: string, builder: RepBuilder<R>): R {
  return evaluateRepAst(parseRepAst(text), builder, text);
}

/** Parses text that must be a map `in >> out` and builds both sides. */
export function parseRepMap<R>(text: string, builder: RepBuilder<R>): { from: R; to: R } {
  const ast = parseRepMapAst(text);
  return {
    from: evaluateRepAst(ast.from, builder, text),
    to: evaluateRepAst(ast.to, builder, text),
  };
}
