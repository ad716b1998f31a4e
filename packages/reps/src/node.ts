export { DiskCache } from "./disk-cache.js";
export { encodeNpy, saveNpy } from "./npy.js";
