import { definePlugin } from "@isotropy/core";
import { approximateStrategies } from "./approximate/index.js";
import { breakingStrategies } from "./strategies/index.js";
import { VERSION } from "./version.js";

/** Symmetry-breaking and relaxation strategies: this package's entries in the Isotropy registry. */
export const plugin = definePlugin({
  name: "@isotropy/relax",
  version: VERSION,
  apiVersion: "^1",
  description: "Symmetry-breaking and relaxation strategies",
  strategies: { ...breakingStrategies, ...approximateStrategies },
});
