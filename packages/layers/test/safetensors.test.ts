import { describe, expect, it } from "vitest";
import { decodeSafetensors, encodeSafetensors, WeightFileError } from "../src/index.js";

function sample(): Uint8Array {
  return encodeSafetensors(
    [
      ["a.weight", { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6.5]) }],
      ["b", { shape: [1], data: Float32Array.from([-0.125]) }],
      ["empty", { shape: [0, 4], data: new Float32Array(0) }],
    ],
    { kind: "test", group: "O(3)" },
  );
}

function headerOf(bytes: Uint8Array): { n: number; json: Record<string, unknown> } {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { n, json: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) };
}

describe("safetensors codec", () => {
  it("writes the safetensors layout: u64 LE header length, aligned JSON, contiguous F32 data", () => {
    const bytes = sample();
    const { n, json } = headerOf(bytes);
    expect((8 + n) % 8).toBe(0);
    expect(json.__metadata__).toEqual({ kind: "test", group: "O(3)" });
    expect(json["a.weight"]).toEqual({ dtype: "F32", shape: [2, 3], data_offsets: [0, 24] });
    expect(json.b).toEqual({ dtype: "F32", shape: [1], data_offsets: [24, 28] });
    expect(json.empty).toEqual({ dtype: "F32", shape: [0, 4], data_offsets: [28, 28] });
    expect(bytes.length).toBe(8 + n + 28);
    const dv = new DataView(bytes.buffer, bytes.byteOffset + 8 + n);
    expect(dv.getFloat32(20, true)).toBe(6.5);
  });

  it("round-trips names, shapes, values and metadata", () => {
    const { tensors, metadata } = decodeSafetensors(sample());
    expect(metadata).toEqual({ kind: "test", group: "O(3)" });
    expect([...tensors.keys()]).toEqual(["a.weight", "b", "empty"]);
    expect(Array.from(tensors.get("a.weight")!.data)).toEqual([1, 2, 3, 4, 5, 6.5]);
    expect(tensors.get("b")!.shape).toEqual([1]);
    expect(tensors.get("empty")!.data.length).toBe(0);
  });

  it("refuses truncated, corrupted or inconsistent files with a WeightFileError", () => {
    const good = sample();
    const { n } = headerOf(good);
    const bad: [string, Uint8Array][] = [
      ["too short", good.subarray(0, 5)],
      ["truncated data", good.subarray(0, good.length - 4)],
      ["trailing bytes", Uint8Array.from([...good, 0, 0, 0, 0])],
      [
        "huge header length",
        (() => {
          const b = good.slice();
          new DataView(b.buffer).setBigUint64(0, 1n << 40n, true);
          return b;
        })(),
      ],
      [
        "broken JSON",
        (() => {
          const b = good.slice();
          b[8] = 0x5b; // '['
          b[9] = 0x7b;
          return b;
        })(),
      ],
    ];
    for (const [why, bytes] of bad)
      expect(() => decodeSafetensors(bytes), why).toThrow(WeightFileError);
    const edit = (f: (h: Record<string, Record<string, unknown>>) => void) => {
      const h = JSON.parse(new TextDecoder().decode(good.subarray(8, 8 + n)));
      f(h);
      let json = new TextEncoder().encode(JSON.stringify(h));
      const pad = (8 - (json.length % 8)) % 8;
      json = Uint8Array.from([...json, ...new Array(pad).fill(0x20)]);
      const out = new Uint8Array(8 + json.length + 28);
      new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
      out.set(json, 8);
      out.set(good.subarray(8 + n), 8 + json.length);
      return out;
    };
    expect(() => decodeSafetensors(edit((h) => void (h.b!.dtype = "Q7")))).toThrow(
      /unsupported dtype/,
    );
    expect(() => decodeSafetensors(edit((h) => void (h.b!.shape = [2])))).toThrow(
      /bytes for shape/,
    );
    expect(() => decodeSafetensors(edit((h) => void (h.b!.data_offsets = [20, 24])))).toThrow(
      WeightFileError,
    );
    expect(() => decodeSafetensors(edit((h) => void (h.__metadata__!.kind = 3)))).toThrow(
      /not a string/,
    );
  });

  it("refuses to encode inconsistent tensors", () => {
    expect(() => encodeSafetensors([["x", { shape: [2, 2], data: new Float32Array(3) }]])).toThrow(
      WeightFileError,
    );
    expect(() =>
      encodeSafetensors([["__metadata__", { shape: [1], data: new Float32Array(1) }]]),
    ).toThrow(WeightFileError);
  });
});
