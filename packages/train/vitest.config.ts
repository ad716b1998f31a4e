import base from "@isotropy/vitest-config";
import { defineConfig, mergeConfig } from "vitest/config";

// tfjs-core's gradient files are ES modules with extensionless imports: left to Vite they are
// transformed one by one (seconds per test file); externalized, Node loads them through the
// resolve hook of src/node/register-gradients.ts (about a second).
export default mergeConfig(
  base,
  defineConfig({ test: { server: { deps: { external: [/@tensorflow\/tfjs-core\/dist\//] } } } }),
);
