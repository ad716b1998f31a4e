// A static file server for the built page on 127.0.0.1 (a secure context, as navigator.gpu
// needs). With `?isolated` in the page's URL it sends the COOP/COEP headers that make the page
// cross-origin isolated (SharedArrayBuffer: tfjs-backend-wasm's threads).

import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  // instantiateStreaming refuses any other type.
  ".wasm": "application/wasm",
};

export interface Served {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `dir` until `close()`. */
export async function serve(dir: string): Promise<Served> {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = normalize(url.pathname === "/" ? "/index.html" : url.pathname);
    const headers: Record<string, string> = {
      "Cache-Control": "no-store",
      "Cross-Origin-Resource-Policy": "same-origin",
    };
    if (url.searchParams.has("isolated")) {
      headers["Cross-Origin-Opener-Policy"] = "same-origin";
      headers["Cross-Origin-Embedder-Policy"] = "require-corp";
    }
    try {
      if (path.includes("..")) throw new Error("outside the folder");
      const body = await readFile(join(dir, path));
      const type = TYPES[extname(path)] ?? "application/octet-stream";
      res.writeHead(200, { ...headers, "Content-Type": type }).end(body);
    } catch {
      res.writeHead(404, headers).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
