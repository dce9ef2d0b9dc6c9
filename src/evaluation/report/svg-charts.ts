/**
 * Inline SVG charts for the HTML report: no script, no external asset, readable when printed.
 */
export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#e15759',
  '#76b7b2',
  '#edc948',
  '#b07aa1',
  '#9c755f',
];

export interface BarGroup {
  label: string;
  /** One value per series (0..1); null = not measured. */
  values: (number | null)[];
}

/** Grouped vertical bars on a 0..1 axis: one group per dimension/category, one bar per model. */
export function groupedBarChart(groups: BarGroup[], series: string[], title: string): string {
  const width = 560;
  const height = 260;
  const left = 40;
  const bottom = 40;
  const top = 28;
  const plotH = height - bottom - top;
  const groupW = (width - left - 10) / Math.max(1, groups.length);
  const barW = Math.min(40, (groupW - 16) / Math.max(1, series.length));
  const y = (v: number) => top + plotH * (1 - v);
  const parts: string[] = [`<text x="${left}" y="16" class="t">${escapeHtml(title)}</text>`];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${left}" x2="${width - 10}" y1="${y(tick)}" y2="${y(tick)}" class="grid"/>`);
    parts.push(`<text x="${left - 6}" y="${y(tick) + 4}" class="ax" text-anchor="end">${tick}</text>`);
  }
  groups.forEach((g, gi) => {
    const x0 = left + gi * groupW + (groupW - barW * series.length) / 2;
    g.values.forEach((v, si) => {
      const x = x0 + si * barW;
      if (v === null) {
        parts.push(`<text x="${x + barW / 2}" y="${y(0) - 4}" class="ax" text-anchor="middle">n/a</text>`);
        return;
      }
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(plotH * v).toFixed(1)}" fill="${PALETTE[si % PALETTE.length]}"><title>${escapeHtml(series[si] ?? '')}: ${v.toFixed(3)}</title></rect>`,
        `<text x="${(x + barW / 2 - 1).toFixed(1)}" y="${(y(v) - 3).toFixed(1)}" class="v" text-anchor="middle">${v.toFixed(2)}</text>`,
      );
    });
    parts.push(
      `<text x="${left + gi * groupW + groupW / 2}" y="${height - bottom + 16}" class="ax" text-anchor="middle">${escapeHtml(g.label)}</text>`,
    );
  });
  const legend = series
    .map(
      (s, i) =>
        `<rect x="${left + i * 130}" y="${height - 14}" width="10" height="10" fill="${PALETTE[i % PALETTE.length]}"/><text x="${left + i * 130 + 14}" y="${height - 5}" class="ax">${escapeHtml(s)}</text>`,
    )
    .join('');
  return `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}">${parts.join('')}${legend}</svg>`;
}

/** A line chart of (x, y) points with axis labels; y is auto-scaled from 0. */
export function lineChart(
  points: { x: number; y: number }[],
  title: string,
  xLabel: string,
  yLabel: string,
): string {
  const width = 560;
  const height = 240;
  const left = 50;
  const bottom = 36;
  const top = 28;
  const right = 14;
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  const yMax = Math.max(...ys) * 1.05 || 1;
  const sx = (x: number) => left + ((x - xMin) / (xMax - xMin || 1)) * (width - left - right);
  const sy = (v: number) => top + (1 - v / yMax) * (height - top - bottom);
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
  const ticks = [0, 0.5, 1].map((f) => {
    const v = yMax * f;
    return `<line x1="${left}" x2="${width - right}" y1="${sy(v)}" y2="${sy(v)}" class="grid"/><text x="${left - 6}" y="${sy(v) + 4}" class="ax" text-anchor="end">${v.toPrecision(3)}</text>`;
  });
  return `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}">
<text x="${left}" y="16" class="t">${escapeHtml(title)}</text>${ticks.join('')}
<path d="${path}" fill="none" stroke="${PALETTE[0]}" stroke-width="2"/>
<text x="${left}" y="${height - 8}" class="ax">${escapeHtml(xLabel)} ${xMin}</text>
<text x="${width - right}" y="${height - 8}" class="ax" text-anchor="end">${xMax}</text>
<text x="${(left + width) / 2}" y="${height - 8}" class="ax" text-anchor="middle">${escapeHtml(yLabel)} (first ${ys[0]?.toPrecision(3)}, last ${ys.at(-1)?.toPrecision(3)})</text>
</svg>`;
}
