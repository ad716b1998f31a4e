import { createRegistry, definePlugin, ParseError, UnknownNameError, z } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import {
  formatGroupAst,
  type GroupArg,
  type GroupBuilder,
  PositionedUnknownNameError,
  parseGroup,
  parseGroupAst,
  registryGroupBuilder,
} from "../src/grammar/index.js";

/** Groups as descriptive strings; `create` throws UnknownNameError from `known`. */
function fakeGroupBuilder(
  known: readonly string[],
  onUnknown: (name: string) => never,
): GroupBuilder<string> {
  const arg = (a: GroupArg<string>): string =>
    typeof a === "number" ? String(a) : typeof a === "string" ? a : `${a.start}:${a.stop}`;
  return {
    create: (name, args) => {
      if (!known.includes(name)) onUnknown(name);
      return `${name}[${args.map(arg).join(";")}]`;
    },
    product: (factors) => `prod{${factors.join(" | ")}}`,
  };
}

/** A copy without `column` fields, to compare trees from different texts. */
function withoutColumns<T>(ast: T): unknown {
  return JSON.parse(JSON.stringify(ast, (key, value) => (key === "column" ? undefined : value)));
}

const KNOWN = [
  "SO",
  "O",
  "S",
  "SO+",
  "Lorentz",
  "Trivial",
  "ZksZnxZn",
  "RubiksCube",
  "Embed",
  "SU",
];
const builder = fakeGroupBuilder(KNOWN, (name) => {
  throw new UnknownNameError("groups", name, []);
});

function parseError(text: string): ParseError {
  try {
    parseGroupAst(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error(`expected "${text}" not to parse`);
}

describe("group grammar", () => {
  it.each([
    ["SO(3)", "SO[3]"],
    ["O(1,3)", "O[1;3]"],
    ["O( 1 , 3 )", "O[1;3]"],
    ["S(6)", "S[6]"],
    ["SO+(1,3)", "SO+[1;3]"],
    ["Lorentz", "Lorentz[]"],
    ["Lorentz()", "Lorentz[]"],
    ["Trivial(3)", "Trivial[3]"],
    ["ZksZnxZn(2,3)", "ZksZnxZn[2;3]"],
    ["RubiksCube", "RubiksCube[]"],
    ["SO(3)xS(5)", "prod{SO[3] | S[5]}"],
    ["SO(3) x S(5)", "prod{SO[3] | S[5]}"],
    ["SO(3)×S(5)", "prod{SO[3] | S[5]}"],
    ["SO(3) × S(5)", "prod{SO[3] | S[5]}"],
    ["SO(3)x Lorentz", "prod{SO[3] | Lorentz[]}"],
    ["Lorentz x SO(3)", "prod{Lorentz[] | SO[3]}"],
    ["SO(2)xSO(3)xS(4)", "prod{SO[2] | SO[3] | S[4]}"],
    ["Embed(SO(2), 3, 0:2)", "Embed[SO[2];3;0:2]"],
    ["Embed(SO(2)xSO(3),6,1:6)", "Embed[prod{SO[2] | SO[3]};6;1:6]"],
    ["Embed(ZksZnxZn(2,3), 10, 0:6) x S(3)", "prod{Embed[ZksZnxZn[2;3];10;0:6] | S[3]}"],
  ])("%s builds %s", (text, built) => {
    expect(parseGroup(text, builder)).toBe(built);
  });

  it("passes integers, groups and slices as positional arguments", () => {
    const seen: GroupArg<string>[][] = [];
    parseGroup<string>("Embed(SO(2), 3, 0:2)", {
      create: (name, args) => {
        seen.push(args);
        return name;
      },
      product: (f) => f.join("x"),
    });
    expect(seen).toEqual([[2], ["SO", 3, { start: 0, stop: 2 }]]);
  });

  it("keeps columns and flattens products", () => {
    expect(parseGroupAst("SO(3) x Embed(S(2), 4, 1:3)")).toEqual({
      type: "product",
      column: 1,
      factors: [
        { type: "group", name: "SO", args: [{ type: "int", value: 3, column: 4 }], column: 1 },
        {
          type: "group",
          name: "Embed",
          column: 9,
          args: [
            {
              type: "group",
              name: "S",
              args: [{ type: "int", value: 2, column: 17 }],
              column: 15,
            },
            { type: "int", value: 4, column: 21 },
            { type: "slice", start: 1, stop: 3, column: 24 },
          ],
        },
      ],
    });
  });

  it("reads qualified names", () => {
    expect(parseGroupAst("@isotropy/groups/SO+(1,3)")).toMatchObject({
      name: "@isotropy/groups/SO+",
    });
  });

  it.each([
    ["SO(3)", "SO(3)"],
    ["O( 1, 3 )", "O(1,3)"],
    ["SO(3)xS(5)", "SO(3) x S(5)"],
    ["Lorentz×Trivial(2)", "Lorentz x Trivial(2)"],
    ["Embed(SO(2), 3, 0:2)", "Embed(SO(2),3,0:2)"],
    ["Lorentz()", "Lorentz"],
  ])("%s formats as %s and parses back", (text, canonical) => {
    const ast = parseGroupAst(text);
    expect(formatGroupAst(ast)).toBe(canonical);
    expect(withoutColumns(parseGroupAst(canonical))).toEqual(withoutColumns(ast));
  });
});

describe("group grammar: errors", () => {
  it.each([
    ["", 1, "a group", "end of input"],
    ["SO(", 4, "a group argument", "end of input"],
    ["SO(3", 5, "',' or ')'", "the '(' at column 3 is never closed"],
    ["SO(3,", 6, "a group argument", "end of input"],
    ["SO(3))", 6, "end of input", "')' with no matching '('"],
    ["SO(-1)", 4, "a group argument", "'-' (integers are non-negative)"],
    ["SO(3) S(5)", 7, "a product operator", "name 'S'"],
    ["SO(3) xS(5)", 7, "a product operator", "write 'x S'"],
    ["SO(3)*S(5)", 6, "a product operator", "'*' (a direct product is written 'x' or '×')"],
    ["SO(3)x", 7, "a group", "end of input"],
    ["SO(3) x ", 9, "a group", "end of input"],
    ["x", 1, "a group", "the product operator 'x'"],
    ["SO(3) x x S(2)", 9, "a group", "the product operator 'x'"],
    ["3", 1, "a group", "integer 3"],
    ["Embed(SO(2), 3, 0:)", 19, "an integer (the end of the slice)", "')'"],
    ["Embed(SO(2), 3, :2)", 17, "a group argument", "':'"],
    ["SO(3)+", 6, "a product operator", "unexpected character '+'"],
  ])("%j fails at column %d expecting %s", (text, column, expected, found) => {
    const e = parseError(text);
    expect(e.column).toBe(column);
    expect(e.expected).toContain(expected);
    expect(e.message.split("\n")[0]!.split(", found ")[1]).toContain(found);
  });
});

describe("group grammar: unknown names", () => {
  const registry = createRegistry().use(
    definePlugin({
      name: "toy-groups",
      version: "1.0.0",
      apiVersion: "^1",
      groups: Object.fromEntries(
        ["SO", "O", "S", "Lorentz", "SO+"].map((name) => [
          name,
          {
            description: `toy ${name}`,
            schema: z.array(z.union([z.number(), z.string(), z.object({})])),
            create: (args: unknown[]) => `${name}(${args.join(",")})`,
          },
        ]),
      ),
    }),
  );
  const fromRegistry = registryGroupBuilder<string>(registry, (f) => f.join(" x "));

  it("builds through the registry with positional arguments", () => {
    expect(parseGroup("SO(3) x Lorentz", fromRegistry)).toBe("SO(3) x Lorentz()");
    expect(parseGroup("toy-groups/SO+(1,3)", fromRegistry)).toBe("SO+(1,3)");
  });

  function unknown(text: string): PositionedUnknownNameError {
    try {
      parseGroup(text, fromRegistry);
    } catch (e) {
      expect(e).toBeInstanceOf(UnknownNameError);
      expect(e).toBeInstanceOf(PositionedUnknownNameError);
      return e as PositionedUnknownNameError;
    }
    throw new Error(`expected "${text}" to name an unknown group`);
  }

  it("keeps the suggestions and adds the column of the name", () => {
    const e = unknown("SO(3) x Lorentzz");
    expect(e.kind).toBe("groups");
    expect(e.requested).toBe("Lorentzz");
    expect(e.suggestions).toContain("Lorentz");
    expect(e.column).toBe(9);
    expect(e.code).toBe("E_UNKNOWN_NAME");
    expect(e.cause).toBeInstanceOf(UnknownNameError);
    expect(e.message).toMatch(/^at column 9: Unknown group "Lorentzz"\. Did you mean/);
    expect(e.message).toContain("\n  SO(3) x Lorentzz\n          ^^^^^^^^");
  });

  it("points at a nested name", () => {
    expect(unknown("SO(3) x S(2) x Embed(SOO(2), 3, 0:2)").column).toBe(22);
    // The nested group is built first, so its name is the one reported.
    expect(unknown("Embedd(SOO(2), 3, 0:2)").requested).toBe("SOO");
  });

  it("explains that an x glued to a name is part of the name", () => {
    const e = unknown("LorentzxSO(2)");
    expect(e.column).toBe(1);
    expect(e.suggestions).toContain("Lorentz");
    expect(e.message).toContain('For a direct product, write "Lorentz x SO(...)".');
  });

  it("leaves other errors alone", () => {
    expect(unknown("SO(true)").column).toBe(4);
    const failing = {
      create: () => {
        throw new RangeError("boom");
      },
      product: (f: string[]) => f.join(),
    };
    expect(() => parseGroup("SO(3)", failing)).toThrow(RangeError);
  });
});
