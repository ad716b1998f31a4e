import { register } from "node:module";
import { gradientsRegistered } from "../gradients.js";

// A resolve hook, scoped to @tensorflow/tfjs-core's ES-module files (`dist/*.js`): they import
// each other without file extensions, which bundlers accept and Node does not. The hook adds
// `.js` (or `/index.js`) and marks them as ES modules. Everything else resolves unchanged.
const HOOK = `
const DIST = "/@tensorflow/tfjs-core/dist/";
const BUNDLE = /\\/tf-core[^/]*\\.js$/;
export async function resolve(specifier, context, next) {
  const parent = context.parentURL ?? "";
  if (parent.includes(DIST) && !BUNDLE.test(parent) && specifier.startsWith(".")) {
    if (/\\.m?js$/.test(specifier)) return { ...(await next(specifier, context)), format: "module" };
    try {
      return { ...(await next(specifier + ".js", context)), format: "module" };
    } catch {
      return { ...(await next(specifier + "/index.js", context)), format: "module" };
    }
  }
  const r = await next(specifier, context);
  if (r.url.includes(DIST) && r.url.endsWith("/register_all_gradients.js")) return { ...r, format: "module" };
  return r;
}
`;

let pending: Promise<void> | undefined;

/**
 * Registers TensorFlow.js's gradient functions in Node (idempotent; about a second the first
 * time). tfjs-core's Node bundle leaves them out and its ES-module copy cannot be imported by
 * Node directly, so this installs a resolve hook limited to tfjs-core's `dist/` files and
 * imports `dist/register_all_gradients.js`. The gradients land in tfjs's global registry, which
 * every copy of tfjs-core in the process shares. `@isotropy/train/node` re-exports it (its
 * `train` calls it).
 */
export function registerGradients(): Promise<void> {
  if (gradientsRegistered()) return Promise.resolve();
  pending ??= (async () => {
    register(`data:text/javascript,${encodeURIComponent(HOOK)}`);
    await import("@tensorflow/tfjs-core/dist/register_all_gradients.js");
  })();
  return pending;
}
