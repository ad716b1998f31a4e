/** One series of a learning curve: a name, a colour and (epoch, value) points. */
export interface CurveSeries {
  readonly name: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
}

/**
 * A learning-curve plot as a standalone SVG: loss against epoch on a log scale, with decade
 * grid lines and a legend, readable without any viewer beyond a browser.
 */
export function learningCurveSvg(title: string, series: readonly CurveSeries[]): string {
  const W = 640;
  const H = 400;
  const m = { left: 70, right: 20, top: 40, bottom: 50 };
  const all = series.flatMap((s) => s.points).filter(([, v]) => Number.isFinite(v) && v > 0);
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => Math.log10(y));
  const xMin = Math.min(...xs, 0);
  const xMax = Math.max(...xs, 1);
  let yMin = Math.floor(Math.min(...ys, 0));
  let yMax = Math.ceil(Math.max(...ys, 0));
  if (yMax === yMin) {
    yMin -= 1;
    yMax += 1;
  }
  const px = (x: number) => m.left + ((x - xMin) / (xMax - xMin || 1)) * (W - m.left - m.right);
  const py = (ly: number) => H - m.bottom - ((ly - yMin) / (yMax - yMin)) * (H - m.top - m.bottom);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
  );
  for (let d = yMin; d <= yMax; d++) {
    const y = py(d).toFixed(1);
    parts.push(
      `<line x1="${m.left}" x2="${W - m.right}" y1="${y}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${m.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">1e${d}</text>`,
    );
  }
  for (const t of ticks(xMin, xMax)) {
    const x = px(t).toFixed(1);
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${H - m.bottom}" y2="${H - m.bottom + 5}" stroke="#333"/>`,
      `<text x="${x}" y="${H - m.bottom + 18}" text-anchor="middle">${t}</text>`,
    );
  }
  parts.push(
    `<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${H - m.bottom}" stroke="#333"/>`,
    `<line x1="${m.left}" x2="${W - m.right}" y1="${H - m.bottom}" y2="${H - m.bottom}" stroke="#333"/>`,
    `<text x="${W / 2}" y="${H - 12}" text-anchor="middle">epoch</text>`,
    `<text transform="translate(18 ${H / 2}) rotate(-90)" text-anchor="middle">MSE (log scale)</text>`,
  );
  series.forEach((s, i) => {
    const pts = s.points
      .filter(([, v]) => Number.isFinite(v) && v > 0)
      .map(([x, v]) => `${px(x).toFixed(1)},${py(Math.log10(v)).toFixed(1)}`)
      .join(" ");
    if (pts)
      parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts}"/>`);
    const ly = m.top + 8 + i * 18;
    parts.push(
      `<line x1="${W - m.right - 150}" x2="${W - m.right - 126}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="3"/>`,
      `<text x="${W - m.right - 120}" y="${ly}" dominant-baseline="middle">${escapeXml(s.name)}</text>`,
    );
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

function ticks(lo: number, hi: number): number[] {
  const span = hi - lo || 1;
  const step = 10 ** Math.floor(Math.log10(span / 5));
  const nice = [1, 2, 5, 10].map((f) => f * step).find((s) => span / s <= 8) ?? step * 10;
  const out: number[] = [];
  for (let t = Math.ceil(lo / nice) * nice; t <= hi + 1e-9; t += nice)
    out.push(Math.round(t * 1e6) / 1e6);
  return out;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
