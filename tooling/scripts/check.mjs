#!/usr/bin/env node
// The one test command (README, .ci/run): build, typecheck and lint through turbo, prove the
// packages are publishable, run every package's tests through turbo, then close with one summary
// line summed from the per-package vitest JSON reports ("tests: N passed, N failed, N skipped").
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };

function step(cmd, args) {
  console.log(`\n> ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env });
  return r.status ?? 1;
}

function packageDirs() {
  return ["packages", "apps", "examples", "tests"].flatMap((top) =>
    existsSync(join(root, top))
      ? readdirSync(join(root, top))
          .map((d) => join(root, top, d))
          .filter((d) => existsSync(join(d, "package.json")))
      : [],
  );
}

let status = step("pnpm", [
  "exec",
  "turbo",
  "run",
  "build",
  "typecheck",
  "lint",
  "--output-logs=errors-only",
]);
if (status === 0) status = step("node", [join(root, "tooling/scripts/check-pack.mjs")]);

const totals = { passed: 0, failed: 0, skipped: 0 };
if (status === 0) {
  for (const d of packageDirs()) rmSync(join(d, ".vitest"), { recursive: true, force: true });
  status = step("pnpm", ["exec", "turbo", "run", "test", "--concurrency=2", "--output-logs=full"]);
  for (const d of packageDirs()) {
    const report = join(d, ".vitest/report.json");
    if (!existsSync(report)) continue;
    const r = JSON.parse(readFileSync(report, "utf8"));
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests;
    totals.skipped += r.numPendingTests + r.numTodoTests;
  }
  if (totals.passed + totals.failed === 0 && status === 0) status = 1;
} else {
  console.log("\nbuild, typecheck, lint or packing failed: tests were not run");
}
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(status);
