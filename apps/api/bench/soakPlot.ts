import { Resvg } from "@resvg/resvg-js";
import { percentile } from "./load";
import { type SoakSample, soakTables } from "./soakSamples";

// The soak's plot: four panels drawn as SVG (memory, delivery p99, dead rows, table sizes over the
// run, the warm-up shaded) and rendered to PNG by resvg, no browser needed.

interface Series {
  readonly label: string;
  readonly color: string;
  readonly dashed?: boolean;
  readonly points: readonly { x: number; y: number }[];
}

const colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];
const width = 1400;
const height = 1120;
const font = 'font-family="DejaVu Sans, Liberation Sans, sans-serif"';

function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * power >= value) ?? 10;
  return step * power;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function panel(
  box: { x: number; y: number; w: number; h: number },
  title: string,
  unit: string,
  series: readonly Series[],
  maxX: number,
  warmupX: number,
): string {
  const left = box.x + 70;
  const top = box.y + 40;
  const plotW = box.w - 90;
  const plotH = box.h - 150;
  const finite = series.flatMap((s) => s.points.map((p) => p.y)).filter(Number.isFinite);
  const maxY = niceMax(Math.max(0, ...finite) * 1.05);
  const sx = (x: number) => left + (x / maxX) * plotW;
  const sy = (y: number) => top + plotH - (y / maxY) * plotH;
  const parts: string[] = [
    `<text x="${left}" y="${box.y + 24}" font-size="17" font-weight="bold" ${font}>${escapeXml(title)}</text>`,
    `<rect x="${left}" y="${top}" width="${sx(Math.min(warmupX, maxX)) - left}" height="${plotH}" fill="#eeeeee"/>`,
  ];
  for (let i = 0; i <= 5; i++) {
    const v = (maxY / 5) * i;
    parts.push(
      `<line x1="${left}" x2="${left + plotW}" y1="${sy(v)}" y2="${sy(v)}" stroke="#dddddd"/>`,
      `<text x="${left - 8}" y="${sy(v) + 4}" font-size="12" text-anchor="end" ${font}>${Number(v.toPrecision(4))}</text>`,
    );
  }
  const stepX = maxX > 12 ? 2 : maxX > 4 ? 1 : 0.5;
  for (let x = 0; x <= maxX + 1e-9; x += stepX)
    parts.push(
      `<text x="${sx(x)}" y="${top + plotH + 18}" font-size="12" text-anchor="middle" ${font}>${x}</text>`,
    );
  parts.push(
    `<text x="${left + plotW / 2}" y="${top + plotH + 38}" font-size="13" text-anchor="middle" ${font}>minutes</text>`,
    `<text x="${box.x + 16}" y="${top + plotH / 2}" font-size="13" text-anchor="middle" transform="rotate(-90 ${box.x + 16} ${top + plotH / 2})" ${font}>${escapeXml(unit)}</text>`,
    `<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#444444"/>`,
  );
  series.forEach((s, i) => {
    const path = s.points
      .filter((p) => Number.isFinite(p.y))
      .map((p, j) => `${j === 0 ? "M" : "L"}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`)
      .join(" ");
    if (path)
      parts.push(
        `<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`,
      );
    const lx = left + (i % 3) * (plotW / 3);
    const ly = top + plotH + 58 + Math.floor(i / 3) * 16;
    parts.push(
      `<line x1="${lx}" x2="${lx + 24}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`,
      `<text x="${lx + 30}" y="${ly}" font-size="12" ${font}>${escapeXml(s.label)}</text>`,
    );
  });
  return parts.join("\n");
}

/** The plot of a soak run as PNG bytes. */
export function soakPlotPng(
  samples: readonly SoakSample[],
  processes: readonly string[],
  warmupSeconds: number,
): Buffer {
  const minutes = (s: SoakSample) => s.seconds / 60;
  const maxX = Math.max(1, Math.ceil(minutes(samples.at(-1) ?? samples[0]!)));
  const memory: Series[] = processes.flatMap((p, i) => [
    {
      label: `${p} RSS`,
      color: colors[i]!,
      points: samples.map((s) => ({ x: minutes(s), y: (s.memory[p]?.rss ?? Number.NaN) / 2 ** 20 })),
    },
    {
      label: `${p} JS heap`,
      color: colors[i]!,
      dashed: true,
      points: samples.map((s) => ({ x: minutes(s), y: (s.memory[p]?.heapUsed ?? Number.NaN) / 2 ** 20 })),
    },
  ]);
  const delivery: Series[] = [
    {
      label: "p99",
      color: colors[1]!,
      points: samples.map((s) => ({
        x: minutes(s),
        y: percentile(
          [...s.deliveries].sort((a, b) => a - b),
          99,
        ),
      })),
    },
    {
      label: "p50",
      color: colors[0]!,
      points: samples.map((s) => ({
        x: minutes(s),
        y: percentile(
          [...s.deliveries].sort((a, b) => a - b),
          50,
        ),
      })),
    },
  ];
  const perTable = (pick: (t: SoakSample["tables"][string]) => number) =>
    soakTables
      .filter((t) => samples.some((s) => s.tables[t]))
      .map((t, i) => ({
        label: t,
        color: colors[i % colors.length]!,
        dashed: i >= colors.length,
        points: samples.map((s) => ({ x: minutes(s), y: s.tables[t] ? pick(s.tables[t]) : Number.NaN })),
      }));
  const w = width / 2;
  const h = height / 2;
  const warm = warmupSeconds / 60;
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    panel(
      { x: 0, y: 0, w, h },
      "Memory per process (after a full GC; grey: warm-up)",
      "MiB",
      memory,
      maxX,
      warm,
    ),
    panel(
      { x: w, y: 0, w, h },
      "Send acknowledged → event on the other process's stream",
      "ms (per sample interval)",
      delivery,
      maxX,
      warm,
    ),
    panel(
      { x: 0, y: h, w, h },
      "Dead rows per table",
      "rows",
      perTable((t) => t.deadRows),
      maxX,
      warm,
    ),
    panel(
      { x: w, y: h, w, h },
      "Table + index size per table",
      "MiB",
      perTable((t) => (t.tableBytes + t.indexBytes) / 2 ** 20),
      maxX,
      warm,
    ),
    "</svg>",
  ].join("\n");
  return new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } })
    .render()
    .asPng();
}
