import { UnknownNameError } from "@isotropy/core";

/**
 * An UnknownNameError raised while evaluating parsed text: the same `kind`, `requested` and
 * `suggestions`, with the 1-based `column` of the name in `input` added to the message (and a
 * caret under it, as ParseError draws). `instanceof UnknownNameError` holds, `code` is still
 * `E_UNKNOWN_NAME` and `name` is still "UnknownNameError"; `cause` is the original error.
 */
export class PositionedUnknownNameError extends UnknownNameError {
  readonly column: number;
  readonly input: string | undefined;

  constructor(original: UnknownNameError, column: number, input?: string, hint?: string) {
    super(original.kind, original.requested, original.suggestions);
    this.name = "UnknownNameError";
    this.column = column;
    this.input = input;
    this.cause = original;
    const width = Math.max(1, Array.from(original.requested).length);
    const where =
      input === undefined
        ? ""
        : `\n  ${input}\n  ${" ".repeat(Math.max(0, column - 1))}${"^".repeat(width)}`;
    this.message = `at column ${column}: ${original.message}${hint ? ` ${hint}` : ""}${where}`;
  }
}

/** `error` positioned at `column`, unless it already carries a position. */
export function positioned(
  error: UnknownNameError,
  column: number,
  input?: string,
  hint?: string,
): UnknownNameError {
  return error instanceof PositionedUnknownNameError
    ? error
    : new PositionedUnknownNameError(error, column, input, hint);
}
