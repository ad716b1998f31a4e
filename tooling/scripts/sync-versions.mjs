#!/usr/bin/env node
// After `changeset version` bumps package.json versions, write each package's src/version.ts so
// that the version a plugin reports to the registry is the one that was published.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
for (const top of ["packages", "apps"]) {
  for (const d of readdirSync(join(root, top))) {
    const file = join(root, top, d, "src/version.ts");
    if (!existsSync(file)) continue;
    const { version } = JSON.parse(readFileSync(join(root, top, d, "package.json"), "utf8"));
    const text = readFileSync(file, "utf8").replace(/VERSION = "[^"]*"/, `VERSION = "${version}"`);
    writeFileSync(file, text);
  }
}
