import { describe, expect, it } from "vitest";
import {
  BackendUnavailableError,
  ConvergenceError,
  IsotropyError,
  nearestNames,
  ParseError,
  ShapeError,
} from "../src/index.js";

describe("errors", () => {
  it("carry stable codes and point at the column of a parse error", () => {
    const e = new ParseError("2*V + ", 7, "a representation");
    expect(e).toBeInstanceOf(IsotropyError);
    expect(e.code).toBe("E_PARSE");
    expect(e.column).toBe(7);
    expect(e.message).toContain("column 7");
    expect(e.message.split("\n")[2]).toBe(`  ${" ".repeat(6)}^`);
    expect(new ShapeError("input", "[*, 10]", "[4, 9]").code).toBe("E_SHAPE");
    expect(new ConvergenceError("no gap").code).toBe("E_CONVERGENCE");
    const b = new BackendUnavailableError("webgpu", "no adapter", ["wasm", "cpu"]);
    expect(b.message).toContain("no adapter");
    expect(b.message).toContain("wasm, cpu");
    expect(b.name).toBe("BackendUnavailableError");
  });

  it("suggests near names, best first", () => {
    expect(nearestNames("S0", ["SO", "O", "SL", "Sp", "GL"])[0]).toBe("SO");
    expect(nearestNames("lorenz", ["Lorentz", "SO", "Z"])).toEqual(["Lorentz"]);
    expect(nearestNames("qqqqqq", ["SO", "Z"])).toEqual([]);
  });
});
