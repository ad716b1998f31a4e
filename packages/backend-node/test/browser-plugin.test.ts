import { createRegistry, listBackends } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import { plugin } from "../src/browser.js";

describe("the browser build", () => {
  it("offers node nowhere and says why it is unavailable", async () => {
    const r = createRegistry().use(plugin);
    const [report] = await listBackends(r, "browser");
    expect(report!.name).toBe("node");
    expect(report!.priority).toBeNull();
    expect(report!.status.available).toBe(false);
    expect(report!.status.reason).toMatch(/Node only/);
    await expect(r.create<Promise<string>>("backends", "node", {})).rejects.toThrow(/Node only/);
  });
});
