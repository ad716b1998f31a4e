// The syntax tree of a representation expression, and its canonical text.
//
// Every node carries `column`: the 1-based column where its text starts (for a node written in
// parentheses, where its first token starts). Parentheses leave no node of their own.

/** `V`, or `V[i]`: the base representation (of factor `i` of a product group). */
export interface RepBaseAst {
  readonly type: "V";
  readonly factor?: number;
  readonly column: number;
}

/** `Scalar`: the trivial one-dimensional representation. */
export interface RepScalarAst {
  readonly type: "scalar";
  readonly column: number;
}

/** `T(p)`, `T(p,q)`, `T[i](p,q)`: p copies of V and q of its dual, tensored. */
export interface RepTensorPowerAst {
  readonly type: "T";
  readonly p: number;
  readonly q: number;
  readonly factor?: number;
  readonly column: number;
}

/** Any other identifier: a representation the builder knows by name. */
export interface RepNamedAst {
  readonly type: "named";
  readonly name: string;
  readonly column: number;
}

/** `r*`: the dual representation. */
export interface RepDualAst {
  readonly type: "dual";
  readonly rep: RepAst;
  readonly column: number;
}

/** `r**k`: the k-fold tensor power. */
export interface RepPowerAst {
  readonly type: "power";
  readonly rep: RepAst;
  readonly exponent: number;
  readonly column: number;
}

/** `n*r`: n copies of r, summed. */
export interface RepMultipleAst {
  readonly type: "multiple";
  readonly count: number;
  readonly rep: RepAst;
  readonly column: number;
}

/** `a*b`: the tensor product. */
export interface RepTensorAst {
  readonly type: "tensor";
  readonly left: RepAst;
  readonly right: RepAst;
  readonly column: number;
}

/** `a + b`: the direct sum. */
export interface RepSumAst {
  readonly type: "sum";
  readonly left: RepAst;
  readonly right: RepAst;
  readonly column: number;
}

/** `a >> b` (or `a -> b`): linear maps from a to b, as a representation. */
export interface RepMapAst {
  readonly type: "map";
  readonly from: RepAst;
  readonly to: RepAst;
  readonly column: number;
}

export type RepAst =
  | RepBaseAst
  | RepScalarAst
  | RepTensorPowerAst
  | RepNamedAst
  | RepDualAst
  | RepPowerAst
  | RepMultipleAst
  | RepTensorAst
  | RepSumAst
  | RepMapAst;

// Binding strength, loosest first. `multiple` sits below `tensor` because `2*V*W` reads as
// 2*(V*W): a multiplicity applies to the whole product after it.
const MAP = 0;
const SUM = 1;
const MULTIPLE = 2;
const TENSOR = 3;
const POWER = 4;
const DUAL = 5;
const ATOM = 6;

function strength(ast: RepAst): number {
  switch (ast.type) {
    case "map":
      return MAP;
    case "sum":
      return SUM;
    case "multiple":
      return MULTIPLE;
    case "tensor":
      return TENSOR;
    case "power":
      return POWER;
    case "dual":
      return DUAL;
    default:
      return ATOM;
  }
}

/**
 * The canonical text of `ast`: spaces around `+` and `>>`, none around `*` and `**`, and only the
 * parentheses the precedence needs. `parseRepAst(formatRepAst(a))` equals `a` up to columns.
 */
export function formatRepAst(ast: RepAst): string {
  switch (ast.type) {
    case "V":
      return ast.factor === undefined ? "V" : `V[${ast.factor}]`;
    case "scalar":
      return "Scalar";
    case "T": {
      const index = ast.factor === undefined ? "" : `[${ast.factor}]`;
      return `T${index}(${ast.q === 0 ? ast.p : `${ast.p},${ast.q}`})`;
    }
    case "named":
      return ast.name;
    case "dual":
      return `${beforeStar(operand(ast.rep, POWER))}*`;
    case "power":
      return `${beforeStar(operand(ast.rep, DUAL))}**${ast.exponent}`;
    case "multiple":
      return `${ast.count}*${operand(ast.rep, MULTIPLE)}`;
    case "tensor":
      return `${beforeStar(operand(ast.left, TENSOR))}*${operand(ast.right, POWER)}`;
    case "sum":
      return `${operand(ast.left, SUM)} + ${operand(ast.right, MULTIPLE)}`;
    case "map":
      return `${operand(ast.from, SUM)} >> ${operand(ast.to, SUM)}`;
  }
}

function operand(ast: RepAst, weakest: number): string {
  const text = formatRepAst(ast);
  return strength(ast) < weakest ? `(${text})` : text;
}

// A `*` written right after text that ends in `*` would lex as `**` (a power): parenthesise.
function beforeStar(text: string): string {
  return text.endsWith("*") ? `(${text})` : text;
}
