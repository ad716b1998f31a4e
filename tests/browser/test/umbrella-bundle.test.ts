import { build } from "esbuild";
import { describe, expect, it } from "vitest";

describe("the isotropy umbrella in a browser bundle", () => {
  it("bundles for the browser: no node: imports (backend-node's browser build stands in)", async () => {
    const result = await build({
      stdin: {
        contents:
          'import { createRegistry, registerBuiltins } from "isotropy";\n' +
          "globalThis.__registry = registerBuiltins(createRegistry());\n",
        resolveDir: import.meta.dirname,
        loader: "js",
      },
      bundle: true,
      write: false,
      format: "esm",
      platform: "browser",
      metafile: true,
      logLevel: "silent",
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((f) => f.includes("backend-node/dist/browser"))).toBe(true);
    expect(inputs.some((f) => f.includes("backend-node/dist/addon"))).toBe(false);
    expect(result.outputFiles[0]!.text).not.toMatch(/from\s*"node:/);
  });
});
