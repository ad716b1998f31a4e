// The syntax tree of a group expression, and its canonical text. `column` is 1-based.

/** `Name` or `Name(arg, ...)`: a group built by name from positional arguments. */
export interface GroupNameAst {
  readonly type: "group";
  readonly name: string;
  readonly args: readonly GroupArgAst[];
  readonly column: number;
}

/** `A x B x ...`: the direct product; the parser keeps it flat (two or more factors). */
export interface GroupProductAst {
  readonly type: "product";
  readonly factors: readonly GroupNameAst[];
  readonly column: number;
}

export type GroupAst = GroupNameAst | GroupProductAst;

/** A non-negative integer argument. */
export interface GroupIntArgAst {
  readonly type: "int";
  readonly value: number;
  readonly column: number;
}

/** A slice argument `start:stop`. */
export interface GroupSliceArgAst {
  readonly type: "slice";
  readonly start: number;
  readonly stop: number;
  readonly column: number;
}

export type GroupArgAst = GroupIntArgAst | GroupSliceArgAst | GroupAst;

/**
 * The canonical text of `ast`: arguments joined by `,` without spaces, products joined by ` x `
 * (spaced, so that a factor written without parentheses never swallows the `x`).
 */
export function formatGroupAst(ast: GroupAst): string {
  if (ast.type === "product") return ast.factors.map(formatGroupAst).join(" x ");
  if (ast.args.length === 0) return ast.name;
  return `${ast.name}(${ast.args.map(formatArg).join(",")})`;
}

function formatArg(arg: GroupArgAst): string {
  switch (arg.type) {
    case "int":
      return String(arg.value);
    case "slice":
      return `${arg.start}:${arg.stop}`;
    default:
      return formatGroupAst(arg);
  }
}
