export {
  formatGroupAst,
  type GroupArgAst,
  type GroupAst,
  type GroupIntArgAst,
  type GroupNameAst,
  type GroupProductAst,
  type GroupSliceArgAst,
} from "./group-ast.js";
export {
  evaluateGroupAst,
  type GroupArg,
  type GroupBuilder,
  parseGroup,
  registryGroupBuilder,
} from "./group-builder.js";
export { parseGroupAst } from "./group-parser.js";
export { type LexMode, type Token, type TokenType, tokenize } from "./lexer.js";
export { PositionedUnknownNameError } from "./positioned-error.js";
export {
  formatRepAst,
  type RepAst,
  type RepBaseAst,
  type RepDualAst,
  type RepMapAst,
  type RepMultipleAst,
  type RepNamedAst,
  type RepPowerAst,
  type RepScalarAst,
  type RepSumAst,
  type RepTensorAst,
  type RepTensorPowerAst,
} from "./rep-ast.js";
export {
  BUILTIN_REP_NAMES,
  evaluateRepAst,
  parseRep,
  parseRepMap,
  type RepBuilder,
} from "./rep-builder.js";
export { parseRepAst, parseRepMapAst } from "./rep-parser.js";
