// Prints "1" when OpenBLAS (cblas.h + libopenblas) is present and wanted, else "0";
// with --include, the include directory. ISOTROPY_NODE_BLAS=bundled forces the bundled SGEMM.
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const includeDirs = [
  "/usr/include/x86_64-linux-gnu/openblas-pthread",
  "/usr/include/aarch64-linux-gnu/openblas-pthread",
  "/usr/include/openblas",
  "/usr/local/include/openblas",
  "/opt/homebrew/opt/openblas/include",
  "/usr/include",
];
const libs = [
  "/usr/lib/x86_64-linux-gnu/libopenblas.so",
  "/usr/lib/aarch64-linux-gnu/libopenblas.so",
  "/usr/lib64/libopenblas.so",
  "/usr/lib/libopenblas.so",
  "/usr/local/lib/libopenblas.so",
];
const forced = (process.env.ISOTROPY_NODE_BLAS ?? "").toLowerCase();
const include = includeDirs.find(
  (d) => existsSync(join(d, "cblas.h")) && existsSync(join(d, "openblas_config.h")),
);
const lib = libs.find((l) => existsSync(l));
const use = forced !== "bundled" && include !== undefined && lib !== undefined;
process.stdout.write(process.argv.includes("--include") ? (use ? include : "") : use ? "1" : "0");
