// Recursive-descent parser of group expressions: `SO(3)`, `SO+(1,3)`, `SO(3)xS(5)`,
// `Embed(SO(2), 3, 0:2)`. See GRAMMAR.md for the EBNF and the rule for the product `x`.

import { Cursor, describe, unclosed } from "./cursor.js";
import type { GroupArgAst, GroupAst, GroupNameAst } from "./group-ast.js";
import { type Token, tokenize } from "./lexer.js";

/** Parses a group expression into its syntax tree. */
export function parseGroupAst(text: string): GroupAst {
  const cursor = new Cursor(text, tokenize(text, "group"));
  const ast = parseProduct(cursor);
  const t = cursor.peek();
  if (t.type !== "eof") {
    if (t.type === ")") cursor.fail("end of input", t, "')' with no matching '('");
    cursor.fail("a product operator ('x' or '×') or end of input", t, found(t));
  }
  return ast;
}

/**
 * `x` is the product operator right after `)` (the lexer's `times`), or as a word of its own
 * (so no group can be named `x`).
 */
function atTimes(c: Cursor): boolean {
  const t = c.peek();
  return t.type === "times" || (t.type === "name" && t.text === "x");
}

function found(t: Token): string {
  if (t.type === "name" && t.text.startsWith("x")) {
    return `${describe(t)} (the product 'x' must stand apart: write 'x ${t.text.slice(1)}')`;
  }
  if (t.type === "invalid" && t.text === "*") return "'*' (a direct product is written 'x' or '×')";
  return describe(t);
}

// product = group { ( "x" | "×" ) group }
function parseProduct(c: Cursor): GroupAst {
  const column = c.peek().column;
  const factors: GroupNameAst[] = [parseGroup(c)];
  while (atTimes(c)) {
    c.next();
    factors.push(parseGroup(c));
  }
  return factors.length === 1 ? factors[0]! : { type: "product", factors, column };
}

// group = NAME [ "(" [ arg { "," arg } ] ")" ]
function parseGroup(c: Cursor): GroupNameAst {
  const t = c.peek();
  if (t.type !== "name") return c.fail("a group", t);
  if (t.text === "x") return c.fail("a group", t, "the product operator 'x'");
  c.next();
  const args: GroupArgAst[] = [];
  if (c.at("(")) {
    const open = c.next();
    if (c.at(")")) {
      c.next();
    } else {
      args.push(parseArg(c));
      while (c.at(",")) {
        c.next();
        args.push(parseArg(c));
      }
      if (!c.at(")")) unclosed(c, open, "',' or ')'");
      c.next();
    }
  }
  return { type: "group", name: t.text, args, column: t.column };
}

// arg = INT ":" INT | INT | product
function parseArg(c: Cursor): GroupArgAst {
  const t = c.peek();
  if (t.type === "name") return parseProduct(c);
  if (t.type !== "int") {
    const why =
      t.type === "invalid" && t.text === "-" ? "'-' (integers are non-negative)" : describe(t);
    return c.fail("a group argument (an integer, a slice start:stop or a group)", t, why);
  }
  const start = safe(c, t);
  if (!c.at(":")) return { type: "int", value: start, column: t.column };
  c.next();
  const e = c.peek();
  if (e.type !== "int") c.fail("an integer (the end of the slice)", e);
  const stop = safe(c, e);
  return { type: "slice", start, stop, column: t.column };
}

function safe(c: Cursor, t: Token): number {
  if (!Number.isSafeInteger(t.value)) c.fail("an integer below 2^53", t);
  c.next();
  return t.value;
}
