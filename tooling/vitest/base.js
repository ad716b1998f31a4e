// Shared test settings: tests live in test/, and every package writes a JSON report that
// tooling/scripts/check.mjs sums into the one closing line CI reads.
import { defineConfig } from "vitest/config";

export const base = defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", "json"],
    outputFile: { json: ".vitest/report.json" },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // tfjs-core's ES-module files (its gradients, loaded by registerGradients of
    // @isotropy/layers/node) import each other without extensions: left to Vite they are
    // transformed one by one (seconds per test file); externalized, Node loads them through
    // that function's resolve hook (about a second).
    server: { deps: { external: [/@tensorflow\/tfjs-core\/dist\//] } },
  },
});

export default base;
