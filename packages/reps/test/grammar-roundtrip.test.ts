import { ParseError, Rng } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import {
  formatGroupAst,
  formatRepAst,
  type GroupArgAst,
  type GroupAst,
  type GroupNameAst,
  parseGroupAst,
  parseRep,
  parseRepAst,
  type RepAst,
  type RepBuilder,
} from "../src/grammar/index.js";

/** Sizes over a base dimension d: V = d, Scalar = 1, T(p,q) = d^(p+q), map = from * to. */
function sizeBuilder(d: number, named: Record<string, number> = {}): RepBuilder<number> {
  return {
    V: () => d,
    scalar: () => 1,
    T: (p, q) => d ** (p + q),
    dual: (r) => r,
    sum: (a, b) => a + b,
    multiple: (n, r) => n * r,
    tensor: (a, b) => a * b,
    power: (r, k) => r ** k,
    map: (from, to) => from * to,
    named: (name) => named[name],
    knownNames: () => Object.keys(named),
  };
}

/** A copy without `column` fields, to compare trees from different texts. */
function withoutColumns<T>(ast: T): unknown {
  return JSON.parse(JSON.stringify(ast, (key, value) => (key === "column" ? undefined : value)));
}

const REP_NAMES = ["Vec", "Pseudo", "w", "Q8", "@acme/quat-reps/Q", "my_rep2", "x", "Tx", "Vv"];
const GROUP_NAMES = ["SO", "SO+", "O", "S", "Lorentz", "ZksZnxZn", "Trivial", "xy", "Embed", "a/B"];

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(items.length)]!;
}

function randomRep(rng: Rng, depth: number): RepAst {
  const column = 0;
  const leaf = depth <= 0 || rng.uniform() < 0.25;
  if (leaf) {
    switch (rng.int(5)) {
      case 0:
        return rng.uniform() < 0.5
          ? { type: "V", column }
          : { type: "V", factor: rng.int(4), column };
      case 1:
        return { type: "scalar", column };
      case 2: {
        const p = rng.int(4);
        const q = rng.int(3);
        return rng.uniform() < 0.5
          ? { type: "T", p, q, column }
          : { type: "T", p, q, factor: rng.int(3), column };
      }
      default:
        return { type: "named", name: pick(rng, REP_NAMES), column };
    }
  }
  const sub = () => randomRep(rng, depth - 1);
  switch (rng.int(7)) {
    case 0:
      return { type: "dual", rep: sub(), column };
    case 1:
      return { type: "power", rep: sub(), exponent: rng.int(5), column };
    case 2:
      return { type: "multiple", count: 1 + rng.int(12), rep: sub(), column };
    case 3:
      return { type: "tensor", left: sub(), right: sub(), column };
    case 4:
      return { type: "sum", left: sub(), right: sub(), column };
    case 5:
      return { type: "map", from: sub(), to: sub(), column };
    default:
      return sub();
  }
}

function randomGroupCall(rng: Rng, depth: number): GroupNameAst {
  const args: GroupArgAst[] = [];
  const n = rng.uniform() < 0.3 ? 0 : 1 + rng.int(3);
  for (let i = 0; i < n; i++) {
    const r = rng.uniform();
    if (r < 0.5 || depth <= 0) args.push({ type: "int", value: rng.int(20), column: 0 });
    else if (r < 0.7) {
      args.push({ type: "slice", start: rng.int(5), stop: rng.int(9), column: 0 });
    } else args.push(randomGroup(rng, depth - 1));
  }
  return { type: "group", name: pick(rng, GROUP_NAMES), args, column: 0 };
}

function randomGroup(rng: Rng, depth: number): GroupAst {
  if (rng.uniform() < 0.6) return randomGroupCall(rng, depth);
  const factors = Array.from({ length: 2 + rng.int(3) }, () => randomGroupCall(rng, depth));
  return { type: "product", factors, column: 0 };
}

describe("grammar round trips (seeded property tests)", () => {
  it("format -> parse gives back every random representation tree", () => {
    const rng = new Rng("grammar-rep-roundtrip");
    const texts: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const ast = randomRep(rng, 1 + rng.int(5));
      const text = formatRepAst(ast);
      const back = parseRepAst(text);
      expect(withoutColumns(back), text).toEqual(withoutColumns(ast));
      expect(formatRepAst(back)).toBe(text);
      texts.push(text);
    }
    // The tricky spellings were all exercised: a dual of a dual or a dual on the left of a
    // product (`(V*)*`), a power of a dual (`(V*)**2`), a dual of a power (`V**2*`), a map
    // inside parentheses, a multiple inside a product.
    for (const shape of [
      /\*\)\*[^*]/,
      /\*\)\*\*/,
      /\*\*\d+\*/,
      /\([^()]*>>[^()]*\)/,
      /\*\(\d+\*/,
    ]) {
      expect(
        texts.some((t) => shape.test(t)),
        String(shape),
      ).toBe(true);
    }
  });

  it("format -> parse gives back every random group tree", () => {
    const rng = new Rng("grammar-group-roundtrip");
    for (let i = 0; i < 1000; i++) {
      const ast = randomGroup(rng, 1 + rng.int(3));
      const text = formatGroupAst(ast);
      const back = parseGroupAst(text);
      expect(withoutColumns(back), text).toEqual(withoutColumns(ast));
      expect(formatGroupAst(back)).toBe(text);
    }
  });

  it("columns point at each node's own text", () => {
    const rng = new Rng("grammar-columns");
    for (let i = 0; i < 300; i++) {
      const text = formatRepAst(randomRep(rng, 4));
      const chars = Array.from(text);
      const visit = (a: RepAst): void => {
        const at = chars.slice(a.column - 1).join("");
        if (a.type === "named") expect(at.startsWith(a.name), text).toBe(true);
        if (a.type === "V" || a.type === "T") expect(at.startsWith(a.type), text).toBe(true);
        if (a.type === "scalar") expect(at.startsWith("Scalar"), text).toBe(true);
        if (a.type === "multiple") expect(at.startsWith(`${a.count}*`), text).toBe(true);
        for (const child of Object.values(a)) {
          if (typeof child === "object" && child !== null) visit(child as RepAst);
        }
      };
      visit(parseRepAst(text));
    }
  });

  it("evaluation agrees with the size rules on random trees", () => {
    const rng = new Rng("grammar-sizes");
    const d = 2;
    const named: Record<string, number> = Object.fromEntries(REP_NAMES.map((n, i) => [n, i + 1]));
    const size = (a: RepAst): number => {
      switch (a.type) {
        case "V":
          return d;
        case "scalar":
          return 1;
        case "T":
          return d ** (a.p + a.q);
        case "named":
          return named[a.name]!;
        case "dual":
          return size(a.rep);
        case "power":
          return size(a.rep) ** a.exponent;
        case "multiple":
          return a.count * size(a.rep);
        case "tensor":
          return size(a.left) * size(a.right);
        case "sum":
          return size(a.left) + size(a.right);
        case "map":
          return size(a.from) * size(a.to);
      }
    };
    for (let i = 0; i < 500; i++) {
      const ast = randomRep(rng, 3);
      const text = formatRepAst(ast);
      expect(parseRep(text, sizeBuilder(d, named)), text).toBe(size(ast));
    }
  });

  it("random token soup either parses or throws a ParseError at a column inside the text", () => {
    const rng = new Rng("grammar-fuzz");
    const repPieces = [
      "V",
      "T",
      "Scalar",
      "W",
      "(",
      ")",
      "[",
      "]",
      "*",
      "**",
      "+",
      ">>",
      "->",
      ",",
      "2",
      "0",
      " ",
      "-",
      "x",
      "%",
    ];
    const groupPieces = [
      "SO",
      "SO+",
      "x",
      "×",
      "(",
      ")",
      ",",
      ":",
      "3",
      "0",
      " ",
      "-",
      "*",
      "Embed",
    ];
    for (const [pieces, parse] of [
      [repPieces, parseRepAst],
      [groupPieces, parseGroupAst],
    ] as const) {
      for (let i = 0; i < 3000; i++) {
        const text = Array.from({ length: 1 + rng.int(8) }, () => pick(rng, pieces)).join("");
        try {
          parse(text);
        } catch (e) {
          expect(e, text).toBeInstanceOf(ParseError);
          const column = (e as ParseError).column;
          expect(column).toBeGreaterThanOrEqual(1);
          expect(column).toBeLessThanOrEqual(Array.from(text).length + 1);
        }
      }
    }
  });
});
