import { WeightFileError } from "./errors.js";

/**
 * The safetensors layout (https://github.com/huggingface/safetensors), pure bytes, no tensors
 * library: an 8-byte little-endian header length N, N bytes of JSON header (padded with spaces
 * to a multiple of 8), then the raw little-endian data. The header maps each tensor name to
 * `{dtype, shape, data_offsets: [begin, end]}` (offsets into the data, contiguous and in order)
 * and `__metadata__` to a string -> string map.
 */

export type SafetensorsDtype = "F32" | "F64" | "I32";

export interface SafetensorsTensor {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly data: Float32Array | Float64Array | Int32Array;
}

export interface DecodedSafetensors {
  /** Tensors in file order. */
  readonly tensors: Map<string, SafetensorsTensor>;
  readonly metadata: Record<string, string>;
}

const BYTES: Record<SafetensorsDtype, number> = { F32: 4, F64: 8, I32: 4 };
const MAX_HEADER = 100 * 1024 * 1024;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function dtypeOf(data: SafetensorsTensor["data"]): SafetensorsDtype {
  if (data instanceof Float32Array) return "F32";
  if (data instanceof Float64Array) return "F64";
  return "I32";
}

/** Encodes tensors (in the given order) and string metadata. */
export function encodeSafetensors(
  tensors: Iterable<
    readonly [string, { shape: readonly number[]; data: SafetensorsTensor["data"] }]
  >,
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== "string") {
      throw new WeightFileError(`Metadata values must be strings; "${k}" is ${typeof v}.`);
    }
  }
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  const list = [...tensors];
  let offset = 0;
  for (const [name, t] of list) {
    if (name === "__metadata__" || name in header) {
      throw new WeightFileError(`Tensor name "${name}" is reserved or repeated.`);
    }
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) {
      throw new WeightFileError(
        `Tensor "${name}" has shape [${t.shape.join(", ")}] but ${t.data.length} values.`,
      );
    }
    const bytes = t.data.byteLength;
    header[name] = {
      dtype: dtypeOf(t.data),
      shape: [...t.shape],
      data_offsets: [offset, offset + bytes],
    };
    offset += bytes;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const pad = (8 - (json.length % 8)) % 8;
  if (pad > 0) {
    const padded = new Uint8Array(json.length + pad).fill(0x20);
    padded.set(json);
    json = padded;
  }
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const [, t] of list) {
    out.set(toLittleEndianBytes(t.data), at);
    at += t.data.byteLength;
  }
  return out;
}

/** Decodes and validates a safetensors buffer; throws `WeightFileError` on anything malformed. */
export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  if (bytes.length < 8) {
    throw new WeightFileError(
      `Not a safetensors file: ${bytes.length} bytes, shorter than its 8-byte header length.`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(Math.min(bytes.length - 8, MAX_HEADER))) {
    throw new WeightFileError(
      `Corrupted safetensors file: the header claims ${n} bytes but the file has ${bytes.length - 8} after the length.`,
    );
  }
  const headerLen = Number(n);
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)),
    );
  } catch (e) {
    throw new WeightFileError(`Corrupted safetensors header: ${(e as Error).message}`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    throw new WeightFileError("Corrupted safetensors header: not a JSON object.");
  }
  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: {
    name: string;
    dtype: SafetensorsDtype;
    shape: number[];
    begin: number;
    end: number;
  }[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        throw new WeightFileError("Corrupted safetensors header: __metadata__ is not an object.");
      }
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== "string") {
          throw new WeightFileError(
            `Corrupted safetensors header: metadata "${k}" is not a string.`,
          );
        }
        metadata[k] = v;
      }
      continue;
    }
    const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const bad = (why: string) =>
      new WeightFileError(`Corrupted safetensors entry "${name}": ${why}.`);
    if (typeof e !== "object" || e === null) throw bad("not an object");
    if (typeof e.dtype !== "string" || !(e.dtype in BYTES)) {
      throw bad(
        `unsupported dtype ${JSON.stringify(e.dtype)} (supported: ${Object.keys(BYTES).join(", ")})`,
      );
    }
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw bad("shape is not a list of non-negative integers");
    }
    const off = e.data_offsets;
    if (
      !Array.isArray(off) ||
      off.length !== 2 ||
      !off.every((d) => Number.isInteger(d) && d >= 0)
    ) {
      throw bad("data_offsets is not a pair of non-negative integers");
    }
    const [begin, end] = off as [number, number];
    const dtype = e.dtype as SafetensorsDtype;
    const count = (e.shape as number[]).reduce((a, b) => a * b, 1);
    if (end < begin || end > dataLen)
      throw bad(`data_offsets [${begin}, ${end}] outside the ${dataLen} data bytes`);
    if (end - begin !== count * BYTES[dtype]) {
      throw bad(`${end - begin} bytes for shape [${(e.shape as number[]).join(", ")}] of ${dtype}`);
    }
    entries.push({ name, dtype, shape: e.shape as number[], begin, end });
  }
  // The data must be covered exactly, without holes or overlaps.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expect = 0;
  for (const e of sorted) {
    if (e.begin !== expect) {
      throw new WeightFileError(
        `Corrupted safetensors file: tensor "${e.name}" starts at byte ${e.begin}, expected ${expect}.`,
      );
    }
    expect = e.end;
  }
  if (expect !== dataLen) {
    throw new WeightFileError(
      `Corrupted safetensors file: ${dataLen} data bytes, the header covers ${expect}.`,
    );
  }
  const tensors = new Map<string, SafetensorsTensor>();
  for (const e of entries) {
    tensors.set(e.name, {
      dtype: e.dtype,
      shape: e.shape,
      data: fromLittleEndianBytes(bytes.subarray(dataStart + e.begin, dataStart + e.end), e.dtype),
    });
  }
  return { tensors, metadata };
}

function toLittleEndianBytes(data: SafetensorsTensor["data"]): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const v = new DataView(out.buffer);
  data.forEach((x, i) => {
    if (data instanceof Float32Array) v.setFloat32(i * 4, x, true);
    else if (data instanceof Float64Array) v.setFloat64(i * 8, x, true);
    else v.setInt32(i * 4, x, true);
  });
  return out;
}

function fromLittleEndianBytes(b: Uint8Array, dtype: SafetensorsDtype): SafetensorsTensor["data"] {
  const copy = new Uint8Array(b); // owned and aligned (Buffer.slice would share memory)
  if (LITTLE_ENDIAN) {
    if (dtype === "F32") return new Float32Array(copy.buffer);
    if (dtype === "F64") return new Float64Array(copy.buffer);
    return new Int32Array(copy.buffer);
  }
  const v = new DataView(copy.buffer);
  const n = copy.length / BYTES[dtype];
  if (dtype === "F32") return Float32Array.from({ length: n }, (_, i) => v.getFloat32(i * 4, true));
  if (dtype === "F64") return Float64Array.from({ length: n }, (_, i) => v.getFloat64(i * 8, true));
  return Int32Array.from({ length: n }, (_, i) => v.getInt32(i * 4, true));
}
