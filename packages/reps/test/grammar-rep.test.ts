import { ParseError, UnknownNameError } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import {
  formatRepAst,
  parseRep,
  parseRepAst,
  parseRepMap,
  parseRepMapAst,
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

/** Fully parenthesised text, to see exactly how an expression was grouped. */
const shapeBuilder: RepBuilder<string> = {
  V: (factor) => (factor === undefined ? "V" : `V${factor}`),
  scalar: () => "1",
  T: (p, q, factor) => `T${factor ?? ""}(${p},${q})`,
  dual: (r) => `dual(${r})`,
  sum: (a, b) => `(${a} + ${b})`,
  multiple: (n, r) => `${n}x(${r})`,
  tensor: (a, b) => `(${a} ⊗ ${b})`,
  power: (r, k) => `pow(${r},${k})`,
  map: (from, to) => `[${from} -> ${to}]`,
  named: (name) => (name === "Vec" ? "Vec" : undefined),
  knownNames: () => ["Vec"],
};

/** A copy without `column` fields, to compare trees from different texts. */
function withoutColumns<T>(ast: T): unknown {
  return JSON.parse(JSON.stringify(ast, (key, value) => (key === "column" ? undefined : value)));
}

const size3 = sizeBuilder(3);

function parseError(text: string, parse: (t: string) => unknown = parseRepAst): ParseError {
  try {
    parse(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error(`expected "${text}" not to parse`);
}

describe("representation grammar: sizes over d = 3", () => {
  it.each([
    ["V", 3],
    ["Scalar", 1],
    ["T(0)", 1],
    ["T(2)", 9],
    ["T(2,1)", 27],
    ["V*", 3],
    ["V*V", 9],
    ["2*V + V**2", 15],
    ["(V+Scalar)**2", 16],
    ["(V + Scalar)**3", 64],
    ["5*Scalar + 5*V", 20],
    ["V >> T(2)", 27],
    ["V -> T(2)", 27],
    ["3*(V+V*)", 18],
    ["V**2*", 9],
    ["2*V*V", 18],
    ["2*3*V", 18],
    ["V**0", 1],
    ["  V  +  Scalar  ", 4],
    ["V[0] + T[1](1,1)", 12],
    ["(V >> V) + Scalar", 10],
    ["5*Scalar + 5*V -> T(2)", 180],
  ])("%s has size %d", (text, n) => {
    expect(parseRep(text, size3)).toBe(n);
  });
});

describe("representation grammar: precedence and grouping", () => {
  it.each([
    ["2*V + V**2", "(2x(V) + pow(V,2))"],
    ["V*V", "(V ⊗ V)"],
    ["V*", "dual(V)"],
    ["V* + V", "(dual(V) + V)"],
    ["V*V*", "(V ⊗ dual(V))"],
    ["V* V", "(V ⊗ V)"],
    ["V* *", "dual(dual(V))"],
    ["V*(V)", "(V ⊗ V)"],
    ["V**2*", "dual(pow(V,2))"],
    ["V**2*V", "(pow(V,2) ⊗ V)"],
    ["V* **2", "pow(dual(V),2)"],
    ["(V*)**2", "pow(dual(V),2)"],
    ["V*V**2", "(V ⊗ pow(V,2))"],
    ["V + V + V", "((V + V) + V)"],
    ["V*V*V", "((V ⊗ V) ⊗ V)"],
    ["2*V*V", "2x((V ⊗ V))"],
    ["2*V + V", "(2x(V) + V)"],
    ["2*3*V", "2x(3x(V))"],
    ["2*V*", "2x(dual(V))"],
    ["3*(V+V*)", "3x((V + dual(V)))"],
    ["V + V >> V*V", "[(V + V) -> (V ⊗ V)]"],
    ["(V >> V) >> V", "[[V -> V] -> V]"],
    ["V[1]*T[0](2,1)", "(V1 ⊗ T0(2,1))"],
    ["T(0) + T(1)", "(1 + T(1,0))"],
    ["Vec + V", "(Vec + V)"],
  ])("%s groups as %s", (text, shape) => {
    expect(parseRep(text, shapeBuilder)).toBe(shape);
  });

  it("gives every node the column where its text starts", () => {
    const ast = parseRepAst("2*V + (V*)**2");
    expect(ast).toMatchObject({
      type: "sum",
      column: 1,
      left: { type: "multiple", column: 1, rep: { type: "V", column: 3 } },
      right: { type: "power", column: 7, rep: { type: "dual", column: 8 } },
    });
  });

  it("reads qualified names as one named representation", () => {
    expect(parseRepAst("@acme/quat-reps/Q + V")).toMatchObject({
      left: { type: "named", name: "@acme/quat-reps/Q" },
    });
  });
});

describe("representation grammar: maps", () => {
  it("parseRepMap returns both sides", () => {
    expect(parseRepMap("5*Scalar + 5*V -> T(2)", size3)).toEqual({ from: 20, to: 9 });
    expect(parseRepMap("V >> (V >> V)", size3)).toEqual({ from: 3, to: 9 });
  });

  it("parseRepMap needs a map at the top level", () => {
    const e = parseError("V + V", (t) => parseRepMap(t, size3));
    expect(e.column).toBe(6);
    expect(e.message).toContain("expected '>>'");
    expect(parseRepMapAst("V>>V").type).toBe("map");
  });
});

describe("representation grammar: errors", () => {
  it.each([
    ["", 1, "a representation", "end of input"],
    ["   ", 4, "a representation", "end of input"],
    ["2*V + ", 7, "a representation", "end of input"],
    ["T(2,", 5, "an integer", "end of input"],
    ["2*", 3, "a representation", "end of input"],
    ["2", 1, "a representation", "integer 2"],
    ["2 + V", 1, "a representation", "integer 2"],
    ["2V", 2, "'*'", "name 'V'"],
    ["V*2", 3, "a representation", "integer 2 (multiplicities go first"],
    ["0*V", 1, "a positive multiplicity", "integer 0"],
    ["V**", 4, "an integer exponent", "end of input"],
    ["V**-1", 4, "an integer exponent", "'-' (exponents are non-negative"],
    ["V**V", 4, "an integer exponent", "name 'V'"],
    ["V**2**3", 5, "a single exponent", "a second '**'"],
    [">> V", 1, "a representation", "'>>'"],
    ["V >> V >> V", 8, "end of input", "a second '>>'"],
    ["V -> V -> V", 8, "end of input", "a second '->'"],
    ["(V >> V >> V)", 9, "')'", "a second '>>'"],
    ["(V + V", 7, "')'", "end of input (the '(' at column 1 is never closed)"],
    ["((V)", 5, "')'", "the '(' at column 1"],
    ["V + V)", 6, "end of input", "')' with no matching '('"],
    ["V V", 3, "an operator", "name 'V'"],
    ["V + %", 5, "a representation", "unexpected character '%'"],
    ["V + V;", 6, "end of input", "unexpected character ';'"],
    ["T", 2, "'('", "end of input"],
    ["T()", 3, "an integer", "')'"],
    ["T(2 3)", 5, "',' or ')'", "integer 3"],
    ["T(2,1,3)", 6, "')'", "','"],
    ["T(2)[1]", 5, "an operator or end of input", "factor index goes first"],
    ["V[", 3, "a factor index", "end of input"],
    ["V[1", 4, "']'", "end of input"],
    ["V[-1]", 3, "a factor index", "'-'"],
    ["V ** 2 +", 9, "a representation", "end of input"],
    ["V + + V", 5, "a representation", "'+'"],
    ["()", 2, "a representation", "')'"],
    ["V x V", 3, "an operator", "name 'x'"],
  ])("%j fails at column %d expecting %s", (text, column, expected, found) => {
    const e = parseError(text);
    expect(e.column).toBe(column);
    expect(e.expected).toContain(expected);
    expect(e.message.split("\n")[0]!.split(", found ")[1]).toContain(found);
    expect(e.code).toBe("E_PARSE");
    // The caret sits under the column.
    expect(e.message.split("\n")[2]).toBe(`  ${" ".repeat(column - 1)}^`);
  });

  it("counts columns in code points", () => {
    expect(parseError("V + 😀").column).toBe(5);
    expect(parseError("😀V").column).toBe(1);
  });
});

describe("representation grammar: unknown names", () => {
  it("suggests near names, builtins included, and names the column", () => {
    const builder = sizeBuilder(3, { Vector: 3, Pseudo: 1 });
    let error: unknown;
    try {
      parseRep("2*V + Scaler", builder);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownNameError);
    const u = error as UnknownNameError & { column: number };
    expect(u.kind).toBe("reps");
    expect(u.requested).toBe("Scaler");
    expect(u.suggestions).toContain("Scalar");
    expect(u.column).toBe(7);
    expect(u.code).toBe("E_UNKNOWN_NAME");
    expect(u.name).toBe("UnknownNameError");
    expect(u.message).toContain("at column 7");
    expect(u.message).toContain("\n  2*V + Scaler\n        ^^^^^^");
    expect(() => parseRep("Vectr", builder)).toThrow(/Did you mean .*"Vector"/);
  });

  it("works with builders that know no names", () => {
    const { named: _n, knownNames: _k, ...plain } = sizeBuilder(3);
    expect(() => parseRep("v", plain)).toThrow(UnknownNameError);
    expect(() => parseRep("v", plain)).toThrow(/Did you mean "V"/);
    expect(parseRep("V", plain)).toBe(3);
  });

  it("positions an UnknownNameError thrown by named()", () => {
    const builder = {
      ...sizeBuilder(3),
      named: (name: string): number => {
        throw new UnknownNameError("reps", name, ["Q8"]);
      },
    };
    expect(() => parseRep("V + Q9", builder)).toThrow(/at column 5: Unknown rep "Q9"/);
  });

  it("never asks named() about the builtin names", () => {
    const asked: string[] = [];
    const builder = {
      ...sizeBuilder(3),
      named: (name: string) => {
        asked.push(name);
        return 7;
      },
    };
    expect(parseRep("V + Scalar + T(1) + W", builder)).toBe(3 + 1 + 3 + 7);
    expect(asked).toEqual(["W"]);
  });
});

describe("formatRepAst", () => {
  it.each([
    ["2*V+V**2", "2*V + V**2"],
    ["V>>T(2)", "V >> T(2)"],
    ["V->T(2,0)", "V >> T(2)"],
    ["(V+Scalar)**3", "(V + Scalar)**3"],
    ["3*(V+V*)", "3*(V + V*)"],
    ["V* *", "(V*)*"],
    ["V* **2", "(V*)**2"],
    ["V* *V", "(V*)*V"],
    ["V*(V*V)", "V*(V*V)"],
    ["(V*V)*V", "V*V*V"],
    ["V*(2*V)", "V*(2*V)"],
    ["(2*V)*V", "(2*V)*V"],
    ["V+(V+V)", "V + (V + V)"],
    ["(V>>V)>>V", "(V >> V) >> V"],
    ["V[1] + T[0](1,2)", "V[1] + T[0](1,2)"],
    ["(V**2)**3", "(V**2)**3"],
    ["((V))", "V"],
  ])("%s formats as %s, which parses back to the same tree", (text, canonical) => {
    const ast = parseRepAst(text);
    expect(formatRepAst(ast)).toBe(canonical);
    expect(withoutColumns(parseRepAst(canonical))).toEqual(withoutColumns(ast));
  });
});
