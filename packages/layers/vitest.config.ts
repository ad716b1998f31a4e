import base from "@isotropy/vitest-config";
import { defineConfig, mergeConfig } from "vitest/config";

// tfjs-core's gradient files are loaded by Node through the resolve hook of test/gradients.ts
// (transformed by Vite they would cost seconds per test file).
export default mergeConfig(
  base,
  defineConfig({ test: { server: { deps: { external: [/@tensorflow\/tfjs-core\/dist\//] } } } }),
);
