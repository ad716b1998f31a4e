import { register } from "node:module";
import * as tf from "@tensorflow/tfjs-core";

// tfjs-core's Node bundle leaves its gradient functions out, and their ES-module files import
// each other without extensions. For the tests, a resolve hook limited to tfjs-core's dist/
// files adds the extension and marks them as modules (@isotropy/train/node does the same for
// real training runs).
const HOOK = `
const DIST = "/@tensorflow/tfjs-core/dist/";
export async function resolve(specifier, context, next) {
  const parent = context.parentURL ?? "";
  if (parent.includes(DIST) && !/\\/tf-core[^/]*\\.js$/.test(parent) && specifier.startsWith(".")) {
    if (/\\.js$/.test(specifier)) return { ...(await next(specifier, context)), format: "module" };
    try {
      return { ...(await next(specifier + ".js", context)), format: "module" };
    } catch {
      return { ...(await next(specifier + "/index.js", context)), format: "module" };
    }
  }
  const r = await next(specifier, context);
  return r.url.includes(DIST) && r.url.endsWith("/register_all_gradients.js") ? { ...r, format: "module" } : r;
}
`;

export async function registerGradients(): Promise<void> {
  if (tf.getGradient("BatchMatMul") !== undefined) return;
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`);
  await import("@tensorflow/tfjs-core/dist/register_all_gradients.js");
}
