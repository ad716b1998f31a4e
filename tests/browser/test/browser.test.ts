import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPage } from "../src/bundle.js";
import { CHROMIUM, hasChromium, type PageRun, runPage } from "../src/chromium.js";
import type { BackendRun } from "../src/results.js";
import { type Served, serve } from "../src/server.js";

/**
 * The browser tests skip only when Chromium is absent AND ISOTROPY_REQUIRE_BROWSER is unset;
 * with it set (CI, where `chromium` was installed) a missing browser fails a test instead.
 */
const required = Boolean(process.env.ISOTROPY_REQUIRE_BROWSER);

it.runIf(required)("ISOTROPY_REQUIRE_BROWSER is set: Chromium is installed", () => {
  expect(hasChromium(), `${CHROMIUM} is absent (apt-get install chromium)`).toBe(true);
});

/** How long one page may take to report (SwiftShader is slow, the machine shared). */
const PAGE_TIMEOUT_MS = 150_000;

let dir: string;
let server: Served;
/** The pages' runs, started once each and shared by the tests that read them. */
const pages = new Map<string, Promise<PageRun>>();

function page(query: string): Promise<PageRun> {
  let run = pages.get(query);
  if (!run) {
    run = runPage(`${server.url}${query}`, PAGE_TIMEOUT_MS);
    run.catch(() => {});
    pages.set(query, run);
  }
  return run;
}

function find(run: PageRun, backend: string): BackendRun {
  const r = run.results.runs.find((x) => x.backend === backend);
  if (!r) throw new Error(`no run for ${backend}`);
  if (!r.ok)
    throw new Error(`${backend} failed in the page: ${r.error}\n${run.console.join("\n")}`);
  return r;
}

/**
 * matMul (every case but `except`), EMLP forward, loss and gradients within 1e-4 of cpu;
 * equivariance at cpu's level.
 */
function expectParity(run: PageRun, r: BackendRun, except: readonly string[] = []): void {
  for (const m of r.matMul) {
    if (!except.includes(m.case))
      expect(m.relErr, `matMul ${m.case}: ${m.error}`).toBeLessThan(1e-4);
  }
  expect(r.matMul.length).toBeGreaterThan(0);
  expect(r.forward, "EMLP forward").toBeLessThan(1e-4);
  expect(r.loss, "EMLP loss").toBeLessThan(1e-4);
  expect(r.gradCount).toBe(run.results.cpu.gradCount);
  expect(r.gradCount).toBeGreaterThan(0);
  expect(r.grads, "EMLP gradients (largest)").toBeLessThan(1e-4);
  expect(run.results.cpu.equivariance).toBeLessThan(1e-5);
  expect(r.equivariance).toBeLessThan(1e-5);
  expect(r.equivariance).toBeLessThan(Math.max(10 * run.results.cpu.equivariance, 1e-6));
}

describe.runIf(hasChromium())("the backends in headless Chromium", { timeout: 200_000 }, () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "isotropy-browser-"));
    await buildPage(dir);
    server = await serve(dir);
  });

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("webgpu: navigator.gpu found, auto picks it, matMul and EMLP(32) match cpu", async () => {
    const run = await page("?backends=webgpu");
    const status = run.results.backends.webgpu;
    expect(status?.available, status?.reason).toBe(true);
    expect(status?.capabilities).toMatchObject({ route: "navigator.gpu", syncReads: true });
    expect(status?.priority).toBe(30);
    expect(run.results.auto).toBe("webgpu");
    const r = find(run, "webgpu");
    expect(r.tfName).toBe("webgpu");
    expectParity(run, r);
  });

  it("wasm: SIMD, .wasm files from wasmPaths, matMul and EMLP(32) match cpu", async () => {
    const run = await page("?backends=wasm");
    expect(run.results.crossOriginIsolated).toBe(false);
    expect(run.results.backends.wasm?.capabilities).toMatchObject({ simd: true, threads: false });
    const r = find(run, "wasm");
    expect(r.tfName).toBe("wasm");
    expectParity(run, r);
  });

  it("wasm in a cross-origin-isolated page: threads, same numbers", async () => {
    const run = await page("?backends=wasm&isolated");
    expect(run.results.crossOriginIsolated).toBe(true);
    expect(run.results.backends.wasm?.capabilities).toMatchObject({ simd: true, threads: true });
    expectParity(run, find(run, "wasm"));
  });
});
