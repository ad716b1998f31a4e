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
  },
});

export default base;
