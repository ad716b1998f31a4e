// Builds the test page into a folder: page.js (esbuild bundle of page.ts), index.html, and
// tfjs-backend-wasm's .wasm files under wasm/ (the bundler setting the wasm backend needs).

import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));

/** The folder holding tfjs-backend-wasm's `.wasm` files (resolved like the bundle resolves it). */
export function wasmDir(): string {
  const require = createRequire(join(here, "page.ts"));
  return join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist");
}

/**
 * Writes the page into `dir` and returns the bundle's size in bytes. Fails when the bundle
 * holds more than one copy of tfjs-core (two engines: backends registered in one are invisible
 * to the other).
 */
export async function buildPage(dir: string): Promise<{ bytes: number }> {
  mkdirSync(join(dir, "wasm"), { recursive: true });
  const result = await build({
    entryPoints: [join(here, "page.ts")],
    outfile: join(dir, "page.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    sourcemap: "inline",
    metafile: true,
    logLevel: "silent",
  });
  const cores = new Set(
    Object.keys(result.metafile.inputs)
      .map((f) => /^(.*\/@tensorflow\/tfjs-core)\//.exec(f)?.[1])
      .filter((f): f is string => f !== undefined),
  );
  if (cores.size !== 1) {
    throw new Error(`the page bundles ${cores.size} copies of tfjs-core: ${[...cores].join(", ")}`);
  }
  // tfjs-backend-wasm fetches tfjs-backend-wasm{,-simd,-threaded-simd}.wasm from `wasmPaths`.
  for (const f of readdirSync(wasmDir())) {
    if (f.endsWith(".wasm")) copyFileSync(join(wasmDir(), f), join(dir, "wasm", f));
  }
  writeFileSync(
    join(dir, "index.html"),
    '<!doctype html>\n<meta charset="utf-8">\n<link rel="icon" href="data:,">\n<title>isotropy backends</title>\n<script type="module" src="./page.js"></script>\n',
  );
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  return { bytes };
}
