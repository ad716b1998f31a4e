import { defineEntry, definePlugin, z } from "@isotropy/core";
import { MAX_FINITE_DIM, MAX_LIE_DIM } from "./args.js";
import { GL, O, Scaling, SL, SO, Sp, SU, U } from "./classical.js";
import { Embed } from "./embed.js";
import { A, C, Cube, D, RubiksCube, S, Trivial, Z, ZksZnxZn } from "./finite.js";
import { type Group, isGroup } from "./group.js";
import { Lorentz, SOplus } from "./lorentz.js";
import { directProduct } from "./product.js";
import { VERSION } from "./version.js";

const int = (what: string, min: number, max: number) =>
  z
    .number({ error: `${what} must be a number` })
    .int({ error: `${what} must be an integer` })
    .min(min, { error: `${what} must be >= ${min}` })
    .max(max, { error: `${what} must be <= ${max}` });

const group = z.custom<Group>((x) => isGroup(x), { error: "expected a group, e.g. SO(2)" });

/** One positional integer: [n]. */
const one = (what: string, min: number, max: number) =>
  z.tuple([int(what, min, max)], { error: `expected one argument [${what}]` });

/** [n] or [p, q] (the factory checks n >= 1 when alone). */
const oneOrTwo = (max: number) =>
  z.tuple([int("n", 0, max), int("q", 0, max).optional()], {
    error: "expected [n] or [p, q]",
  });

const none = z.tuple([], { error: "expects no arguments: []" });

/** Matrix groups given by generators: this package's entries in the Isotropy registry. */
export const plugin = definePlugin({
  name: "@isotropy/groups",
  version: VERSION,
  apiVersion: "^1",
  description: "Matrix groups given by generators",
  groups: {
    Trivial: defineEntry({
      description: "The trivial group {I} on R^n",
      schema: one("n", 1, MAX_FINITE_DIM),
      create: ([n]) => Trivial(n),
    }),
    Z: defineEntry({
      description: "Cyclic group Z_n acting on R^n by cyclic shifts (regular representation)",
      schema: one("n", 1, MAX_FINITE_DIM),
      create: ([n]) => Z(n),
    }),
    C: defineEntry({
      description: "Cyclic group C_k of plane rotations by multiples of 2 pi / k",
      schema: one("k", 1, 1_000_000),
      create: ([k]) => C(k),
    }),
    D: defineEntry({
      description: "Dihedral group D_k (order 2k) acting on the plane",
      schema: one("k", 1, 1_000_000),
      create: ([k]) => D(k),
    }),
    S: defineEntry({
      description: "Symmetric group S_n permuting the coordinates of R^n",
      schema: one("n", 1, MAX_FINITE_DIM),
      create: ([n]) => S(n),
    }),
    A: defineEntry({
      description: "Alternating group A_n (even permutations) on R^n",
      schema: one("n", 1, MAX_FINITE_DIM),
      create: ([n]) => A(n),
    }),
    SO: defineEntry({
      description: "SO(n) rotations of R^n, or SO(p,q) preserving diag(+1 x p, -1 x q)",
      schema: oneOrTwo(MAX_LIE_DIM),
      create: ([n, q]) => SO(n, q),
    }),
    O: defineEntry({
      description: "O(n) orthogonal group of R^n, or O(p,q) preserving diag(+1 x p, -1 x q)",
      schema: oneOrTwo(MAX_LIE_DIM),
      create: ([n, q]) => O(n, q),
    }),
    "SO+": defineEntry({
      description:
        "SO+(p,q): identity component of O(p,q), e.g. the proper orthochronous Lorentz group",
      schema: z.tuple([int("p", 0, MAX_LIE_DIM), int("q", 0, MAX_LIE_DIM)], {
        error: "expected two arguments [p, q]",
      }),
      create: ([p, q]) => SOplus(p, q),
    }),
    Lorentz: defineEntry({
      description: "The full Lorentz group O(1,3), metric diag(1,-1,-1,-1) (time first)",
      schema: none,
      create: () => Lorentz(),
    }),
    Sp: defineEntry({
      description: "Symplectic group Sp(m) on R^(2m), preserving J = [[0, I], [-I, 0]]",
      schema: one("m", 1, MAX_LIE_DIM / 2),
      create: ([m]) => Sp(m),
    }),
    SL: defineEntry({
      description: "Special linear group SL(n) of R^n",
      schema: one("n", 1, MAX_LIE_DIM),
      create: ([n]) => SL(n),
    }),
    GL: defineEntry({
      description: "General linear group GL(n) of R^n",
      schema: one("n", 1, MAX_LIE_DIM),
      create: ([n]) => GL(n),
    }),
    Scaling: defineEntry({
      description: "Scaling group {e^t I} on R^n",
      schema: one("n", 1, 4096),
      create: ([n]) => Scaling(n),
    }),
    U: defineEntry({
      description: "Unitary group U(n), realified on R^(2n) as (Re z; Im z)",
      schema: one("n", 1, MAX_LIE_DIM / 2),
      create: ([n]) => U(n),
    }),
    SU: defineEntry({
      description: "Special unitary group SU(n), realified on R^(2n) as (Re z; Im z)",
      schema: one("n", 1, MAX_LIE_DIM / 2),
      create: ([n]) => SU(n),
    }),
    Cube: defineEntry({
      description: "The 24 rotations of a cube acting on its 6 faces (permutations of R^6)",
      schema: none,
      create: () => Cube(),
    }),
    RubiksCube: defineEntry({
      description: "Rubik's cube group on the 48 movable facelets (permutations of R^48)",
      schema: none,
      create: () => RubiksCube(),
    }),
    ZksZnxZn: defineEntry({
      description:
        "Z_k semidirect (Z_n x Z_n), k in {2, 4}: grid translations and rotations, on R^(k n^2)",
      schema: z.tuple(
        [
          z.union([z.literal(2), z.literal(4)], { error: "k must be 2 or 4" }),
          int("n", 1, Math.floor(Math.sqrt(MAX_FINITE_DIM / 4))),
        ],
        { error: "expected two arguments [k, n]" },
      ),
      create: ([k, n]) => ZksZnxZn(k, n),
    }),
    Embed: defineEntry({
      description: "G acting on coordinates [start, stop) of R^d, identity elsewhere",
      schema: z.tuple(
        [
          group,
          int("d", 1, MAX_FINITE_DIM),
          z.object({
            start: int("start", 0, MAX_FINITE_DIM),
            stop: int("stop", 1, MAX_FINITE_DIM),
          }),
        ],
        { error: "expected three arguments [group, d, { start, stop }]" },
      ),
      create: ([g, d, slice]) => Embed(g, d, slice),
    }),
    DirectProduct: defineEntry({
      description: "Direct product GxHx... acting block-diagonally on R^(dG + dH + ...)",
      schema: z.array(group, { error: "expected an array of groups" }).min(1, {
        error: "expected at least one group",
      }),
      create: (groups) => directProduct(...groups),
    }),
  },
});
