import { Matrix, qr } from "/work/main/packages/linalg/dist/index.js";
import { Rng } from "@isotropy/core";
const x = new Matrix(6561, 64, new Rng(2).normals(6561*64));
qr(x);
let t = performance.now(); for (let i = 0; i < 10; i++) qr(x); console.log("qr", (performance.now() - t)/10);
