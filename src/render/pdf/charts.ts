/**
 * Vector charts for ```chart fences: a spec (see chart-spec.ts) is laid out
 * into a list of drawing operations with a known height, then drawn at a
 * position on the page with pdfkit paths and text — no images.
 *
 * All text goes through the inline text code (text.ts), so labels get the
 * same fonts, fallback faces and measurement as body text, and are always
 * drawn literally.
 */
import {
  type BarsSpec,
  type ChartSpec,
  type StackedBarsSpec,
  type TilesSpec,
  type TimelineSpec,
  contrast,
  dayNumber,
  formatNumber,
  labelColor,
} from './chart-spec.js';
import type { DocFonts } from './fonts.js';
import type { Run } from './markdown.js';
import { type InlineStyle, type Line, drawLine, fitOneLine, layoutClamped, measureRuns } from './text.js';

type Op =
  | { kind: 'rect'; x: number; y: number; w: number; h: number; fill: string; stroke?: string }
  /** Diagonal stripes of `color` on white, outlined: a state set apart from one of the same colour. */
  | { kind: 'hatch'; x: number; y: number; w: number; h: number; color: string }
  | { kind: 'line'; x1: number; y1: number; x2: number; y2: number; color: string; width: number }
  | { kind: 'text'; line: Line; x: number; y: number; align?: 'left' | 'center' | 'right'; box?: number }
  | { kind: 'tile'; x: number; y: number; w: number; h: number; tone: string };

export interface ChartDrawing {
  /** Total height of the chart, including title, legend and note. */
  height: number;
  /** Baseline of the first text line from the chart's top (aligns list markers with the chart). */
  firstBaseline: number;
  ops: Op[];
}

const INK = '#1a1a1a';
const MUTED = '#555555';
const AXIS = '#8a8a8a';
const OUTLINE = '#9e9e9e';
const TILE_BG = '#f6f6f6';
const TILE_BORDER = '#d4d4d4';

const TITLE: InlineStyle = { size: 11, color: '#111111', bold: true };
const LEGEND: InlineStyle = { size: 8.5, color: INK };
const CATEGORY: InlineStyle = { size: 8.5, color: INK };
const TOTAL: InlineStyle = { size: 8.5, color: INK, bold: true };
const SEGMENT_SIZE = 7.5;
const NOTE: InlineStyle = { size: 7.5, color: MUTED, italic: true };
const EMPTY: InlineStyle = { size: 8.5, color: MUTED, italic: true };
const TILE_LABEL: InlineStyle = { size: 8.5, color: INK };
const TILE_DETAIL: InlineStyle = { size: 7.5, color: MUTED };

const LINE_GAP = 2;
/** Bar height and gap between rows; charts with many categories are set denser so that they fit a page. */
const ROWS = { bar: 14, gap: 6, labelLines: 2 };
const DENSE_ROWS = { bar: 11, gap: 4, labelLines: 1 };
const DENSE_FROM = 21;
const LABEL_GAP = 8;
const SWATCH = 8;
const TILE_GAP = 8;
const TILE_EDGE = 4;
const TILE_PAD = 8;
const TILE_RADIUS = 4;
const VALUE_SIZES = [18, 16, 14, 12];
const STRIP = 12;
const TICK = 3;
const AXIS_LABEL: InlineStyle = { size: 7, color: MUTED };
const HATCH_GAP = 3;

/** Fills that are hard to see on white paper get a thin outline. */
const needsOutline = (fill: string): boolean => contrast(fill, '#ffffff') < 1.5;

function run(text: string): Run[] {
  return [{ text, bold: false, italic: false, code: false, strike: false }];
}

function oneLine(text: string, style: InlineStyle): Line {
  return fitOneLine(run(text), style, Number.MAX_SAFE_INTEGER);
}

function blockHeight(lines: readonly Line[]): number {
  return lines.reduce((h, l, i) => h + l.height + (i > 0 ? LINE_GAP : 0), 0);
}

class Builder {
  readonly ops: Op[] = [];
  y = 0;
  firstBaseline: number | undefined;

  constructor(readonly width: number) {}

  text(line: Line, x: number, y: number, align?: 'left' | 'center' | 'right', box?: number): void {
    this.firstBaseline ??= y + line.ascent;
    this.ops.push({ kind: 'text', line, x, y, ...(align ? { align } : {}), ...(box !== undefined ? { box } : {}) });
  }

  /** Stacks lines from (x, y); returns the height used. */
  lines(lines: readonly Line[], x: number, y: number): number {
    let ly = y;
    lines.forEach((l, i) => {
      if (i > 0) ly += LINE_GAP;
      this.text(l, x, ly);
      ly += l.height;
    });
    return ly - y;
  }

  title(title: string | undefined): void {
    if (title === undefined || title === '') return;
    this.y += this.lines(layoutClamped(run(title), TITLE, this.width, 3), 0, this.y) + 6;
  }

  note(note: string | undefined): void {
    if (note === undefined || note === '') return;
    this.y += 6;
    this.y += this.lines(layoutClamped(run(note), NOTE, this.width, 4), 0, this.y);
  }

  /** A filled box, or a hatched one. */
  swatch(x: number, y: number, w: number, h: number, color: string, pattern?: 'hatch'): void {
    if (pattern === 'hatch') this.ops.push({ kind: 'hatch', x, y, w, h, color });
    else this.ops.push({ kind: 'rect', x, y, w, h, fill: color, ...(needsOutline(color) ? { stroke: OUTLINE } : {}) });
  }

  /** Swatches and names in reading order, wrapping like words. */
  legend(items: readonly { name: string; color: string; pattern?: 'hatch' }[]): void {
    const gap = 14;
    let x = 0;
    let rowHeight = 0;
    let row: { line: Line; color: string; pattern?: 'hatch'; x: number }[] = [];
    const flush = (): void => {
      if (row.length === 0) return;
      for (const item of row) {
        this.swatch(item.x, this.y + (rowHeight - SWATCH) / 2, SWATCH, SWATCH, item.color, item.pattern);
        this.text(item.line, item.x + SWATCH + 4, this.y + (rowHeight - item.line.height) / 2);
      }
      this.y += rowHeight + 4;
      row = [];
      rowHeight = 0;
      x = 0;
    };
    for (const item of items) {
      const line = fitOneLine(run(item.name), LEGEND, Math.max(this.width - SWATCH - 4, 1));
      const w = SWATCH + 4 + line.width;
      if (row.length > 0 && x + w > this.width) flush();
      row.push({ line, color: item.color, ...(item.pattern ? { pattern: item.pattern } : {}), x });
      rowHeight = Math.max(rowHeight, line.height, SWATCH);
      x += w + gap;
    }
    flush();
    this.y += 2;
  }

  done(): ChartDrawing {
    return { height: this.y, firstBaseline: this.firstBaseline ?? 0, ops: this.ops };
  }
}

interface BarRow {
  label: string;
  segments: { value: number; color: string }[];
  /** Label at the end of the bar. */
  end: string;
  total: number;
}

/** Horizontal bars with a label column, segments and a label at each bar end. */
function barRows(b: Builder, rows: readonly BarRow[], segmentLabels: boolean, emptyText: string): void {
  const width = b.width;
  const natural = rows.reduce((w, r) => Math.max(w, measureRuns(run(r.label), CATEGORY).max), 0);
  const labelCol = Math.min(Math.ceil(natural), Math.max(width * 0.3, 40));
  const x0 = rows.length > 0 ? labelCol + LABEL_GAP : 0;
  const maxTotal = rows.reduce((m, r) => Math.max(m, r.total), 0);
  const empty = maxTotal <= 0;
  // End labels are short numbers; a long unit is cut so that the bars keep most of the width.
  const endLines = rows.map((r) => fitOneLine(run(r.end), TOTAL, width * 0.35));
  const endReserve = empty ? 0 : endLines.reduce((w, l) => Math.max(w, l.width), 0) + 6;
  const barArea = Math.max(width - x0 - endReserve, 1);
  const scale = empty ? 0 : barArea / maxTotal;

  const { bar: barHeight, gap, labelLines } = rows.length >= DENSE_FROM ? DENSE_ROWS : ROWS;
  const axisTop = b.y;
  const top = axisTop + 3;
  let y = top;
  rows.forEach((r, i) => {
    const labels = layoutClamped(run(r.label), CATEGORY, Math.max(labelCol, 1), labelLines);
    const labelHeight = blockHeight(labels);
    const rowHeight = Math.max(barHeight, labelHeight);
    if (i > 0) y += gap;
    b.lines(labels, 0, y + (rowHeight - labelHeight) / 2);
    const barY = y + (rowHeight - barHeight) / 2;
    if (!empty) {
      let x = x0;
      const drawn: { x: number; w: number; value: number; color: string }[] = [];
      for (const s of r.segments) {
        if (s.value <= 0) continue;
        const w = s.value * scale;
        b.ops.push({ kind: 'rect', x, y: barY, w, h: barHeight, fill: s.color, ...(needsOutline(s.color) ? { stroke: OUTLINE } : {}) });
        drawn.push({ x, w, value: s.value, color: s.color });
        x += w;
      }
      // White hairlines keep adjacent segments apart (also in greyscale print).
      for (let k = 1; k < drawn.length; k++) {
        const d = drawn[k];
        if (d) b.ops.push({ kind: 'line', x1: d.x, y1: barY, x2: d.x, y2: barY + barHeight, color: '#ffffff', width: 1 });
      }
      if (segmentLabels) {
        for (const d of drawn) {
          const line = oneLine(formatNumber(d.value), { size: Math.min(SEGMENT_SIZE, barHeight * 0.6), bold: true, color: labelColor(d.color) });
          if (line.width + 4 <= d.w) b.text(line, d.x, barY + (barHeight - line.height) / 2, 'center', d.w);
        }
      }
      const end = endLines[i];
      if (end) b.text(end, x + 4, barY + (barHeight - end.height) / 2);
    }
    y += rowHeight;
  });
  if (rows.length === 0) y += ROWS.bar;
  if (empty) {
    const line = oneLine(emptyText, EMPTY);
    b.text(line, x0 + 6, top + (y - top - line.height) / 2);
  }
  b.ops.push({ kind: 'line', x1: x0, y1: axisTop, x2: x0, y2: y + 3, color: AXIS, width: 0.75 });
  b.y = y + 3;
}

/** What an axis with nothing on it says: "no checks" for a unit in words, else "no controls". */
const emptyText = (unit: string | undefined) => (unit && /^\p{L}/u.test(unit) ? `no ${unit}` : 'no controls');

function stackedBars(spec: StackedBarsSpec, width: number): ChartDrawing {
  const b = new Builder(width);
  b.title(spec.title);
  b.legend(spec.series);
  const rows = spec.categories.map((label, i): BarRow => {
    const segments = spec.series.map((s) => ({ value: s.values[i] ?? 0, color: s.color }));
    const total = segments.reduce((sum, s) => sum + s.value, 0);
    return { label, segments, total, end: spec.unit ? `${formatNumber(total)} ${spec.unit}` : formatNumber(total) };
  });
  barRows(b, rows, true, emptyText(spec.unit));
  b.note(spec.note);
  return b.done();
}

function bars(spec: BarsSpec, width: number): ChartDrawing {
  const b = new Builder(width);
  b.title(spec.title);
  const unit = spec.unit;
  const rows = spec.categories.map((label, i): BarRow => {
    const value = spec.values[i] ?? 0;
    return { label, segments: [{ value, color: spec.color }], total: value, end: unit ? `${formatNumber(value)} ${unit}` : formatNumber(value) };
  });
  barRows(b, rows, false, emptyText(unit));
  b.note(spec.note);
  return b.done();
}

/** Tiles per row: up to four, avoiding a lonely last tile where three per row does better. */
export function tileColumns(count: number): number {
  if (count <= 4) return Math.max(count, 2);
  const rest4 = count % 4;
  const rest3 = count % 3;
  return (rest4 === 1 || rest4 === 2) && (rest3 === 0 || rest3 === 2) ? 3 : 4;
}

/** The big tile value: the largest size at which it fits one line, else wrapped (never silently cut short). */
function bigValue(value: string, width: number): Line[] {
  for (const size of VALUE_SIZES) {
    const line = oneLine(value, { size, bold: true, color: '#111111' });
    if (line.width <= width) return [line];
  }
  return layoutClamped(run(value), { size: VALUE_SIZES[VALUE_SIZES.length - 1] ?? 10, bold: true, color: '#111111' }, width, 3);
}

function tiles(spec: TilesSpec, width: number): ChartDrawing {
  const b = new Builder(width);
  b.title(spec.title);
  const columns = tileColumns(spec.tiles.length);
  const tileWidth = (width - (columns - 1) * TILE_GAP) / columns;
  const inner = Math.max(tileWidth - TILE_EDGE - 2 * TILE_PAD, 1);
  for (let start = 0; start < spec.tiles.length; start += columns) {
    if (start > 0) b.y += TILE_GAP;
    const row = spec.tiles.slice(start, start + columns).map((t) => {
      const value = bigValue(t.value, inner);
      const label = layoutClamped(run(t.label), TILE_LABEL, inner, 3);
      const detail = [t.detail, t.target, t.previous].flatMap((d) => (d ? [layoutClamped(run(d), TILE_DETAIL, inner, 2)] : []));
      const height = blockHeight(value) + 3 + blockHeight(label) + detail.reduce((h, d) => h + 3 + blockHeight(d), 0);
      return { tone: t.tone, value, label, detail, height };
    });
    const rowHeight = Math.max(...row.map((t) => t.height)) + 2 * TILE_PAD;
    row.forEach((t, i) => {
      const x = i * (tileWidth + TILE_GAP);
      b.ops.push({ kind: 'tile', x, y: b.y, w: tileWidth, h: rowHeight, tone: t.tone });
      const tx = x + TILE_EDGE + TILE_PAD;
      let ty = b.y + TILE_PAD;
      ty += b.lines(t.value, tx, ty) + 3;
      ty += b.lines(t.label, tx, ty);
      for (const d of t.detail) ty += 3 + b.lines(d, tx, ty + 3);
    });
    b.y += rowHeight;
  }
  b.note(spec.note);
  return b.done();
}

/** The first day of each month after `from` up to `to`, as day numbers. */
function monthStarts(from: string, to: string): { day: number; label: string }[] {
  const starts: { day: number; label: string }[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  for (;;) {
    month = month === 12 ? 1 : month + 1;
    if (month === 1) year++;
    const label = `${year}-${String(month).padStart(2, '0')}`;
    if (`${label}-01` > to) return starts;
    starts.push({ day: dayNumber(`${label}-01`), label });
  }
}

/**
 * One strip across the span, a day's width per day, with the states present in the legend, a tick at
 * each month's start, the first and last day at the ends, and the months named where they fit.
 */
function timeline(spec: TimelineSpec, width: number): ChartDrawing {
  const b = new Builder(width);
  b.title(spec.title);
  const present = new Set(spec.segments.map((g) => g.state));
  b.legend(spec.states.filter((_, i) => present.has(i)));
  const first = dayNumber(spec.from);
  const dayWidth = width / (dayNumber(spec.to) - first + 1);
  const top = b.y;
  for (const g of spec.segments) {
    const state = spec.states[g.state];
    if (!state) continue;
    const x = (dayNumber(g.from) - first) * dayWidth;
    // A single day stays visible however long the span.
    const w = Math.max((dayNumber(g.to) - dayNumber(g.from) + 1) * dayWidth, 0.75);
    b.swatch(x, top, Math.min(w, width - x), STRIP, state.color, state.pattern);
  }
  const axis = top + STRIP;
  // The frame drawn over the segments: the span's ends show where no segment reaches.
  for (const [x1, y1, x2, y2] of [[0, top, width, top], [0, axis, width, axis], [0, top, 0, axis], [width, top, width, axis]] as const) {
    b.ops.push({ kind: 'line', x1, y1, x2, y2, color: OUTLINE, width: 0.5 });
  }
  const ticks = monthStarts(spec.from, spec.to).map((m) => ({ ...m, x: (m.day - first) * dayWidth }));
  for (const t of ticks) b.ops.push({ kind: 'line', x1: t.x, y1: axis, x2: t.x, y2: axis + TICK, color: AXIS, width: 0.75 });
  const labelY = axis + TICK + 1;
  const start = oneLine(spec.from, AXIS_LABEL);
  const end = oneLine(spec.to, AXIS_LABEL);
  b.text(start, 0, labelY);
  if (spec.to !== spec.from) b.text(end, width - end.width, labelY);
  // Month labels left to right where they clear the end labels and each other.
  let free = start.width + 6;
  for (const t of ticks) {
    const line = oneLine(t.label, AXIS_LABEL);
    const x = t.x + 2;
    if (x < free || x + line.width > width - end.width - 6) continue;
    b.text(line, x, labelY);
    free = x + line.width + 6;
  }
  b.y = labelY + start.height;
  b.note(spec.note);
  return b.done();
}

/** Lays a chart out for the given width (all positions relative to its top-left corner). */
export function layoutChart(spec: ChartSpec, width: number): ChartDrawing {
  switch (spec.type) {
    case 'stacked-bars':
      return stackedBars(spec, width);
    case 'bars':
      return bars(spec, width);
    case 'tiles':
      return tiles(spec, width);
    case 'timeline':
      return timeline(spec, width);
  }
}

/** Draws a laid-out chart with its top-left corner at (x, y). */
export function drawChart(doc: PDFKit.PDFDocument, fonts: DocFonts, chart: ChartDrawing, x: number, y: number): void {
  for (const op of chart.ops) {
    switch (op.kind) {
      case 'rect':
        doc.save().rect(x + op.x, y + op.y, op.w, op.h).fill(op.fill).restore();
        if (op.stroke) doc.save().lineWidth(0.5).rect(x + op.x, y + op.y, op.w, op.h).stroke(op.stroke).restore();
        break;
      case 'hatch': {
        const hx = x + op.x;
        const hy = y + op.y;
        doc.save().rect(hx, hy, op.w, op.h).fill('#ffffff').restore();
        doc.save().rect(hx, hy, op.w, op.h).clip().lineWidth(1.1).strokeColor(op.color);
        // Stripes rising left to right, HATCH_GAP apart, across the whole box.
        for (let d = -op.h; d < op.w; d += HATCH_GAP) doc.moveTo(hx + d, hy + op.h).lineTo(hx + d + op.h, hy);
        doc.stroke().restore();
        doc.save().lineWidth(0.5).rect(hx, hy, op.w, op.h).stroke(op.color).restore();
        break;
      }
      case 'line':
        doc.save().lineWidth(op.width).strokeColor(op.color).moveTo(x + op.x1, y + op.y1).lineTo(x + op.x2, y + op.y2).stroke().restore();
        break;
      case 'tile': {
        const tx = x + op.x;
        const ty = y + op.y;
        doc.save().roundedRect(tx, ty, op.w, op.h, TILE_RADIUS).fill(TILE_BG).restore();
        doc.save().roundedRect(tx, ty, op.w, op.h, TILE_RADIUS).clip().rect(tx, ty, TILE_EDGE, op.h).fill(op.tone).restore();
        doc.save().lineWidth(0.5).roundedRect(tx, ty, op.w, op.h, TILE_RADIUS).stroke(TILE_BORDER).restore();
        break;
      }
      case 'text':
        drawLine(doc, fonts, op.line, x + op.x, y + op.y, op.align, op.box);
        break;
    }
  }
}
