/** Small SVG pictures of symmetry-breaking runs: polygons before and after, graphs by side. */

const SIZE = 320;

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function f(v: number): string {
  return v.toFixed(2);
}

/**
 * A polygon (k vertices, coordinate-major: x_j at j, y_j at k + j) before and after: the input
 * in grey, the target in green (dashed) and the prediction in red. Vertices are joined in the
 * angular order of the input around its centroid, the same order for all three.
 */
export function polygonSvg(
  title: string,
  input: ArrayLike<number>,
  prediction: ArrayLike<number>,
  target: ArrayLike<number> | null,
  k: number,
): string {
  const shapes = [input, prediction, ...(target ? [target] : [])];
  let extent = 1e-9;
  for (const s of shapes)
    for (let i = 0; i < 2 * k; i++) extent = Math.max(extent, Math.abs(s[i]!));
  const scale = (SIZE / 2 - 24) / extent;
  let cx = 0;
  let cy = 0;
  for (let j = 0; j < k; j++) {
    cx += input[j]! / k;
    cy += input[k + j]! / k;
  }
  const order = Array.from({ length: k }, (_, j) => j).sort(
    (a, b) =>
      Math.atan2(input[k + a]! - cy, input[a]! - cx) -
      Math.atan2(input[k + b]! - cy, input[b]! - cx),
  );
  const px = (v: number) => SIZE / 2 + v * scale;
  const py = (v: number) => SIZE / 2 + 10 - v * scale;
  const path = (s: ArrayLike<number>) =>
    order.map((j) => `${f(px(s[j]!))},${f(py(s[k + j]!))}`).join(" ");
  const dots = (s: ArrayLike<number>, color: string) =>
    order
      .map((j) => `<circle cx="${f(px(s[j]!))}" cy="${f(py(s[k + j]!))}" r="3" fill="${color}"/>`)
      .join("");
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE + 20}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="8" y="14">${esc(title)}</text>`,
    `<polygon points="${path(input)}" fill="none" stroke="#888" stroke-width="1.5"/>`,
    target
      ? `<polygon points="${path(target)}" fill="none" stroke="#2ca02c" stroke-width="1.5" stroke-dasharray="5,3"/>`
      : "",
    `<polygon points="${path(prediction)}" fill="none" stroke="#d62728" stroke-width="1.5"/>`,
    dots(prediction, "#d62728"),
    `<text x="8" y="${SIZE + 14}"><tspan fill="#888">input</tspan>  <tspan fill="#2ca02c">target</tspan>  <tspan fill="#d62728">prediction</tspan></text>`,
    "</svg>\n",
  ].join("\n");
}

/**
 * A graph (n x n adjacency, row-major) with its nodes on a circle, coloured by the side
 * sign(score) (ties to +1); cut edges are drawn solid and dark, uncut edges light.
 */
export function graphSvg(
  title: string,
  adjacency: ArrayLike<number>,
  n: number,
  scores: ArrayLike<number>,
): string {
  const r = SIZE / 2 - 30;
  const pos = Array.from({ length: n }, (_, i) => {
    const a = (2 * Math.PI * i) / n - Math.PI / 2;
    return [SIZE / 2 + r * Math.cos(a), SIZE / 2 + 10 + r * Math.sin(a)] as const;
  });
  const side = (i: number) => (scores[i]! >= 0 ? 1 : -1);
  const edges: string[] = [];
  let cut = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const w = adjacency[i * n + j]!;
      if (w === 0) continue;
      const isCut = side(i) !== side(j);
      total += Math.abs(w);
      if (isCut) cut += Math.abs(w);
      edges.push(
        `<line x1="${f(pos[i]![0])}" y1="${f(pos[i]![1])}" x2="${f(pos[j]![0])}" y2="${f(pos[j]![1])}" ` +
          `stroke="${isCut ? "#333" : "#ccc"}" stroke-width="${isCut ? 2 : 1}"${w < 0 ? ' stroke-dasharray="4,3"' : ""}/>`,
      );
    }
  }
  const nodes = pos.map(
    ([x, y], i) =>
      `<circle cx="${f(x)}" cy="${f(y)}" r="8" fill="${side(i) > 0 ? "#1f77b4" : "#ff7f0e"}" stroke="#222"/>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE + 20}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="8" y="14">${esc(title)}</text>`,
    ...edges,
    ...nodes,
    `<text x="8" y="${SIZE + 14}">cut ${cut} of ${total} edge weight (dark: cut; colour: side)</text>`,
    "</svg>\n",
  ].join("\n");
}
