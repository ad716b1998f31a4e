export { Matrix } from "./matrix.js";
export type { LinearOperator } from "./operator.js";
export { VERSION } from "./version.js";
