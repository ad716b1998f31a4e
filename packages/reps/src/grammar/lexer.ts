// The tokenizer shared by the group and the representation grammars. Columns are 1-based and
// count code points, so that a caret drawn under the input lines up with what the user typed.

/** What a token is; punctuation stands for itself. */
export type TokenType =
  | "name"
  | "int"
  | "("
  | ")"
  | "["
  | "]"
  | ","
  | ":"
  | "+"
  | "*"
  | "**"
  | "arrow"
  | "times"
  | "invalid"
  | "eof";

export interface Token {
  readonly type: TokenType;
  /** The exact source text ("" for end of input). */
  readonly text: string;
  /** 1-based column (in code points) of the first character. */
  readonly column: number;
  /** The value of an `int` token; NaN for every other type. */
  readonly value: number;
  /** Whether whitespace separates this token from the previous one. */
  readonly spaceBefore: boolean;
}

/**
 * `group`: names may end in `+` (`SO+`), `x` right after `)` and `×` are the product operator,
 * `:` separates slice bounds. `rep`: `+`, `*`, `**`, `>>`, `->`, `[`, `]` are operators.
 */
export type LexMode = "group" | "rep";

/** Splits `text` into tokens; the last one is always `eof`. Never throws: stray characters become `invalid` tokens, which the parser reports in context. */
export function tokenize(text: string, mode: LexMode): Token[] {
  const chars = Array.from(text);
  const n = chars.length;
  const tokens: Token[] = [];
  let i = 0;
  let spaceBefore = false;
  const push = (type: TokenType, end: number, value = Number.NaN): void => {
    tokens.push({ type, text: chars.slice(i, end).join(""), column: i + 1, value, spaceBefore });
    spaceBefore = false;
    i = end;
  };
  while (i < n) {
    const c = chars[i]!;
    if (/\s/u.test(c)) {
      spaceBefore = true;
      i++;
      continue;
    }
    const prev = tokens[tokens.length - 1];
    if (mode === "group" && c === "x" && prev?.type === ")" && !spaceBefore) {
      push("times", i + 1);
      continue;
    }
    if (isDigit(c)) {
      let j = i;
      while (j < n && isDigit(chars[j]!)) j++;
      push("int", j, Number(chars.slice(i, j).join("")));
      continue;
    }
    const end = scanName(chars, i, mode);
    if (end > i) {
      push("name", end);
      continue;
    }
    const pair = c + (chars[i + 1] ?? "");
    if (mode === "rep" && pair === "**") push("**", i + 2);
    else if (mode === "rep" && (pair === ">>" || pair === "->")) push("arrow", i + 2);
    else if (mode === "group" && c === "×") push("times", i + 1);
    else if (c === "(" || c === ")" || c === ",") push(c, i + 1);
    else if (mode === "group" && c === ":") push(":", i + 1);
    else if (mode === "rep" && (c === "[" || c === "]" || c === "+" || c === "*")) push(c, i + 1);
    else push("invalid", i + 1);
  }
  tokens.push({ type: "eof", text: "", column: n + 1, value: Number.NaN, spaceBefore });
  return tokens;
}

/**
 * The end of a name starting at `i`, or `i` when none starts there. A name is an identifier
 * `[A-Za-z][A-Za-z0-9_]*`, optionally qualified by plugin segments (`@scope/plugin/Name`, as the
 * registry resolves them) and, in group mode, followed by one `+` (`SO+`).
 */
function scanName(chars: string[], i: number, mode: LexMode): number {
  let start = i;
  let k = i;
  for (;;) {
    let m = k;
    if (chars[m] === "@") m++;
    const segment = m;
    while (m < chars.length && /[A-Za-z0-9_.-]/.test(chars[m]!)) m++;
    if (m === segment || chars[m] !== "/") break;
    k = m + 1;
    if (isLetter(chars[k])) start = k;
    else break;
  }
  if (start !== i && !isLetter(chars[i]) && chars[i] !== "@") start = i;
  if (!isLetter(chars[start])) return i;
  let j = start + 1;
  while (j < chars.length && /[A-Za-z0-9_]/.test(chars[j]!)) j++;
  if (mode === "group" && chars[j] === "+") j++;
  return j;
}

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

function isLetter(c: string | undefined): boolean {
  return c !== undefined && /^[A-Za-z]$/.test(c);
}
