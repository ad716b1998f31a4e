#!/usr/bin/env node
// Proves every public package is publishable without publishing: `pnpm pack` each one and check
// the tarball holds dist (JS + .d.ts for every export), README and LICENSE, no tests, no
// `workspace:` ranges, and source maps whose sources are inside the tarball.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "isotropy-pack-"));
const problems = [];
let count = 0;

for (const top of ["packages", "apps"]) {
  for (const d of readdirSync(join(root, top))) {
    const dir = join(root, top, d);
    if (!existsSync(join(dir, "package.json"))) continue;
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    if (pkg.private) continue;
    count++;
    const out = join(work, d);
    execFileSync("pnpm", ["pack", "--pack-destination", out], { cwd: dir, stdio: "pipe" });
    const tgz = readdirSync(out).find((f) => f.endsWith(".tgz"));
    execFileSync("tar", ["-xzf", join(out, tgz), "-C", out]);
    const base = join(out, "package");
    const files = listFiles(base);
    const has = (f) => files.includes(f);
    const bad = (why) => problems.push(`${pkg.name}: ${why}`);
    for (const f of ["package.json", "README.md", "LICENSE", "dist/index.js", "dist/index.d.ts"]) {
      if (!has(f)) bad(`missing ${f}`);
    }
    for (const f of files) {
      if (/(^|\/)test\/|\.test\.[cm]?[jt]s$/.test(f)) bad(`ships a test file ${f}`);
      if (f.endsWith(".map")) {
        const map = JSON.parse(readFileSync(join(base, f), "utf8"));
        for (const s of map.sources ?? []) {
          const target = resolve(dirname(join(base, f)), map.sourceRoot ?? "", s);
          if (!existsSync(target)) bad(`${f} maps to missing ${s}`);
        }
      }
    }
    const packed = JSON.parse(readFileSync(join(base, "package.json"), "utf8"));
    for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
      for (const [name, range] of Object.entries(packed[field] ?? {})) {
        if (String(range).startsWith("workspace:")) bad(`${field}.${name} is still ${range}`);
      }
    }
    for (const target of exportTargets(packed.exports)) {
      if (!existsSync(join(base, target))) bad(`exports target ${target} is not in the tarball`);
    }
    for (const target of Object.values(packed.bin ?? {})) {
      if (!existsSync(join(base, target))) bad(`bin ${target} is not in the tarball`);
    }
    if (packed.publishConfig?.access !== "public") bad("publishConfig.access is not public");
  }
}
rmSync(work, { recursive: true, force: true });

if (problems.length > 0) {
  console.error(`pack check: ${problems.length} problems\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`pack check: ${count} public packages are publishable`);

function listFiles(dir, prefix = "") {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

function exportTargets(exp) {
  if (typeof exp === "string") return exp.includes("*") ? [] : [exp];
  if (exp === null || typeof exp !== "object") return [];
  return Object.values(exp).flatMap(exportTargets);
}
