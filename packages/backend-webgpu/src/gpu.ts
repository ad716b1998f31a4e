// Finding a WebGPU adapter: `navigator.gpu` in browsers, Dawn (the optional `webgpu` package) in
// Node. Each route is tried in order; every request has a timeout, and nothing here throws: a
// failure comes back as a reason naming the route that failed.

/** The parts of the WebGPU API this package touches (no dependency on @webgpu/types). */
export interface GpuAdapterInfo {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
}

export interface GpuDeviceLostInfo {
  readonly reason?: string;
  readonly message?: string;
}

export interface GpuDevice {
  readonly lost: Promise<GpuDeviceLostInfo>;
  destroy(): void;
}

export interface GpuAdapter {
  readonly info?: GpuAdapterInfo;
  readonly isFallbackAdapter?: boolean;
  readonly features: { has(name: string): boolean };
  readonly limits: Record<string, number>;
  requestDevice(descriptor?: Record<string, unknown>): Promise<GpuDevice>;
}

export interface Gpu {
  requestAdapter(options?: Record<string, unknown>): Promise<GpuAdapter | null>;
}

/** One way of reaching an adapter: which GPU object and which request options. */
export interface GpuRoute {
  /** E.g. `navigator.gpu`, `dawn (default backends)`, `dawn (backend=opengles)`. */
  readonly name: string;
  readonly gpu: Gpu;
  /** Options for `requestAdapter` (a `featureLevel`, a `powerPreference`). */
  readonly options: Readonly<Record<string, unknown>>;
}

/** The adapter a route found, described for `capabilities`. */
export interface AdapterReport {
  readonly route: string;
  /** `core` or `compatibility` (OpenGL ES and other downlevel APIs). */
  readonly featureLevel: "core" | "compatibility";
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** The adapter says it is a fallback adapter (`isFallbackAdapter`). */
  readonly fallback: boolean;
  /** A CPU rasteriser (llvmpipe, lavapipe, SwiftShader, ...): fine for correctness, not speed. */
  readonly software: boolean;
}

export type GpuFound =
  | { readonly ok: true; readonly route: GpuRoute; readonly adapter: AdapterReport }
  | { readonly ok: false; readonly reason: string };

/** Milliseconds to wait for `requestAdapter` / `requestDevice` before giving up. */
export const DEFAULT_TIMEOUT_MS = 10_000;

const SOFTWARE = /llvmpipe|lavapipe|softpipe|swiftshader|software|microsoft basic render/i;

/** Describes an adapter: its info, whether it is a fallback or software (CPU) adapter. */
export function describeAdapter(adapter: GpuAdapter, route: GpuRoute): AdapterReport {
  const info = adapter.info ?? {};
  const text = (s: unknown) => (typeof s === "string" ? s : "");
  const fallback = Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false);
  const report = {
    vendor: text(info.vendor),
    architecture: text(info.architecture),
    device: text(info.device),
    description: text(info.description),
  };
  return {
    route: route.name,
    featureLevel: route.options.featureLevel === "compatibility" ? "compatibility" : "core",
    ...report,
    fallback,
    software: fallback || Object.values(report).some((s) => SOFTWARE.test(s)),
  };
}

/** `p`, or a rejection after `ms` (the timer never keeps Node alive). */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  const timers = globalThis as unknown as Timers;
  let timer: unknown;
  const timeout = new Promise<never>((_, reject) => {
    timer = timers.setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    (timer as { unref?: () => void }).unref?.();
  });
  return Promise.race([p, timeout]).finally(() => timers.clearTimeout(timer));
}

/** The timer functions of every JavaScript host (the build sees no DOM or Node types). */
interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return Boolean(p?.versions?.node);
}

/** The Dawn module, loaded once; `null` with the error when the optional package is absent. */
let dawn: Promise<{ mod: DawnModule } | { error: string }> | undefined;

interface DawnModule {
  create(flags: string[]): Gpu;
  globals: Record<string, unknown>;
}

function loadDawn(): Promise<{ mod: DawnModule } | { error: string }> {
  dawn ??= (async () => {
    // A variable specifier: bundlers leave it alone (browsers never load Dawn), and the package
    // builds and type-checks without the optional dependency.
    const specifier = "webgpu";
    try {
      const mod = (await import(
        /* @vite-ignore */ /* webpackIgnore: true */ specifier
      )) as DawnModule;
      return { mod };
    } catch (e) {
      return {
        error: `the optional package "webgpu" (Dawn) could not be loaded (${message(e)}); install it with \`pnpm add webgpu@0.6.2\``,
      };
    }
  })();
  return dawn;
}

/**
 * Dawn's WebGPU globals (`GPUBufferUsage`, `GPUMapMode`, ...), which tfjs-backend-webgpu reads
 * as globals: set where absent, never overwritten.
 */
export function installDawnGlobals(globals: Record<string, unknown>): void {
  const g = globalThis as Record<string, unknown>;
  for (const [k, v] of Object.entries(globals)) if (!(k in g)) g[k] = v;
}

/**
 * Makes `gpu` visible as `navigator.gpu` where there is none (Node): tfjs-backend-webgpu's
 * WebGPUBackend refuses to construct unless `navigator.gpu` exists.
 */
export function exposeNavigatorGpu(gpu: Gpu): void {
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator?.gpu) return;
  if (g.navigator === undefined) {
    Object.defineProperty(globalThis, "navigator", {
      value: { gpu },
      configurable: true,
      writable: true,
    });
  } else {
    Object.defineProperty(g.navigator, "gpu", { value: gpu, configurable: true });
  }
}

/** Dawn instances, created once per flag set and kept alive for the process. */
const instances = new Map<string, Gpu>();

function dawnInstance(mod: DawnModule, flags: string[]): Gpu {
  const key = flags.join(" ");
  let gpu = instances.get(key);
  if (!gpu) {
    gpu = mod.create(flags);
    instances.set(key, gpu);
  }
  return gpu;
}

/**
 * The routes to an adapter here, best first. Browser: `navigator.gpu` (core, then
 * compatibility). Node: Dawn with its default backends (Vulkan, Metal, D3D12: a real GPU), then
 * Dawn over OpenGL ES with EGL's surfaceless platform and `featureLevel: 'compatibility'` (Mesa
 * on a headless Linux machine).
 */
export async function gpuRoutes(
  powerPreference?: "low-power" | "high-performance",
): Promise<{ routes: GpuRoute[]; reason?: string }> {
  const pp = powerPreference ? { powerPreference } : {};
  if (!isNode()) {
    const gpu = (globalThis as { navigator?: { gpu?: Gpu } }).navigator?.gpu;
    if (!gpu) {
      return {
        routes: [],
        reason:
          "navigator.gpu is absent (this browser has no WebGPU, it is disabled, or the page is not a secure context)",
      };
    }
    return {
      routes: [
        { name: "navigator.gpu", gpu, options: { ...pp } },
        { name: "navigator.gpu", gpu, options: { ...pp, featureLevel: "compatibility" } },
      ],
    };
  }
  const loaded = await loadDawn();
  if ("error" in loaded) return { routes: [], reason: loaded.error };
  installDawnGlobals(loaded.mod.globals);
  const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process
    ?.env;
  // Mesa's EGL needs a platform without a display server; the user's choice wins.
  if (env && env.EGL_PLATFORM === undefined) env.EGL_PLATFORM = "surfaceless";
  const routes: GpuRoute[] = [];
  const failures: string[] = [];
  for (const [name, flags, options] of [
    ["dawn (default backends)", [], { ...pp }],
    ["dawn (backend=opengles)", ["backend=opengles"], { ...pp, featureLevel: "compatibility" }],
  ] as const) {
    try {
      routes.push({ name, gpu: dawnInstance(loaded.mod, [...flags]), options });
    } catch (e) {
      failures.push(`${name}: ${message(e)}`);
    }
  }
  return failures.length > 0 && routes.length === 0
    ? { routes, reason: failures.join("; ") }
    : { routes };
}

/**
 * Finds an adapter: the first route that returns one, with its description. Never throws;
 * never waits longer than `timeoutMs` per route.
 */
export async function findGpu(
  opts: { powerPreference?: "low-power" | "high-performance"; timeoutMs?: number } = {},
): Promise<GpuFound> {
  try {
    const { routes, reason } = await gpuRoutes(opts.powerPreference);
    if (routes.length === 0) return { ok: false, reason: reason ?? "no route to a GPU" };
    return await findAdapter(routes, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  } catch (e) {
    return { ok: false, reason: `no WebGPU adapter: ${message(e)}` };
  }
}

/** The first of `routes` whose `requestAdapter` gives an adapter within `timeoutMs`. */
export async function findAdapter(
  routes: readonly GpuRoute[],
  timeoutMs: number,
): Promise<GpuFound> {
  const failures: string[] = [];
  for (const route of routes) {
    const level = route.options.featureLevel;
    const label = `${route.name}${level ? ` featureLevel=${String(level)}` : ""}`;
    try {
      const adapter = await within(
        route.gpu.requestAdapter({ ...route.options }),
        timeoutMs,
        "requestAdapter",
      );
      if (adapter) return { ok: true, route, adapter: describeAdapter(adapter, route) };
      failures.push(`${label}: no adapter`);
    } catch (e) {
      failures.push(`${label}: ${message(e)}`);
    }
  }
  const hint = isNode()
    ? " (on Debian/Ubuntu without a GPU driver: apt-get install libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri)"
    : "";
  return { ok: false, reason: `no WebGPU adapter: ${failures.join("; ")}${hint}` };
}
