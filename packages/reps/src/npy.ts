import { writeFileAtomic } from "@isotropy/core/node";
import type { Matrix } from "@isotropy/linalg";

/**
 * Encodes a matrix as a NumPy .npy file (format 1.0, little-endian float64, C order), which
 * `numpy.load` reads as an array of shape (rows, cols).
 */
export function encodeNpy(m: Matrix): Uint8Array {
  const dict = `{'descr': '<f8', 'fortran_order': False, 'shape': (${m.rows}, ${m.cols}), }`;
  // magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64
  const unpadded = 10 + dict.length + 1;
  const header = `${dict}${" ".repeat((64 - (unpadded % 64)) % 64)}\n`;
  const out = new Uint8Array(10 + header.length + m.data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const view = new DataView(out.buffer, 10 + header.length);
  for (let i = 0; i < m.data.length; i++) view.setFloat64(i * 8, m.data[i]!, true);
  return out;
}

/** Writes a matrix as .npy, atomically. */
export function saveNpy(file: string, m: Matrix): void {
  writeFileAtomic(file, encodeNpy(m));
}
