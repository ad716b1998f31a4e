// Every error Isotropy throws is an IsotropyError with a stable `code`, so that callers (and the
// CLI's exit codes) can branch on the family without parsing messages.

export type ErrorCode =
  | "E_PARSE"
  | "E_UNKNOWN_NAME"
  | "E_AMBIGUOUS_NAME"
  | "E_INCOMPATIBLE_PLUGIN"
  | "E_INVALID_PLUGIN"
  | "E_DUPLICATE_ENTRY"
  | "E_INVALID_ARGUMENT"
  | "E_SHAPE"
  | "E_CONVERGENCE"
  | "E_LIMIT"
  | "E_BACKEND_UNAVAILABLE";

export class IsotropyError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Text that did not parse: `column` is 1-based and `expected` says what would have fit. */
export class ParseError extends IsotropyError {
  readonly input: string;
  readonly column: number;
  readonly expected: string;

  constructor(input: string, column: number, expected: string, found?: string) {
    const what = found === undefined ? "" : `, found ${found}`;
    const caret = `${" ".repeat(Math.max(0, column - 1))}^`;
    super("E_PARSE", `at column ${column}: expected ${expected}${what}\n  ${input}\n  ${caret}`);
    this.input = input;
    this.column = column;
    this.expected = expected;
  }
}

/** A name that resolves to nothing; `suggestions` holds the nearest known names. */
export class UnknownNameError extends IsotropyError {
  readonly kind: string;
  readonly requested: string;
  readonly suggestions: readonly string[];

  constructor(kind: string, requested: string, suggestions: readonly string[], known?: number) {
    const hint =
      suggestions.length > 0
        ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(", ")}?`
        : known === 0
          ? ` No ${kind} are registered.`
          : "";
    super("E_UNKNOWN_NAME", `Unknown ${singular(kind)} "${requested}".${hint}`);
    this.kind = kind;
    this.requested = requested;
    this.suggestions = suggestions;
  }
}

/** A short name that several plugins provide; `candidates` are the qualified names. */
export class AmbiguousNameError extends IsotropyError {
  readonly candidates: readonly string[];

  constructor(kind: string, requested: string, candidates: readonly string[]) {
    super(
      "E_AMBIGUOUS_NAME",
      `The ${singular(kind)} name "${requested}" is provided by several plugins; ` +
        `write one of ${candidates.map((c) => `"${c}"`).join(", ")}.`,
    );
    this.candidates = candidates;
  }
}

/** A plugin written against a contract version this core does not satisfy. */
export class IncompatiblePluginError extends IsotropyError {
  constructor(plugin: string, wanted: string, provided: string) {
    super(
      "E_INCOMPATIBLE_PLUGIN",
      `Plugin "${plugin}" requires plugin API ${wanted}, but this @isotropy/core provides API ${provided}.`,
    );
  }
}

/** A plugin object whose shape is wrong (missing name, entry without factory, ...). */
export class InvalidPluginError extends IsotropyError {
  constructor(message: string) {
    super("E_INVALID_PLUGIN", message);
  }
}

/** Two plugins claim the same entry name of one kind. */
export class DuplicateEntryError extends IsotropyError {
  constructor(message: string) {
    super("E_DUPLICATE_ENTRY", message);
  }
}

/** An argument that is out of range, non-finite, or of the wrong kind. */
export class InvalidArgumentError extends IsotropyError {
  constructor(message: string) {
    super("E_INVALID_ARGUMENT", message);
  }
}

/** Arrays or tensors whose shapes do not fit: says what was expected and what was given. */
export class ShapeError extends IsotropyError {
  readonly expected: string;
  readonly given: string;

  constructor(what: string, expected: string, given: string) {
    super("E_SHAPE", `${what}: expected shape ${expected}, got ${given}.`);
    this.expected = expected;
    this.given = given;
  }
}

/** A numerical method that did not converge or could not decide (e.g. no gap in a spectrum). */
export class ConvergenceError extends IsotropyError {
  constructor(message: string) {
    super("E_CONVERGENCE", message);
  }
}

/** A problem past a configured size limit; the message names the limit and how to raise it. */
export class LimitExceededError extends IsotropyError {
  constructor(message: string) {
    super("E_LIMIT", message);
  }
}

/** A compute backend that was asked for but cannot run here; `reason` says why. */
export class BackendUnavailableError extends IsotropyError {
  readonly backend: string;
  readonly reason: string;

  constructor(backend: string, reason: string, available: readonly string[] = []) {
    const alt = available.length > 0 ? ` Available: ${available.join(", ")}.` : "";
    super("E_BACKEND_UNAVAILABLE", `Backend "${backend}" is unavailable: ${reason}.${alt}`);
    this.backend = backend;
    this.reason = reason;
  }
}

function singular(kind: string): string {
  return kind === "strategies" ? "strategy" : kind.endsWith("s") ? kind.slice(0, -1) : kind;
}
