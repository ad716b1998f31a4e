// Recursive-descent parser of representation expressions. Grammar (tightest first): atoms and
// parentheses; postfix `*` (dual); `**` (integer power); `*` (tensor product) and `n*` (a
// multiplicity, prefix); `+` (direct sum); `>>` / `->` (maps, lowest, non-associative).
// See GRAMMAR.md for the EBNF.

import { ParseError } from "@isotropy/core";
import { Cursor, describe, unclosed } from "./cursor.js";
import { type Token, tokenize } from "./lexer.js";
import type { RepAst, RepMapAst } from "./rep-ast.js";

/** Parses a representation expression (a map `a >> b` allowed) into its syntax tree. */
export function parseRepAst(text: string): RepAst {
  const cursor = new Cursor(text, tokenize(text, "rep"));
  const ast = parseMap(cursor);
  expectEnd(cursor);
  return ast;
}

/** Parses text that must be a map `in >> out` (or `in -> out`) at the top level. */
export function parseRepMapAst(text: string): RepMapAst {
  const ast = parseRepAst(text);
  if (ast.type !== "map") {
    throw new ParseError(
      text,
      Array.from(text).length + 1,
      "'>>' and an output representation (a map is written in >> out)",
      "end of input",
    );
  }
  return ast;
}

function expectEnd(c: Cursor): void {
  const t = c.peek();
  if (t.type === "eof") return;
  if (t.type === "arrow") c.fail("end of input", t, chainedMap(t));
  if (t.type === ")") c.fail("end of input", t, "')' with no matching '('");
  if (startsOperand(t)) c.fail("an operator ('+', '*', '**', '>>') or end of input", t);
  c.fail("end of input", t);
}

function chainedMap(t: Token): string {
  return `a second '${t.text}' (maps do not chain: put one side in parentheses)`;
}

/** Whether `t` can begin an operand: what makes a `*` before it a product, not a dual. */
function startsOperand(t: Token): boolean {
  return t.type === "name" || t.type === "int" || t.type === "(";
}

// map = sum [ ( ">>" | "->" ) sum ]
function parseMap(c: Cursor): RepAst {
  const column = c.peek().column;
  const from = parseSum(c);
  if (!c.at("arrow")) return from;
  c.next();
  const to = parseSum(c);
  return { type: "map", from, to, column };
}

// sum = term { "+" term }
function parseSum(c: Cursor): RepAst {
  const column = c.peek().column;
  let left = parseTerm(c);
  while (c.at("+")) {
    c.next();
    const right = parseTerm(c);
    left = { type: "sum", left, right, column };
  }
  return left;
}

// term = INT "*" term | product
function parseTerm(c: Cursor): RepAst {
  const t = c.peek();
  if (t.type !== "int") return parseProduct(c);
  c.next();
  const after = c.peek();
  if (after.type === "*") {
    if (t.value === 0) c.fail("a positive multiplicity", t);
    if (!Number.isSafeInteger(t.value)) c.fail("a multiplicity below 2^53", t);
    c.next();
    const rep = parseTerm(c);
    return { type: "multiple", count: t.value, rep, column: t.column };
  }
  if (startsOperand(after) || after.type === "**") {
    return c.fail(`'*' (a multiplicity is written ${t.text}*V)`, after);
  }
  return c.fail("a representation", t, `integer ${t.text} (a multiplicity is written ${t.text}*V)`);
}

// product = power { "*" power }     (a "*" followed by the start of an operand)
function parseProduct(c: Cursor): RepAst {
  const column = c.peek().column;
  let left = parsePower(c);
  while (c.at("*") && startsOperand(c.peek(1))) {
    c.next();
    const t = c.peek();
    if (t.type === "int") {
      c.fail("a representation", t, `integer ${t.text} (multiplicities go first: ${t.text}*V)`);
    }
    const right = parsePower(c);
    left = { type: "tensor", left, right, column };
  }
  return left;
}

// power = dualed [ "**" INT { dual-star } ]
function parsePower(c: Cursor): RepAst {
  const column = c.peek().column;
  const base = parseDualed(c);
  if (!c.at("**")) return base;
  c.next();
  const e = c.peek();
  if (e.type !== "int") {
    const found =
      e.type === "invalid" && e.text === "-"
        ? "'-' (exponents are non-negative integers)"
        : describe(e);
    c.fail("an integer exponent", e, found);
  }
  if (!Number.isSafeInteger(e.value)) c.fail("an exponent below 2^53", e);
  c.next();
  const power = parseDuals(c, { type: "power", rep: base, exponent: e.value, column }, column);
  if (c.at("**")) {
    c.fail("a single exponent", c.peek(), "a second '**' (powers do not chain: write (V**2)**3)");
  }
  return power;
}

// dualed = atom { dual-star }      (a "*" not followed by the start of an operand)
function parseDualed(c: Cursor): RepAst {
  const column = c.peek().column;
  return parseDuals(c, parseAtom(c), column);
}

function parseDuals(c: Cursor, rep: RepAst, column: number): RepAst {
  while (c.at("*") && !startsOperand(c.peek(1))) {
    c.next();
    rep = { type: "dual", rep, column };
  }
  return rep;
}

// atom = "(" map ")" | "V" [ index ] | "T" [ index ] "(" INT [ "," INT ] ")" | "Scalar" | NAME
function parseAtom(c: Cursor): RepAst {
  const t = c.peek();
  if (t.type === "(") {
    c.next();
    const inner = parseMap(c);
    if (c.at("arrow")) c.fail("')'", c.peek(), chainedMap(c.peek()));
    if (!c.at(")")) unclosed(c, t);
    c.next();
    return inner;
  }
  if (t.type !== "name") return c.fail("a representation", t);
  c.next();
  const column = t.column;
  switch (t.text) {
    case "V": {
      const factor = parseFactorIndex(c);
      return factor === undefined ? { type: "V", column } : { type: "V", factor, column };
    }
    case "Scalar":
      return { type: "scalar", column };
    case "T": {
      const factor = parseFactorIndex(c);
      const open = c.expect("(", "'(' and the tensor order, as in T(2) or T(1,1)");
      const p = expectInt(c, "an integer (the number of V factors, p in T(p,q))");
      let q = 0;
      if (c.at(",")) {
        c.next();
        q = expectInt(c, "an integer (the number of dual factors, q in T(p,q))");
      }
      if (!c.at(")")) unclosed(c, open, q === 0 && !c.at(",") ? "',' or ')'" : "')'");
      c.next();
      if (c.at("[")) {
        c.fail(
          "an operator or end of input",
          c.peek(),
          "'[' (the factor index goes first: T[1](2))",
        );
      }
      return factor === undefined
        ? { type: "T", p, q, column }
        : { type: "T", p, q, factor, column };
    }
    default:
      return { type: "named", name: t.text, column };
  }
}

// index = "[" INT "]"
function parseFactorIndex(c: Cursor): number | undefined {
  if (!c.at("[")) return undefined;
  c.next();
  const i = expectInt(c, "a factor index (an integer)");
  c.expect("]", "']'");
  return i;
}

function expectInt(c: Cursor, expected: string): number {
  const t = c.peek();
  if (t.type !== "int") {
    c.fail(expected, t, t.type === "invalid" && t.text === "-" ? "'-' (negative)" : describe(t));
  }
  if (!Number.isSafeInteger(t.value)) c.fail(`${expected} below 2^53`, t);
  c.next();
  return t.value;
}
