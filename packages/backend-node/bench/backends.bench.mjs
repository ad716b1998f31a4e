// A thin wrapper over `isotropy bench backends --json --bundled` (apps/cli/src/bench/backends.ts,
// the one implementation): per available backend matMul GFLOP/s at 256..2048 (cpu up to 512),
// raw SGEMM through the addon (its BLAS, and the bundled kernel), and one EMLP(384) training
// step (batch 500) on the inertia task, with the target ratios. Prints ONE JSON object.
// Usage: node bench/backends.bench.mjs [--threads N] [--reps 3] [--sizes 256,512] [--no-emlp]
// Needs `pnpm build` of this package and of apps/cli. The CLI is imported by path, not declared
// as a dependency: @isotropy/cli depends on this package, and turbo refuses a cycle.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const cli = new URL("../../../apps/cli/dist/index.js", import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  throw new Error(`${fileURLToPath(cli)} is missing: run \`pnpm run build\` in apps/cli first.`);
}
const { run } = await import(cli.href);
process.exitCode = await run([
  "bench",
  "backends",
  "--json",
  "--bundled",
  ...process.argv.slice(2),
]);
