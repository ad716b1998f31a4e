import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileAtomic } from "../src/node.js";

describe("writeFileAtomic", () => {
  it("replaces the file whole and leaves no temporary files", () => {
    const dir = mkdtempSync(join(tmpdir(), "isotropy-atomic-"));
    const file = join(dir, "sub", "a.json");
    writeFileAtomic(file, "first");
    writeFileAtomic(file, new Uint8Array([104, 105]));
    expect(readFileSync(file, "utf8")).toBe("hi");
    expect(readdirSync(join(dir, "sub"))).toEqual(["a.json"]);
  });

  it("leaves the old content when the write fails", () => {
    const dir = mkdtempSync(join(tmpdir(), "isotropy-atomic-"));
    const file = join(dir, "a.txt");
    writeFileAtomic(file, "old");
    // a directory in the way of the rename target's temp path cannot be written
    expect(() => writeFileAtomic(join(file, "child"), "x")).toThrow();
    expect(readFileSync(file, "utf8")).toBe("old");
  });
});
