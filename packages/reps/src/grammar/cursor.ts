// A read position in a token list, with the error helpers both parsers share.

import { ParseError } from "@isotropy/core";
import type { Token, TokenType } from "./lexer.js";

export class Cursor {
  private index = 0;

  constructor(
    readonly text: string,
    private readonly tokens: readonly Token[],
  ) {}

  /** The token `ahead` places after the current one (end of input past the end). */
  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)]!;
  }

  at(type: TokenType): boolean {
    return this.peek().type === type;
  }

  /** Consumes and returns the current token. */
  next(): Token {
    const t = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return t;
  }

  /** Consumes a token of `type` or fails, saying `expected`. */
  expect(type: TokenType, expected: string): Token {
    if (!this.at(type)) this.fail(expected);
    return this.next();
  }

  /** Throws a ParseError at `token` (the current one by default). */
  fail(expected: string, token: Token = this.peek(), found: string = describe(token)): never {
    throw new ParseError(this.text, token.column, expected, found);
  }
}

/** How a token is named in "found ..." of an error message. */
export function describe(token: Token): string {
  switch (token.type) {
    case "eof":
      return "end of input";
    case "int":
      return `integer ${token.text}`;
    case "name":
      return `name '${token.text}'`;
    case "invalid":
      return `unexpected character '${token.text}'`;
    default:
      return `'${token.text}'`;
  }
}

/** The ParseError for a `(` at `open` that is still open where `token` stands. */
export function unclosed(cursor: Cursor, open: Token, expected = "')'"): never {
  const t = cursor.peek();
  const found =
    t.type === "eof"
      ? `end of input (the '(' at column ${open.column} is never closed)`
      : describe(t);
  return cursor.fail(expected, t, found);
}
