// Kept equal to package.json by `pnpm version-packages` (tooling/scripts/sync-versions.mjs).
export const VERSION = "0.0.0";
