import { Matrix, kronSum, vstack, nullSpace } from "/work/main/packages/linalg/dist/index.js";
const gens = [[[0,0,0],[0,0,-1],[0,1,0]],[[0,0,1],[0,0,0],[-1,0,0]],[[0,-1,0],[1,0,0],[0,0,0]]].map(r=>Matrix.fromRows(r));
const k = +process.argv[2];
const c = vstack(...gens.map(g => kronSum(...Array(k).fill(g))));
let t = performance.now();
const x = nullSpace(c);
console.log(k, c.cols, x.cols, performance.now() - t);
