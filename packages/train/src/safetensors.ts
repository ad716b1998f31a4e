import { CheckpointError } from "./errors.js";

/** A float32 array with its shape, as stored in a safetensors file. */
export interface StoredTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const MAX_HEADER = 100_000_000;

/**
 * Encodes float32 tensors and string metadata in the safetensors layout (readable by Python's
 * `safetensors`): an 8-byte little-endian header length, a JSON header padded with spaces to a
 * multiple of 8 (`{"__metadata__": {...}, name: {dtype: "F32", shape, data_offsets}}`), then
 * the tensors' little-endian bytes, contiguous and in order.
 */
export function encodeSafetensors(
  tensors: readonly StoredTensor[],
  metadata: Readonly<Record<string, string>>,
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    if (t.name === "__metadata__" || t.name in header) {
      throw new CheckpointError("corrupt", `duplicate or reserved tensor name "${t.name}".`);
    }
    const bytes = t.data.length * 4;
    header[t.name] = { dtype: "F32", shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  const jsonBytes0 = new TextEncoder().encode(json);
  const pad = (8 - (jsonBytes0.length % 8)) % 8;
  json += " ".repeat(pad);
  const jsonBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + jsonBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(jsonBytes.length), true);
  out.set(jsonBytes, 8);
  let at = 8 + jsonBytes.length;
  for (const t of tensors) {
    if (LITTLE_ENDIAN) {
      out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    } else {
      for (let i = 0; i < t.data.length; i++) view.setFloat32(at + 4 * i, t.data[i], true);
    }
    at += t.data.byteLength;
  }
  return out;
}

/** The decoded file: tensors in file order, metadata, and the raw data section. */
export interface DecodedSafetensors {
  tensors: StoredTensor[];
  metadata: Record<string, string>;
  dataSection: Uint8Array;
}

/**
 * Decodes what `encodeSafetensors` wrote (F32 tensors only), checking every length and offset;
 * anything malformed is a CheckpointError("corrupt").
 */
export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  const corrupt = (why: string) => new CheckpointError("corrupt", why);
  if (!(bytes instanceof Uint8Array) || bytes.length < 8) throw corrupt("fewer than 8 bytes.");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (headerLen < 2 || headerLen > MAX_HEADER || 8 + headerLen > bytes.length) {
    throw corrupt(`header length ${headerLen} does not fit a file of ${bytes.length} bytes.`);
  }
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)),
    );
  } catch {
    throw corrupt("the header is not valid JSON.");
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) {
    throw corrupt("the header is not a JSON object.");
  }
  const dataSection = bytes.subarray(8 + headerLen);
  const entries: { name: string; shape: number[]; begin: number; end: number }[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw corrupt("__metadata__ is not an object.");
      }
      for (const v of Object.values(value))
        if (typeof v !== "string") throw corrupt("metadata values must be strings.");
      metadata = value as Record<string, string>;
      continue;
    }
    const e = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (e === null || typeof e !== "object" || e.dtype !== "F32") {
      throw corrupt(`tensor "${name}" is not an F32 entry.`);
    }
    const shape = e.shape;
    const offsets = e.data_offsets;
    if (
      !Array.isArray(shape) ||
      !shape.every((d) => Number.isInteger(d) && d >= 0) ||
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((d) => Number.isInteger(d) && d >= 0)
    ) {
      throw corrupt(`tensor "${name}" has a malformed shape or data_offsets.`);
    }
    const [begin, end] = offsets as [number, number];
    const size = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== 4 * size || end > dataSection.length || begin % 4 !== 0) {
      throw corrupt(`tensor "${name}" has offsets [${begin}, ${end}] that do not fit its shape.`);
    }
    entries.push({ name, shape: shape as number[], begin, end });
  }
  entries.sort((a, b) => a.begin - b.begin);
  let expected = 0;
  for (const e of entries) {
    if (e.begin !== expected) throw corrupt(`tensor "${e.name}" overlaps or leaves a gap.`);
    expected = e.end;
  }
  if (expected !== dataSection.length) {
    throw corrupt(
      `the data section has ${dataSection.length} bytes, the header covers ${expected}.`,
    );
  }
  const tensors = entries.map((e) => {
    const data = new Float32Array((e.end - e.begin) / 4);
    const dv = new DataView(dataSection.buffer, dataSection.byteOffset + e.begin, e.end - e.begin);
    if (LITTLE_ENDIAN) {
      new Uint8Array(data.buffer).set(dataSection.subarray(e.begin, e.end));
    } else {
      for (let i = 0; i < data.length; i++) data[i] = dv.getFloat32(4 * i, true);
    }
    return { name: e.name, shape: e.shape, data };
  });
  return { tensors, metadata, dataSection };
}
