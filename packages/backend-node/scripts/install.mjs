// Builds the native addon with node-gyp against the local Node headers. Never fails the install:
// a failed build writes its output to build/addon-error.txt and exits 0, and the backend then
// reports itself unavailable with that text. `--strict` (build:native) exits non-zero instead.
// ISOTROPY_NODE_SKIP_BUILD=1 skips the build (recorded as the reason).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const strict = process.argv.includes("--strict");
const buildDir = join(root, "build");
const errorFile = join(buildDir, "addon-error.txt");

function fail(reason) {
  mkdirSync(buildDir, { recursive: true });
  writeFileSync(errorFile, `${reason.trim()}\n`);
  console.warn(
    `@isotropy/backend-node: native addon not built; the "node" backend will report unavailable.\n${reason.trim().split("\n").slice(-15).join("\n")}`,
  );
  process.exit(strict ? 1 : 0);
}

rmSync(errorFile, { force: true });
if (process.env.ISOTROPY_NODE_SKIP_BUILD === "1")
  fail("build skipped (ISOTROPY_NODE_SKIP_BUILD=1)");

let gyp;
try {
  gyp = createRequire(import.meta.url).resolve("node-gyp/bin/node-gyp.js");
} catch (e) {
  fail(`node-gyp not found: ${e instanceof Error ? e.message : String(e)}`);
}

// Local headers, never a download: npm_config_nodedir if set, else the prefix of this node
// when it carries include/node/node_api.h (Debian's /usr).
const env = { ...process.env };
if (!env.npm_config_nodedir) {
  const prefix = join(dirname(process.execPath), "..");
  if (existsSync(join(prefix, "include", "node", "node_api.h"))) env.npm_config_nodedir = prefix;
}
const jobs = String(Math.max(1, Math.min(4, (await import("node:os")).availableParallelism())));
const r = spawnSync(process.execPath, [gyp, "rebuild", "--release", `--jobs=${jobs}`], {
  cwd: root,
  env,
  encoding: "utf8",
  maxBuffer: 64 * 1024 * 1024,
});
const output = `${r.stdout ?? ""}\n${r.stderr ?? ""}`;
if (r.error) fail(`node-gyp could not run: ${r.error.message}\n${output}`);
if (r.status !== 0) fail(`node-gyp rebuild exited with ${r.status}\n${output}`);
const built = join(buildDir, "Release", "isotropy_backend_node.node");
if (!existsSync(built)) fail(`node-gyp succeeded but ${built} is missing\n${output}`);
// Load it once here so a link error (e.g. a missing libopenblas at run time) is caught now.
try {
  createRequire(import.meta.url)(built);
} catch (e) {
  fail(`the built addon does not load: ${e instanceof Error ? e.message : String(e)}`);
}
console.log(`@isotropy/backend-node: native addon built (${built}).`);
