import { createHash } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "@isotropy/core/node";
import { Matrix } from "@isotropy/linalg";
import { type BlockBasis, DenseBasis, OrbitBasis } from "./block-basis.js";
import type { BasisCache } from "./cache.js";

const MAGIC = 0x424f5349; // "ISOB"
const FORMAT = 1;

/**
 * Solved bases on disk, one file per key (Node only: `@isotropy/reps/node`). Files are written
 * to a temporary name and renamed, so a crash never leaves a torn file and two processes may
 * share the folder (the last rename wins; both wrote the same content). Each file carries its
 * key and a SHA-256 of its payload: a corrupt or foreign file reads as a miss and is removed.
 */
export class DiskCache implements BasisCache {
  constructor(readonly dir: string) {}

  get(key: string): BlockBasis | undefined {
    const file = this.fileFor(key);
    let buf: Buffer;
    try {
      buf = readFileSync(file);
    } catch {
      return undefined;
    }
    const basis = decode(buf, key);
    if (!basis) rmSync(file, { force: true });
    return basis;
  }

  set(key: string, basis: BlockBasis): void {
    writeFileAtomic(this.fileFor(key), encode(key, basis));
  }

  fileFor(key: string): string {
    return join(this.dir, `${createHash("sha256").update(key).digest("hex").slice(0, 32)}.basis`);
  }
}

function encode(key: string, basis: BlockBasis): Buffer {
  const keyBytes = Buffer.from(key, "utf8");
  const payload =
    basis.kind === "dense"
      ? Buffer.from(
          basis.matrix.data.buffer,
          basis.matrix.data.byteOffset,
          basis.matrix.data.byteLength,
        )
      : Buffer.from(basis.orbitOf.buffer, basis.orbitOf.byteOffset, basis.orbitOf.byteLength);
  const header = Buffer.alloc(24);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(FORMAT, 4);
  header.writeUInt32LE(basis.kind === "dense" ? 0 : 1, 8);
  header.writeUInt32LE(basis.rows, 12);
  header.writeUInt32LE(basis.dim, 16);
  header.writeUInt32LE(keyBytes.length, 20);
  const digest = createHash("sha256").update(payload).digest();
  return Buffer.concat([header, keyBytes, digest, payload]);
}

function decode(buf: Buffer, key: string): BlockBasis | undefined {
  if (buf.length < 24 || buf.readUInt32LE(0) !== MAGIC || buf.readUInt32LE(4) !== FORMAT)
    return undefined;
  const kind = buf.readUInt32LE(8);
  const rows = buf.readUInt32LE(12);
  const dim = buf.readUInt32LE(16);
  const keyLen = buf.readUInt32LE(20);
  const keyEnd = 24 + keyLen;
  if (buf.length < keyEnd + 32 || buf.toString("utf8", 24, keyEnd) !== key) return undefined;
  const digest = buf.subarray(keyEnd, keyEnd + 32);
  const payload = buf.subarray(keyEnd + 32);
  const expected = kind === 0 ? rows * dim * 8 : rows * 4;
  if (payload.length !== expected) return undefined;
  if (!createHash("sha256").update(payload).digest().equals(digest)) return undefined;
  // Copy into aligned typed arrays (the Buffer's offset need not be aligned).
  const bytes = new Uint8Array(payload);
  if (kind === 0) return new DenseBasis(new Matrix(rows, dim, new Float64Array(bytes.buffer)));
  if (kind === 1) return new OrbitBasis(new Int32Array(bytes.buffer), dim);
  return undefined;
}
