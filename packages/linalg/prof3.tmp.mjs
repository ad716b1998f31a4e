import { Matrix, kronSum, vstack, nullSpaceIterative } from "/work/main/packages/linalg/dist/index.js";
const gens = [[[0,0,0],[0,0,-1],[0,1,0]],[[0,0,1],[0,0,0],[-1,0,0]],[[0,-1,0],[1,0,0],[0,0,0]]].map(r=>Matrix.fromRows(r));
const k = +process.argv[2];
const c = vstack(...gens.map(g => kronSum(...Array(k).fill(g))));
let t = performance.now();
const x = nullSpaceIterative(c);
const dt = performance.now() - t;
const cx = c.matmat(x); let worst = 0;
for (let j = 0; j < x.cols; j++) { let s = 0; for (let i = 0; i < cx.rows; i++) s += cx.get(i,j)**2; worst = Math.max(worst, Math.sqrt(s)); }
const g = x.transpose().mul(x); const orth = g.maxAbsDiff(Matrix.identity(x.cols));
console.log(k, c.cols, x.cols, dt.toFixed(0), "ms resid", worst, "orth", orth);
