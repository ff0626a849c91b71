/**
 * Block layout: walks the block tree and places everything on A4 pages.
 * All positions are computed here; pdfkit is only asked to draw single lines
 * (`lineBreak: false`), so it never adds pages by itself.
 */
import type { ChartParse } from './chart-spec.js';
import { type ChartDrawing, drawChart, layoutChart } from './charts.js';
import type { DocFonts } from './fonts.js';
import { withMarkers } from './glyphs.js';
import { type Align, type Block, type Run, runsText } from './markdown.js';
import { type Atom, type InlineStyle, type Line, drawLine, fitOneLine, layoutRuns, measureAtoms, toAtoms, wrap } from './text.js';

export const PAGE = {
  size: 'A4' as const,
  width: 595.28,
  height: 841.89,
  margin: 56,
};

const COLORS = {
  text: '#1a1a1a',
  heading: '#111111',
  quoteText: '#4a4a4a',
  quoteRule: '#c4c4c4',
  codeBg: '#f4f4f4',
  codeText: '#222222',
  rule: '#b8b8b8',
  tableBorder: '#c2c2c2',
  tableHeaderBg: '#ececec',
  footer: '#777777',
  chartError: '#9b1c1c',
};

const BODY: InlineStyle = { size: 10, color: COLORS.text };
const LINE_GAP = 2;
const HEADING: Record<number, { size: number; before: number; after: number; keep: number }> = {
  1: { size: 20, before: 0, after: 10, keep: 0 },
  2: { size: 14, before: 14, after: 6, keep: 80 },
  3: { size: 11.5, before: 10, after: 4, keep: 50 },
  4: { size: 10.5, before: 8, after: 3, keep: 40 },
};
const CODE_SIZE = 8.5;
const CODE_PAD = 6;
const CELL_PAD_X = 4;
const CELL_PAD_Y = 3;
const QUOTE_INDENT = 14;
const CHART_BEFORE = 8;

interface Ctx {
  x: number;
  width: number;
  color: string;
  listDepth: number;
}

interface ActiveQuote {
  x: number;
  startY: number;
  /** Something was drawn inside the quote on the current page. */
  hasContent: boolean;
}

interface PendingMarker {
  line: Line;
  /** Right edge of the marker. */
  right: number;
}

export class Renderer {
  private y = PAGE.margin;
  private readonly top = PAGE.margin;
  private readonly bottom = PAGE.height - PAGE.margin;
  private gap = 0;
  private pageHasContent = false;
  private readonly quotes: ActiveQuote[] = [];
  private pendingMarkers: PendingMarker[] = [];
  private currentH1: PDFKit.PDFOutline | null = null;
  private readonly chartLayouts = new WeakMap<ChartParse, { width: number; chart: ChartDrawing | Error }>();

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly fonts: DocFonts,
  ) {}

  render(blocks: readonly Block[]): void {
    const ctx: Ctx = { x: PAGE.margin, width: PAGE.width - 2 * PAGE.margin, color: COLORS.text, listDepth: 0 };
    this.blocks(blocks, ctx);
  }

  // -- page flow ------------------------------------------------------------

  private newPage(): void {
    for (const q of this.quotes) {
      if (q.hasContent) this.quoteRule(q, this.y);
      q.startY = this.top;
      q.hasContent = false;
    }
    this.doc.addPage();
    this.y = this.top;
    this.gap = 0;
    this.pageHasContent = false;
  }

  private get remaining(): number {
    return this.bottom - this.y;
  }

  /** Applies the collapsed vertical gap (dropped at the top of a page). */
  private space(before: number): void {
    const g = Math.max(this.gap, before);
    this.gap = 0;
    if (this.pageHasContent) this.y += g;
  }

  /** Breaks the page unless `height` fits (never breaks an empty page). */
  private ensure(height: number): void {
    if (this.y + height > this.bottom + 0.01 && this.pageHasContent) this.newPage();
  }

  private markContent(): void {
    this.pageHasContent = true;
    for (const q of this.quotes) q.hasContent = true;
  }

  private drawTextLine(line: Line, x: number, align: Align = 'left', boxWidth?: number): void {
    for (const m of this.pendingMarkers) {
      drawLine(this.doc, this.fonts, m.line, m.right - m.line.width, this.y + line.ascent - m.line.ascent);
    }
    this.pendingMarkers = [];
    drawLine(this.doc, this.fonts, line, x, this.y, align, boxWidth);
    this.markContent();
  }

  // -- blocks ---------------------------------------------------------------

  private blocks(blocks: readonly Block[], ctx: Ctx): void {
    blocks.forEach((block, i) => {
      const next = blocks[i + 1];
      if (block.type === 'heading' && next?.type === 'chart') {
        // A chart is unbreakable: keep the heading with all of it, not just a few lines.
        const chart = this.chartLayout(next.chart, ctx.width);
        const fits = chart !== undefined && !(chart instanceof Error) && chart.height <= this.bottom - this.top;
        this.heading(block.level, block.runs, ctx, fits ? { height: chart.height, before: CHART_BEFORE } : undefined);
      } else {
        this.block(block, ctx);
      }
    });
  }

  private block(block: Block, ctx: Ctx): void {
    switch (block.type) {
      case 'heading':
        this.heading(block.level, block.runs, ctx);
        break;
      case 'paragraph':
        this.paragraph(block.runs, ctx, block.tight);
        break;
      case 'list':
        this.list(block, ctx);
        break;
      case 'blockquote':
        this.blockquote(block.children, ctx);
        break;
      case 'code':
        this.code(block.text, ctx);
        break;
      case 'hr':
        this.hr(ctx);
        break;
      case 'table':
        this.table(block, ctx);
        break;
      case 'chart':
        this.chart(block.chart, ctx);
        break;
    }
  }

  /** `next`: an unbreakable block that follows and must stay on the heading's page. */
  private heading(level: number, runs: Run[], ctx: Ctx, next?: { height: number; before: number }): void {
    const spec = HEADING[Math.min(level, 4)] ?? HEADING[4];
    if (!spec) return;
    const style: InlineStyle = { size: spec.size, color: ctx.color === COLORS.text ? COLORS.heading : ctx.color, bold: true };
    const lines = layoutRuns(runs, style, ctx.width);
    const height = lines.reduce((h, l) => h + l.height + LINE_GAP, 0);
    if (level === 1 && ctx.listDepth === 0 && this.quotes.length === 0) {
      if (this.pageHasContent) this.newPage();
    } else {
      this.space(spec.before);
      // Keep with the next paragraph.
      const keep = next ? Math.max(spec.keep, Math.max(spec.after, next.before) + next.height) : spec.keep;
      this.ensure(height + Math.max(keep, 0));
    }
    // Outline entries are plain text a viewer shows as it is: invisible characters there are shown too.
    const title = withMarkers(runsText(runs));
    if (level === 1) {
      this.currentH1 = this.doc.outline.addItem(title, { expanded: true });
    } else if (level === 2) {
      (this.currentH1 ?? this.doc.outline).addItem(title);
    }
    for (const line of lines) {
      this.ensure(line.height);
      this.drawTextLine(line, ctx.x);
      this.y += line.height + LINE_GAP;
    }
    if (level <= 2) {
      const ruleY = this.y + 1;
      if (level === 1) {
        this.doc.save().lineWidth(0.75).strokeColor(COLORS.rule).moveTo(ctx.x, ruleY).lineTo(ctx.x + ctx.width, ruleY).stroke().restore();
        this.y += 3;
      }
    }
    this.gap = spec.after;
  }

  private paragraph(runs: Run[], ctx: Ctx, tight: boolean): void {
    const style: InlineStyle = { ...BODY, color: ctx.color };
    const lines = layoutRuns(runs, style, ctx.width);
    this.space(0);
    for (const line of lines) {
      this.ensure(line.height);
      this.drawTextLine(line, ctx.x);
      this.y += line.height + LINE_GAP;
    }
    this.gap = tight ? 2 : 6;
  }

  private list(block: Extract<Block, { type: 'list' }>, ctx: Ctx): void {
    const style: InlineStyle = { ...BODY, color: ctx.color };
    const bullets = ['•', '◦', '▪'];
    const markers = block.items.map((_, i) =>
      block.ordered ? `${block.start + i}.` : (bullets[ctx.listDepth % bullets.length] ?? '•'),
    );
    const markerLines = markers.map((m) => layoutRuns([{ text: m, bold: false, italic: false, code: false, strike: false }], style, Number.MAX_SAFE_INTEGER)[0]);
    const widest = markerLines.reduce((w, l) => Math.max(w, l?.width ?? 0), 0);
    const indent = Math.max(14, widest + 6);
    const inner: Ctx = { x: ctx.x + indent, width: ctx.width - indent, color: ctx.color, listDepth: ctx.listDepth + 1 };
    this.space(ctx.listDepth > 0 ? 2 : 4);
    block.items.forEach((item, i) => {
      const marker = markerLines[i];
      if (i > 0) this.space(block.tight ? 2 : 6);
      if (marker) this.pendingMarkers.push({ line: marker, right: ctx.x + indent - 5 });
      this.blocks(item, inner);
      if (this.pendingMarkers.length > 0) {
        // Empty item: the marker still gets its own line.
        const h = BODY.size * 1.164;
        this.space(0);
        this.ensure(h);
        this.drawTextLine({ items: [], width: 0, ascent: BODY.size * 0.928, height: h }, inner.x);
        this.y += h + LINE_GAP;
      }
    });
    this.gap = Math.max(this.gap, ctx.listDepth > 0 ? 2 : 6);
  }

  private blockquote(children: Block[], ctx: Ctx): void {
    this.space(4);
    const quote: ActiveQuote = { x: ctx.x + 3, startY: this.y, hasContent: false };
    this.quotes.push(quote);
    const inner: Ctx = { x: ctx.x + QUOTE_INDENT, width: ctx.width - QUOTE_INDENT, color: COLORS.quoteText, listDepth: ctx.listDepth };
    this.blocks(children, inner);
    this.gap = 0;
    this.quotes.pop();
    if (quote.hasContent) this.quoteRule(quote, this.y - LINE_GAP);
    this.gap = 6;
  }

  private quoteRule(q: ActiveQuote, endY: number): void {
    const end = Math.min(endY, this.bottom);
    if (end <= q.startY + 0.5) return;
    this.doc.save().rect(q.x, q.startY, 2.5, end - q.startY).fill(COLORS.quoteRule).restore();
  }

  private code(text: string, ctx: Ctx): void {
    const style: InlineStyle = { size: CODE_SIZE, color: COLORS.codeText, mono: true };
    const innerWidth = ctx.width - 2 * CODE_PAD;
    const lines: Line[] = [];
    for (const src of text.split('\n')) {
      const expanded = src.replace(/\t/g, '    ');
      lines.push(...layoutRuns([{ text: expanded, bold: false, italic: false, code: false, strike: false }], style, innerWidth, true));
    }
    const lineGap = 1.5;
    this.space(4);
    let i = 0;
    while (i < lines.length) {
      // Lines that fit on this page (at least one line on an empty page).
      let h = 2 * CODE_PAD;
      let j = i;
      while (j < lines.length) {
        const l = lines[j];
        if (!l) break;
        const next = h + l.height + (j > i ? lineGap : 0);
        if (this.y + next > this.bottom && (j > i || this.pageHasContent)) break;
        h = next;
        j++;
      }
      if (j === i) {
        this.newPage();
        continue;
      }
      this.doc.save().rect(ctx.x, this.y, ctx.width, h).fill(COLORS.codeBg).restore();
      let ly = this.y + CODE_PAD;
      const saveY = this.y;
      for (let k = i; k < j; k++) {
        const l = lines[k];
        if (!l) continue;
        this.y = ly;
        this.drawTextLine(l, ctx.x + CODE_PAD);
        ly += l.height + lineGap;
      }
      this.y = saveY + h;
      this.markContent();
      i = j;
      if (i < lines.length) this.newPage();
    }
    this.gap = 8;
  }

  private hr(ctx: Ctx): void {
    this.space(6);
    this.ensure(8);
    const y = this.y + 4;
    this.doc.save().lineWidth(0.5).strokeColor(COLORS.rule).moveTo(ctx.x, y).lineTo(ctx.x + ctx.width, y).stroke().restore();
    this.markContent();
    this.y += 8;
    this.gap = 6;
  }

  // -- charts ---------------------------------------------------------------

  /** A chart is one unbreakable block: it moves whole to the next page when it does not fit. */
  private chart(parsed: ChartParse, ctx: Ctx): void {
    if (!parsed.ok) {
      this.chartError(parsed.error, ctx);
      return;
    }
    const chart = this.chartLayout(parsed, ctx.width);
    if (chart instanceof Error) {
      this.chartError(`layout failed (${chart.message})`, ctx);
      return;
    }
    if (!chart) return;
    if (chart.height > this.bottom - this.top) {
      this.chartError('it is taller than a page; use fewer categories or tiles', ctx);
      return;
    }
    this.space(CHART_BEFORE);
    this.ensure(chart.height);
    for (const m of this.pendingMarkers) {
      drawLine(this.doc, this.fonts, m.line, m.right - m.line.width, this.y + chart.firstBaseline - m.line.ascent);
    }
    this.pendingMarkers = [];
    drawChart(this.doc, this.fonts, chart, ctx.x, this.y);
    this.markContent();
    this.y += chart.height;
    this.gap = 10;
  }

  /** Lays a chart out once per block and width (a preceding heading asks for its height too). */
  private chartLayout(parsed: ChartParse, width: number): ChartDrawing | Error | undefined {
    if (!parsed.ok) return undefined;
    const cached = this.chartLayouts.get(parsed);
    if (cached?.width === width) return cached.chart;
    let chart: ChartDrawing | Error;
    try {
      chart = layoutChart(parsed.spec, width);
    } catch (err) {
      chart = err instanceof Error ? err : new Error(String(err));
    }
    this.chartLayouts.set(parsed, { width, chart });
    return chart;
  }

  /** The visible, plain-text replacement of a chart that cannot be drawn. */
  private chartError(why: string, ctx: Ctx): void {
    this.space(4);
    this.paragraph([plainRun(`chart could not be drawn: ${why}`)], { ...ctx, color: COLORS.chartError }, false);
  }

  // -- tables ---------------------------------------------------------------

  private table(block: Extract<Block, { type: 'table' }>, ctx: Ctx): void {
    const columns = block.align.length;
    if (columns === 0) return;
    const bodyStyle: InlineStyle = { size: 9, color: ctx.color };
    const headStyle: InlineStyle = { ...bodyStyle, bold: true, color: ctx.color === COLORS.text ? COLORS.heading : ctx.color };
    const cell = (row: Run[][], c: number): Run[] => row[c] ?? [];

    // Each cell is broken into atoms once: for the column widths, then for wrapping.
    const atomsOf = (row: Run[][], style: InlineStyle) => Array.from({ length: columns }, (_, c) => toAtoms(cell(row, c), style));
    const headAtoms = atomsOf(block.header, headStyle);
    const bodyAtoms = block.rows.map((row) => atomsOf(row, bodyStyle));

    // Column widths from content.
    const mins = new Array<number>(columns).fill(0);
    const maxs = new Array<number>(columns).fill(0);
    const consider = (row: Atom[][]): void => {
      for (let c = 0; c < columns; c++) {
        const m = measureAtoms(row[c]!);
        mins[c] = Math.max(mins[c] ?? 0, m.min + 2 * CELL_PAD_X);
        maxs[c] = Math.max(maxs[c] ?? 0, m.max + 2 * CELL_PAD_X);
      }
    };
    consider(headAtoms);
    for (const row of bodyAtoms) consider(row);
    const widths = columnWidths(mins, maxs, ctx.width);

    const layoutRow = (row: Atom[][], style: InlineStyle): Line[][] => widths.map((w, c) => wrap(row[c]!, Math.max(w - 2 * CELL_PAD_X, 1), style.size));
    const header = block.header.length > 0 ? layoutRow(headAtoms, headStyle) : null;
    const headerHeight = header ? rowHeight(header) : 0;

    this.space(4);
    const rows = bodyAtoms.map((r) => layoutRow(r, bodyStyle));
    const first = rows[0];
    // Keep the header with the first row (or with a few lines of a row
    // that is taller than a page anyway).
    this.ensure(headerHeight + (first ? this.rowNeed(rowHeight(first), headerHeight) : 0));
    if (header) this.tableRow(header, widths, ctx.x, block.align, true, null);
    for (const row of rows) this.tableRow(row, widths, ctx.x, block.align, false, header);
    this.gap = 8;
  }

  /** Space a row needs on the current page: all of it, unless it is taller than a page. */
  private rowNeed(height: number, headerHeight: number): number {
    const page = this.bottom - this.top - headerHeight;
    return height <= page ? height : Math.min(height, 4 * (BODY.size * 1.164 + LINE_GAP) + 2 * CELL_PAD_Y);
  }

  /**
   * Draws one row; breaks the page before it if it does not fit (repeating
   * the header). A row taller than a page is split between lines.
   */
  private tableRow(cells: Line[][], widths: number[], x: number, align: Align[], isHeader: boolean, header: Line[][] | null): void {
    const total = rowHeight(cells);
    const headerHeight = header ? rowHeight(header) : 0;
    if (this.y + this.rowNeed(total, headerHeight) > this.bottom && this.pageHasContent) {
      this.newPage();
      if (header) this.tableRow(header, widths, x, align, true, null);
    }
    const next = cells.map(() => 0);
    for (;;) {
      // Lines of each cell that fit in the space left on this page.
      const avail = this.bottom - this.y - 2 * CELL_PAD_Y;
      const slices = cells.map((lines, c) => {
        const from = next[c] ?? 0;
        let h = 0;
        let to = from;
        while (to < lines.length) {
          const l = lines[to];
          if (!l) break;
          if (h + l.height + LINE_GAP > avail && to > from) break;
          h += l.height + LINE_GAP;
          to++;
        }
        return { from, to, h };
      });
      const height = Math.max(...slices.map((s) => s.h), 0) + 2 * CELL_PAD_Y;
      let cx = x;
      const tableWidth = widths.reduce((a, b) => a + b, 0);
      if (isHeader) this.doc.save().rect(x, this.y, tableWidth, height).fill(COLORS.tableHeaderBg).restore();
      const rowTop = this.y;
      slices.forEach((s, c) => {
        const w = widths[c] ?? 0;
        const lines = cells[c] ?? [];
        let ly = rowTop + CELL_PAD_Y;
        for (let k = s.from; k < s.to; k++) {
          const l = lines[k];
          if (!l) continue;
          this.y = ly;
          this.drawTextLine(l, cx + CELL_PAD_X, align[c] ?? 'left', w - 2 * CELL_PAD_X);
          ly += l.height + LINE_GAP;
        }
        next[c] = s.to;
        cx += w;
      });
      // Grid.
      this.doc.save().lineWidth(0.5).strokeColor(COLORS.tableBorder);
      cx = x;
      for (const w of widths) {
        this.doc.rect(cx, rowTop, w, height);
        cx += w;
      }
      this.doc.stroke().restore();
      this.y = rowTop + height;
      this.markContent();
      const done = cells.every((lines, c) => (next[c] ?? 0) >= lines.length);
      if (done) return;
      this.newPage();
      if (header) this.tableRow(header, widths, x, align, true, null);
    }
  }

  // -- footer ---------------------------------------------------------------

  /** Writes the footer on every buffered page (call once, after all content). */
  footers(footer: string): void {
    const range = this.doc.bufferedPageRange();
    const total = range.count;
    const style: InlineStyle = { size: 7.5, color: COLORS.footer };
    const width = PAGE.width - 2 * PAGE.margin;
    const lineTop = PAGE.height - PAGE.margin + 18;
    for (let i = range.start; i < range.start + total; i++) {
      this.doc.switchToPage(i);
      const margins = this.doc.page.margins;
      const savedBottom = margins.bottom;
      margins.bottom = 0;
      const pageLabel = fitOneLine([plainRun(`Page ${i - range.start + 1} of ${total}`)], style, width);
      const left = fitOneLine([plainRun(footer.replace(/\s+/g, ' ').trim())], style, width - pageLabel.width - 18);
      this.doc
        .save()
        .lineWidth(0.5)
        .strokeColor('#d0d0d0')
        .moveTo(PAGE.margin, lineTop - 5)
        .lineTo(PAGE.width - PAGE.margin, lineTop - 5)
        .stroke()
        .restore();
      drawLine(this.doc, this.fonts, left, PAGE.margin, lineTop);
      drawLine(this.doc, this.fonts, pageLabel, PAGE.margin, lineTop, 'right', width);
      margins.bottom = savedBottom;
    }
  }
}

function plainRun(text: string): Run {
  return { text, bold: false, italic: false, code: false, strike: false };
}

function rowHeight(cells: Line[][]): number {
  let h = 0;
  for (const lines of cells) h = Math.max(h, lines.reduce((s, l) => s + l.height + LINE_GAP, 0));
  return h + 2 * CELL_PAD_Y;
}

/**
 * Auto table layout: natural widths if they fit. Otherwise columns whose
 * natural width is within a fair share of the space keep it (short columns
 * such as names or scores do not wrap), and the rest get their longest word
 * plus a share of the remaining space by how much they want (max - min).
 */
export function columnWidths(mins: number[], maxs: number[], available: number): number[] {
  const n = maxs.length;
  const sumMax = maxs.reduce((a, b) => a + b, 0);
  if (sumMax <= available) return [...maxs];
  const sumMin = mins.reduce((a, b) => a + b, 0);
  if (sumMin > available) {
    // Even the longest words do not fit: short columns keep their longest word, and only the
    // columns with the longest unbreakable words (ARNs, hashes) are capped and break.
    let cap = available / n;
    const sorted = [...mins].sort((a, b) => a - b);
    let rest = available;
    for (let i = 0; i < n; i++) {
      const share = rest / (n - i);
      if ((sorted[i] ?? 0) > share) {
        cap = share;
        break;
      }
      rest -= sorted[i] ?? 0;
      cap = share;
    }
    return mins.map((m) => Math.min(m, cap));
  }
  const widths = new Array<number | undefined>(n).fill(undefined);
  let space = available;
  let open = n;
  for (let changed = true; changed && open > 0; ) {
    changed = false;
    // Space the remaining flexible columns need at least.
    const reserved = mins.reduce((a, m, i) => a + (widths[i] === undefined ? m : 0), 0);
    for (let i = 0; i < n; i++) {
      const max = maxs[i] ?? 0;
      const min = mins[i] ?? 0;
      if (widths[i] !== undefined) continue;
      if (max <= space / open && space - max >= reserved - min) {
        widths[i] = max;
        space -= max;
        open--;
        changed = true;
        break;
      }
    }
  }
  const restMin = mins.reduce((a, m, i) => a + (widths[i] === undefined ? m : 0), 0);
  const want = maxs.reduce((a, m, i) => a + (widths[i] === undefined ? m - (mins[i] ?? 0) : 0), 0);
  const slack = Math.max(0, space - restMin);
  return widths.map((w, i) => {
    if (w !== undefined) return w;
    const min = mins[i] ?? 0;
    return min + (want > 0 ? (slack * ((maxs[i] ?? min) - min)) / want : slack / Math.max(open, 1));
  });
}
