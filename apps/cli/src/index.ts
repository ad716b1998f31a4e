export { type Io, printJson, processIo } from "./io.js";
export { buildProgram, EXIT_USAGE, run } from "./program.js";
export { VERSION } from "./version.js";
