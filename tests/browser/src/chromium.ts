// Headless Chromium through playwright-core: Debian's `chromium` package (never a browser
// downloaded by `playwright install`), with WebGPU enabled (SwiftShader on a machine without a
// GPU).

import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import type { PageGlobals, PageResults } from "./results.js";

/** The Chromium binary: `ISOTROPY_CHROMIUM`, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM = process.env.ISOTROPY_CHROMIUM ?? "/usr/bin/chromium";

/** Whether the binary is there. */
export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

const ARGS = [
  "--enable-unsafe-webgpu",
  "--no-sandbox",
  "--disable-gpu-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export interface PageRun {
  readonly results: PageResults;
  /** The page's console lines and uncaught errors, for a failure's message. */
  readonly console: readonly string[];
  readonly ms: number;
}

/**
 * Opens `url` in headless Chromium and waits (at most `timeoutMs`) for the page to leave its
 * results on `globalThis.__results`; throws with the page's error and console otherwise. The
 * browser is always closed.
 */
export async function runPage(url: string, timeoutMs: number): Promise<PageRun> {
  const t0 = performance.now();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright adds --disable-gpu in headless mode, which turns WebGPU off.
    ignoreDefaultArgs: ["--disable-gpu"],
    args: ARGS,
    timeout: 30_000,
  });
  const lines: string[] = [];
  try {
    const page = await browser.newPage();
    page.on("console", (m) => lines.push(`${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => lines.push(`pageerror: ${e.message}`));
    await page.goto(url, { timeout: 30_000 });
    await page
      .waitForFunction(
        () => {
          const g = globalThis as PageGlobals;
          return g.__results !== undefined || g.__error !== undefined;
        },
        undefined,
        { timeout: timeoutMs, polling: 250 },
      )
      .catch((e: unknown) => {
        throw new Error(
          `the page gave no results within ${timeoutMs} ms (${(e as Error).message})\n${lines.join("\n")}`,
        );
      });
    const { __results, __error } = await page.evaluate(() => {
      const g = globalThis as PageGlobals;
      return { __results: g.__results, __error: g.__error };
    });
    if (__error !== undefined || __results === undefined) {
      throw new Error(`the page failed: ${__error}\n${lines.join("\n")}`);
    }
    return { results: __results, console: lines, ms: performance.now() - t0 };
  } finally {
    await browser.close();
  }
}
