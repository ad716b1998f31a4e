import { Rng } from "@isotropy/core";
import { Matrix, symmetricEigen } from "/work/main/packages/linalg/dist/index.js";
const n = +process.argv[2];
const r = new Rng(1);
const a = new Matrix(n, n, r.normals(n*n));
const s = a.add(a.transpose());
let t = performance.now();
symmetricEigen(s);
console.log(n, performance.now() - t);
