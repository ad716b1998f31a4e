// Evaluating a group syntax tree through a small builder interface.

import { type Registry, UnknownNameError } from "@isotropy/core";
import type { GroupAst, GroupNameAst } from "./group-ast.js";
import { parseGroupAst } from "./group-parser.js";
import { positioned } from "./positioned-error.js";

/** A built argument: an integer, a group, or a slice `start:stop`. */
export type GroupArg<G> = number | G | { start: number; stop: number };

/** What the grammar needs to build groups of type G. */
export interface GroupBuilder<G> {
  /** Builds a named group from positional arguments; throws UnknownNameError (from @isotropy/core) for unknown names. */
  create(name: string, args: GroupArg<G>[]): G;
  product(factors: G[]): G;
}

/**
 * Builds the group `ast` stands for. `text` is the source it was parsed from: an UnknownNameError
 * from `builder.create` is rethrown (still an UnknownNameError, same suggestions) with the column
 * of the name.
 */
export function evaluateGroupAst<G>(ast: GroupAst, builder: GroupBuilder<G>, text?: string): G {
  const go = (a: GroupAst): G =>
    a.type === "product" ? builder.product(a.factors.map(go)) : create(a);
  const create = (a: GroupNameAst): G => {
    const args = a.args.map((arg): GroupArg<G> => {
      if (arg.type === "int") return arg.value;
      if (arg.type === "slice") return { start: arg.start, stop: arg.stop };
      return go(arg);
    });
    try {
      return builder.create(a.name, args);
    } catch (e) {
      if (e instanceof UnknownNameError) {
        throw positioned(e, a.column, text, productHint(a, e.suggestions));
      }
      throw e;
    }
  };
  return go(ast);
}

// `LorentzxSO(2)` is one name: when a suggestion is a prefix followed by `x`, say how to write
// the product.
function productHint(a: GroupNameAst, suggestions: readonly string[]): string | undefined {
  const s = suggestions.find((s) => a.name.startsWith(`${s}x`) && a.name.length > s.length + 1);
  if (s === undefined) return undefined;
  const rest = a.name.slice(s.length + 1);
  return `For a direct product, write "${s} x ${rest}${a.args.length > 0 ? "(...)" : ""}".`;
}

/** Parses and builds a group. */
export function parseGroup<G>(text: string, builder: GroupBuilder<G>): G {
  return evaluateGroupAst(parseGroupAst(text), builder, text);
}

/**
 * A GroupBuilder over a registry: `create(name, args)` is `registry.create("groups", name, args)`
 * (group entries take the positional argument array as their params); `product` is the caller's.
 */
export function registryGroupBuilder<G>(
  registry: Pick<Registry, "create">,
  product: (factors: G[]) => G,
): GroupBuilder<G> {
  return {
    create: (name, args) => registry.create<G>("groups", name, args),
    product,
  };
}
