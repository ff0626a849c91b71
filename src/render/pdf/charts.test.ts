import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STATUS_COLORS, contrast, formatNumber, labelColor, parseChartSpec } from './chart-spec.js';
import { type ChartDrawing, layoutChart, tileColumns } from './charts.js';
import { type PdfOptions, renderMarkdownPdf } from './index.js';
import { parseMarkdown } from './markdown.js';
import { lineText } from './text.js';
import { tempDir } from '../../../test/helpers/temp.js';

const base: PdfOptions = {
  title: 'Board report',
  author: 'Zoë Ødegård',
  subject: 'Quarterly security posture',
  creationDate: new Date('2024-06-30T00:00:00Z'),
  footer: 'Acme Ltd — board report',
};

const dir = tempDir('legible-charts-test-');

let counter = 0;
async function renderToFile(markdown: string): Promise<string> {
  const buf = await renderMarkdownPdf(markdown, base);
  const file = path.join(dir, `chart-${++counter}.pdf`);
  writeFileSync(file, buf);
  return file;
}

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function text(file: string, page?: number): string {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  return run('pdftotext', ['-layout', ...range, file, '-']);
}

function pageCount(file: string): number {
  return Number(/^Pages:\s+(\d+)/m.exec(run('pdfinfo', [file]))?.[1] ?? 0);
}

/** Rows of `pdfimages -list` below its two header lines. */
function imageRows(file: string): string[] {
  return run('pdfimages', ['-list', file]).trim().split('\n').slice(2).filter((l) => l.trim() !== '');
}

function qdf(file: string): string {
  const out = `${file}.qdf.pdf`;
  run('qpdf', ['--qdf', '--object-streams=disable', file, out]);
  return readFileSync(out).toString('latin1');
}

function expectInOrder(haystack: string, needles: (string | RegExp)[]): void {
  let rest = haystack;
  for (const needle of needles) {
    const m = typeof needle === 'string' ? { index: rest.indexOf(needle), length: needle.length } : (() => {
      const r = needle.exec(rest);
      return { index: r?.index ?? -1, length: r?.[0].length ?? 0 };
    })();
    expect(m.index, `${String(needle)} in order`).toBeGreaterThanOrEqual(0);
    rest = rest.slice(m.index + m.length);
  }
}

const fence = (spec: unknown): string => `\`\`\`chart\n${typeof spec === 'string' ? spec : JSON.stringify(spec, null, 2)}\n\`\`\`\n`;

const ANNEX_A = {
  type: 'stacked-bars',
  title: 'ISO/IEC 27001 Annex A by theme',
  categories: ['Organizational', 'People', 'Physical', 'Technological'],
  series: [
    { name: 'Effective', color: 'effective', values: [12, 3, 1, 20] },
    { name: 'Deficient', color: 'deficient', values: [2, 1, 0, 3] },
    { name: 'Stale', color: 'stale', values: [4, 2, 3, 5] },
    { name: 'No evidence', color: 'no-evidence', values: [10, 1, 6, 4] },
    { name: 'Not applicable', color: 'not-applicable', values: [9, 1, 4, 2] },
  ],
  note: 'Latest evidence status of each Annex A control.',
};

const BARS = {
  type: 'bars',
  title: 'Failing checks by account',
  categories: ['prod-eu-west-1', 'staging', 'sandbox'],
  values: [42, 7, 1250],
  color: 'deficient',
  unit: 'checks',
  note: 'High and critical severity only.',
};

const TILES = {
  type: 'tiles',
  tiles: [
    { label: 'Annex A controls effective', value: '34 of 90', detail: 'previous: 30 of 90', tone: 'effective' },
    { label: 'Deficient controls', value: 6, detail: 'previous: 9', tone: 'improved' },
    { label: 'Controls without evidence', value: '21', detail: 'previous: 18', tone: 'regressed' },
    { label: 'Stale evidence', value: '9', tone: 'stale' },
    { label: 'Custom tone', value: '1', detail: 'unchanged', tone: '#3366CC' },
  ],
};

const TIMELINE = {
  type: 'timeline',
  from: '2026-05-01',
  to: '2026-10-31',
  states: [
    { name: 'Check failing, 4 days', color: 'failing' },
    { name: 'Within an accepted exception, 17 days', color: 'failing', pattern: 'hatch' },
    { name: 'Checks not reporting, 48 days', color: 'not-observed' },
    { name: 'Operating, 115 days', color: 'operating' },
    { name: 'Nothing known', color: 'unknown' },
  ],
  segments: [
    { from: '2026-05-01', to: '2026-08-13', state: 3 },
    { from: '2026-08-14', to: '2026-09-30', state: 2 },
    { from: '2026-10-01', to: '2026-10-10', state: 3 },
    { from: '2026-10-11', to: '2026-10-27', state: 1 },
    { from: '2026-10-28', to: '2026-10-31', state: 0 },
  ],
};

/** Legend swatches are smaller than this; bar segments are taller. */
const SWATCH_MAX = 9;

/** Text ops of a laid-out chart. */
function texts(chart: ChartDrawing): { text: string; x: number; y: number; right: number }[] {
  return chart.ops.flatMap((op) => {
    if (op.kind !== 'text') return [];
    const box = op.box ?? op.line.width;
    const left = op.align === 'right' ? op.x + box - op.line.width : op.align === 'center' ? op.x + (box - op.line.width) / 2 : op.x;
    return [{ text: lineText(op.line), x: left, y: op.y, right: left + op.line.width }];
  });
}

function rects(chart: ChartDrawing): { x: number; y: number; w: number; h: number; fill: string }[] {
  return chart.ops.flatMap((op) => (op.kind === 'rect' ? [op] : []));
}

function layout(spec: unknown, width = 483.28): ChartDrawing {
  const parsed = parseChartSpec(JSON.stringify(spec));
  if (!parsed.ok) throw new Error(parsed.error);
  return layoutChart(parsed.spec, width);
}

describe('chart specs', () => {
  it('recognises only fences whose info string is chart', () => {
    const blocks = parseMarkdown(`${fence(ANNEX_A)}\n\`\`\`json\n{"type":"bars"}\n\`\`\`\n\n    {"type":"bars"}\n\n\`\`\`charts\n{}\n\`\`\`\n`);
    expect(blocks.map((b) => b.type)).toEqual(['chart', 'code', 'code', 'code']);
  });

  it('validates and explains what is wrong', () => {
    const why = (source: unknown): string => {
      const parsed = parseChartSpec(typeof source === 'string' ? source : JSON.stringify(source));
      return parsed.ok ? 'ok' : parsed.error;
    };
    expect(why(ANNEX_A)).toBe('ok');
    expect(why(BARS)).toBe('ok');
    expect(why(TILES)).toBe('ok');
    expect(why('{"type": "bars",')).toMatch(/^the spec is not valid JSON/);
    expect(why([1, 2])).toBe('the spec must be a JSON object, not an array');
    expect(why({ categories: [] })).toBe('type is missing; use stacked-bars, bars, tiles or timeline');
    expect(why({ type: 'pie' })).toBe('unknown chart type "pie"; use stacked-bars, bars, tiles or timeline');
    expect(why(TIMELINE)).toBe('ok');
    expect(why({ ...TIMELINE, from: '2026-02-30' })).toBe('from "2026-02-30" is not a calendar day (YYYY-MM-DD)');
    expect(why({ ...TIMELINE, to: '2026-04-30' })).toBe('to (2026-04-30) is before from (2026-05-01)');
    expect(why({ ...TIMELINE, to: '2036-12-31' })).toBe('the span is longer than 3660 days');
    expect(why({ ...TIMELINE, states: [] })).toBe('states is empty');
    expect(why({ ...TIMELINE, states: [{ name: 'x', pattern: 'dots' }] })).toBe('states[0].pattern must be "hatch"');
    expect(why({ ...TIMELINE, segments: [{ from: '2026-04-30', to: '2026-05-02', state: 0 }] })).toBe('segments[0] (2026-04-30 to 2026-05-02) is outside 2026-05-01 to 2026-10-31');
    expect(why({ ...TIMELINE, segments: [{ from: '2026-05-03', to: '2026-05-02', state: 0 }] })).toBe('segments[0] ends (2026-05-02) before it starts (2026-05-03)');
    expect(why({ ...TIMELINE, segments: [{ from: '2026-05-01', to: '2026-05-02', state: 5 }] })).toBe('segments[0].state 5 is not one of the 5 states');
    expect(why({ ...TIMELINE, segments: [{ from: '2026-05-01', to: '2026-05-02', state: 1.5 }] })).toBe('segments[0].state 1.5 is not one of the 5 states');
    expect(why({ ...TIMELINE, segments: Array.from({ length: 1001 }, () => ({ from: '2026-05-01', to: '2026-05-01', state: 0 })) })).toBe('too many segments (1001, at most 1000)');
    expect(why({ ...BARS, values: [1, 2] })).toBe('values has 2 values for 3 categories');
    expect(why({ ...BARS, values: [1, -2, 3] })).toBe('values[1] must not be negative (-2)');
    expect(why({ ...BARS, values: [1, '2', 3] })).toBe('values[1] must be a number, not a string');
    expect(why({ ...BARS, color: 'green' })).toMatch(/^color "green" is not a colour; use effective, deficient/);
    expect(why({ ...BARS, color: '#12345' })).toMatch(/^color "#12345" is not a colour/);
    expect(why({ ...BARS, colour: 'red' })).toMatch(/^unknown field "colour"; allowed: /);
    expect(why({ ...ANNEX_A, series: [] })).toBe('series is empty');
    expect(why({ ...ANNEX_A, series: [{ name: 'x', values: [1, 2, 3, 4], colour: 'red' }] })).toMatch(/^unknown field "colour" in series\[0\]/);
    expect(why({ ...ANNEX_A, series: [{ values: [1, 2, 3, 4] }] })).toBe('series[0].name is missing');
    expect(why({ ...ANNEX_A, categories: 'Organizational' })).toBe('categories must be an array, not a string');
    expect(why({ type: 'tiles', tiles: [] })).toBe('tiles is empty');
    expect(why({ type: 'tiles', tiles: [{ value: '1' }] })).toBe('tiles[0].label is missing');
    expect(why({ type: 'tiles', tiles: [{ label: 'x', value: '1', tone: 'blue' }] })).toMatch(/^tiles\[0\]\.tone "blue" is not a colour/);
    expect(why({ ...BARS, categories: Array.from({ length: 41 }, (_, i) => `c${i}`), values: Array.from({ length: 41 }, () => 1) })).toBe(
      'too many categories (41, at most 40)',
    );
  });

  it('resolves named colours and #rrggbb literals, and labels every fill readably', () => {
    const parsed = parseChartSpec(JSON.stringify(TILES));
    expect(parsed.ok && parsed.spec.type === 'tiles' && parsed.spec.tiles.map((t) => t.tone)).toEqual([
      STATUS_COLORS.effective,
      STATUS_COLORS.improved,
      STATUS_COLORS.regressed,
      STATUS_COLORS.stale,
      '#3366cc',
    ]);
    for (const fill of Object.values(STATUS_COLORS)) expect(contrast(fill, labelColor(fill)), fill).toBeGreaterThanOrEqual(4.5);
    expect(labelColor(STATUS_COLORS.deficient ?? '')).toBe('#ffffff');
    expect(labelColor(STATUS_COLORS['not-applicable'] ?? '')).toBe('#111111');
  });

  it('formats numbers without locale dependence', () => {
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(1250)).toBe('1,250');
    expect(formatNumber(1234567.891)).toBe('1,234,567.89');
    expect(formatNumber(2.5)).toBe('2.5');
  });

  it('lays tiles out two to four per row', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(tileColumns)).toEqual([2, 2, 3, 4, 3, 3, 4, 4, 3, 4]);
  });
});

describe('chart layout', () => {
  it('makes bar length proportional to the largest total and keeps everything inside the width', () => {
    const dense = {
      type: 'stacked-bars',
      categories: Array.from({ length: 40 }, (_, i) => `A.5.${i + 1} A control name long enough to be truncated in the label column`),
      series: ANNEX_A.series.map((s, k) => ({ ...s, values: Array.from({ length: 40 }, (_, i) => (i * (k + 3)) % 11) })),
    };
    const longTiles = { type: 'tiles', tiles: TILES.tiles.map((t) => ({ ...t, value: '1,234,567 of 9,999,999', label: `${t.label} `.repeat(8) })) };
    for (const spec of [ANNEX_A, BARS, TILES, dense, longTiles, { ...BARS, unit: 'checks '.repeat(40) }]) {
      const chart = layout(spec);
      expect(chart.height).toBeLessThan(841.89 - 2 * 56);
      for (const t of texts(chart)) {
        expect(t.x, t.text).toBeGreaterThanOrEqual(-0.01);
        expect(t.right, t.text).toBeLessThanOrEqual(483.28 + 0.01);
      }
      for (const r of rects(chart)) expect(r.x + r.w).toBeLessThanOrEqual(483.28 + 0.01);
      expect(chart.height).toBeGreaterThan(0);
    }
    const bars = rects(layout(BARS)).filter((r) => r.fill === STATUS_COLORS.deficient);
    expect(bars).toHaveLength(3);
    const [a, b, c] = bars.map((r) => r.w);
    expect((a ?? 0) / (c ?? 1)).toBeCloseTo(42 / 1250, 6);
    expect((b ?? 0) / (c ?? 1)).toBeCloseTo(7 / 1250, 6);
  });

  it('stacks segments in series order and labels only the segments wide enough', () => {
    const chart = layout({
      type: 'stacked-bars',
      categories: ['Only'],
      series: [
        { name: 'Big', color: 'effective', values: [1000] },
        { name: 'Tiny', color: 'deficient', values: [1] },
      ],
    });
    const segs = rects(chart).filter((r) => r.h > 10);
    expect(segs.map((s) => s.fill)).toEqual([STATUS_COLORS.effective, STATUS_COLORS.deficient]);
    expect((segs[1]?.x ?? 0) - ((segs[0]?.x ?? 0) + (segs[0]?.w ?? 0))).toBeCloseTo(0, 6);
    const labels = texts(chart).map((t) => t.text);
    expect(labels).toContain('1,000');
    expect(labels).toContain('1,001');
    expect(labels).not.toContain('1');
  });

  it('wraps or truncates long category labels to the label column', () => {
    const long = 'A very long category label that would otherwise run right across the bars of the chart';
    const chart = layout({ ...BARS, categories: [long, 'b', 'c'] });
    const firstBar = Math.min(...rects(chart).map((r) => r.x));
    const labelLines = texts(chart).filter((t) => t.x === 0 && t.text !== BARS.title && t.text !== BARS.note);
    expect(labelLines.length).toBe(4); // two lines for the long label, one each for the others
    expect(labelLines[1]?.text.endsWith('…')).toBe(true);
    for (const t of labelLines) expect(t.right).toBeLessThan(firstBar);
  });

  it('draws a timeline a day\'s width per day, legends only the states shown, and hatches the one set apart', () => {
    const chart = layout(TIMELINE);
    const strip = chart.ops.flatMap((op) => ((op.kind === 'rect' || op.kind === 'hatch') && op.w > 9 ? [op] : []));
    expect(strip.map((op) => [op.kind, op.kind === 'rect' ? op.fill : op.color])).toEqual([
      ['rect', STATUS_COLORS.operating],
      ['rect', STATUS_COLORS['not-observed']],
      ['rect', STATUS_COLORS.operating],
      ['hatch', STATUS_COLORS.failing],
      ['rect', STATUS_COLORS.failing],
    ]);
    const perDay = 483.28 / 184;
    expect(strip.map((op) => op.w / perDay)).toEqual([105, 48, 10, 17, 4].map((n) => expect.closeTo(n, 6)));
    expect(strip[4]!.x + strip[4]!.w).toBeCloseTo(483.28, 6);
    const labels = texts(chart).map((t) => t.text);
    expect(labels.slice(0, 4)).toEqual(TIMELINE.states.slice(0, 4).map((s) => s.name));
    expect(labels).not.toContain('Nothing known');
    expect(labels.slice(4)).toEqual(['2026-05-01', '2026-10-31', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10']);
    // Month ticks at each month's first day below the strip.
    const ticks = chart.ops.filter((op) => op.kind === 'line' && op.x1 === op.x2 && op.y2 - op.y1 === 3);
    expect(ticks.map((t) => (t.kind === 'line' ? Math.round(t.x1 / perDay) : -1))).toEqual([31, 61, 92, 123, 153]);
    // Compact: the strip and its dates under a legend of one row (here two), about 1.5 cm (2 cm).
    expect(chart.height).toBeLessThan(57);
    expect(layout({ ...TIMELINE, segments: TIMELINE.segments.slice(0, 2) }).height).toBeLessThan(42);
    for (const t of texts(chart)) expect(t.right).toBeLessThanOrEqual(483.28 + 0.01);
  });

  it('keeps a single day visible and thins month names where they would collide', () => {
    const year = layout({ type: 'timeline', from: '2025-01-01', to: '2026-12-31', states: [{ name: 'Failing', color: 'failing' }], segments: [{ from: '2026-06-01', to: '2026-06-01', state: 0 }] }, 300);
    const day = year.ops.find((op) => op.kind === 'rect' && op.fill === STATUS_COLORS.failing && op.h > 9);
    expect(day?.kind === 'rect' && day.w).toBe(0.75);
    const months = texts(year).filter((t) => /^\d{4}-\d{2}$/.test(t.text));
    expect(months.length).toBeGreaterThan(3);
    expect(months.length).toBeLessThan(23);
    const all = texts(year).filter((t) => /^\d{4}-\d{2}/.test(t.text)).sort((a, b) => a.x - b.x);
    for (let i = 1; i < all.length; i++) expect(all[i]!.x).toBeGreaterThan(all[i - 1]!.right);
  });

  it('draws an empty axis for zero totals instead of dividing by zero', () => {
    for (const spec of [
      { type: 'stacked-bars', categories: ['A', 'B'], series: [{ name: 'Effective', color: 'effective', values: [0, 0] }] },
      { type: 'stacked-bars', categories: [], series: [{ name: 'Effective', values: [] }] },
      { type: 'bars', categories: ['A'], values: [0] },
    ]) {
      const chart = layout(spec);
      expect(texts(chart).map((t) => t.text)).toContain('no controls');
      expect(rects(chart).filter((r) => r.h > SWATCH_MAX)).toHaveLength(0);
      for (const op of chart.ops) {
        for (const [key, value] of Object.entries(op)) {
          if (typeof value === 'number') expect(Number.isFinite(value), `${op.kind}.${key}`).toBe(true);
        }
      }
    }
    expect(texts(layout({ type: 'bars', categories: ['A'], values: [0], unit: 'checks' })).map((t) => t.text)).toContain('no checks');
    expect(texts(layout({ type: 'stacked-bars', categories: ['A'], series: [{ name: 'High', values: [0] }], unit: 'findings' })).map((t) => t.text)).toContain('no findings');
    expect(texts(layout({ type: 'stacked-bars', categories: ['A'], series: [{ name: 'High', values: [2] }], unit: 'findings' })).map((t) => t.text)).toContain('2 findings');
  });
});

describe('charts in the PDF', () => {
  it('renders a stacked bar chart as vector graphics with extractable text', async () => {
    const file = await renderToFile(`# Posture\n\nBefore.\n\n${fence(ANNEX_A)}\nAfter.\n`);
    const out = text(file);
    expectInOrder(out, [
      'Before.',
      'ISO/IEC 27001 Annex A by theme',
      /Effective\s+Deficient\s+Stale\s+No evidence\s+Not applicable/,
      /Organizational\s+12\s+2\s+4\s+10\s+9\s+37/,
      /People\s+3\b/,
      /Physical\s+1\s+3\s+6\s+4\s+14/,
      /Technological\s+20\s+3\s+5\s+4\s+2\s+34/,
      'Latest evidence status of each Annex A control.',
      'After.',
    ]);
    expect(out).not.toContain('"type"');
    expect(imageRows(file)).toEqual([]);
    const raw = qdf(file);
    expect(raw).not.toMatch(/\/Subtype\s*\/Image/);
    expect(raw).not.toContain('/XObject');
    expect(run('qpdf', ['--check', file])).toContain('No syntax or stream encoding errors');
  });

  it('renders a bar chart with values and units at the bar ends', async () => {
    const file = await renderToFile(fence(BARS));
    expectInOrder(text(file), [
      'Failing checks by account',
      /prod-eu-west-1\s+42 checks/,
      /staging\s+7 checks/,
      /sandbox\s+1,250 checks/,
      'High and critical severity only.',
    ]);
    expect(imageRows(file)).toEqual([]);
  });

  it('renders metric tiles in rows', async () => {
    const file = await renderToFile(fence(TILES));
    const out = text(file);
    // Five tiles: a row of three, then a row of two.
    expectInOrder(out, [
      /34 of 90\s+6\s+21/,
      /Annex A controls effective\s+Deficient controls\s+Controls without evidence/,
      /previous: 30 of 90\s+previous: 9\s+previous: 18/,
      /9\s+1/,
      /Stale evidence\s+Custom tone/,
      'unchanged',
    ]);
    expect(imageRows(file)).toEqual([]);
  });

  it('renders a timeline strip as vector graphics with its legend and dates as text', async () => {
    const file = await renderToFile(`Before.\n\n${fence(TIMELINE)}\nAfter.\n`);
    expectInOrder(text(file), [
      'Before.',
      /Check failing, 4 days\s+Within an accepted exception, 17 days/,
      'Operating, 115 days',
      /2026-05-01\s+2026-06\s+2026-07\s+2026-08\s+2026-09\s+2026-10\s+2026-10-31/,
      'After.',
    ]);
    expect(imageRows(file)).toEqual([]);
  });

  it('shows a metric tile\'s target and previous value under its detail', async () => {
    const file = await renderToFile(fence({ type: 'tiles', tiles: [{ label: 'Annex A controls effective', value: '34 of 90', detail: '6 deficient', target: 'Target: at least 80 %, not met', previous: 'Previous: 30 of 90 on 2026-10-31', tone: 'effective' }, { label: 'Serious findings open', value: '5', target: 'No target set', tone: 'deficient' }] }));
    expectInOrder(text(file), [/34 of 90\s+5/, /Annex A controls effective\s+Serious findings open/, /6 deficient\s+No target set/, 'Target: at least 80 %, not met', 'Previous: 30 of 90 on 2026-10-31']);
  });

  it('draws non-Latin labels with the fallback fonts and never reads labels as markup', async () => {
    const file = await renderToFile(
      fence({
        type: 'stacked-bars',
        title: '按主题的控制 **not bold** {{x}}',
        categories: ['陈伟的团队', '[click](javascript:alert(1))', '<b>html</b>'],
        series: [{ name: '有效 _x_', color: 'effective', values: [3, 2, 1] }],
      }) +
        '\n' +
        fence({ type: 'tiles', tiles: [{ label: '负责人：陈伟', value: '三', detail: '`code`' }] }),
    );
    const out = text(file);
    for (const s of ['按主题的控制 **not bold** {{x}}', '陈伟的团队', '[click](javascript:alert(1))', '<b>html</b>', '有效 _x_', '负责人：陈伟', '`code`']) {
      expect(out).toContain(s);
    }
    expect(run('pdffonts', [file])).toContain('NotoSansSC');
    const raw = qdf(file);
    expect(raw).not.toContain('/URI');
    expect(raw).not.toContain('/Annots');
  });

  it('shows a visible error line for an invalid spec instead of throwing', async () => {
    const md = ['Before.', fence('{"type": "bars", "categories": ["a"]'), fence({ type: 'pie' }), fence({ ...BARS, values: [1] }), 'After.'].join('\n');
    const file = await renderToFile(md);
    const out = text(file).replace(/\s+/g, ' ');
    expectInOrder(out, [
      'Before.',
      'chart could not be drawn: the spec is not valid JSON',
      'chart could not be drawn: unknown chart type "pie"; use stacked-bars, bars, tiles or timeline',
      'chart could not be drawn: values has 1 values for 3 categories',
      'After.',
    ]);
  });

  it('keeps other fences as code blocks', async () => {
    const file = await renderToFile(`\`\`\`json\n${JSON.stringify(BARS)}\n\`\`\`\n`);
    const out = text(file);
    expect(out).toContain('"type":"bars"');
    expect(out).not.toContain('42 checks');
  });

  it('moves a chart that does not fit at the bottom of a page whole to the next page', async () => {
    const filler = (n: number): string => Array.from({ length: n }, (_, i) => `Filler paragraph ${i + 1} before the chart.`).join('\n\n');
    // 20 paragraphs leave room for the chart on page 1; 32 leave a few lines only.
    const fits = await renderToFile(`${filler(20)}\n\n${fence(ANNEX_A)}\nAfter the chart.\n`);
    expect(text(fits, 1)).toContain('Technological');
    const file = await renderToFile(`${filler(32)}\n\n${fence(ANNEX_A)}\nAfter the chart.\n`);
    expect(pageCount(file)).toBe(2);
    const page1 = text(file, 1);
    const page2 = text(file, 2);
    expect(page1).toContain('Filler paragraph 32 before the chart.');
    for (const s of [ANNEX_A.title, ...ANNEX_A.categories, ...ANNEX_A.series.map((s) => s.name), ANNEX_A.note, '37', '34']) {
      expect(page1, s).not.toContain(s);
      expect(page2, s).toContain(s);
    }
    expectInOrder(page2, [ANNEX_A.title, 'Organizational', 'Technological', ANNEX_A.note, 'After the chart.']);
    // The space left on page 1 would have held several more lines of text.
    const more = await renderToFile(`${filler(35)}\n`);
    expect(text(more, 1)).toContain('Filler paragraph 35 before the chart.');
  });

  it('keeps a heading with the chart that follows it', async () => {
    const filler = Array.from({ length: 30 }, (_, i) => `Filler paragraph ${i + 1} before the heading.`).join('\n\n');
    // The heading plus a few lines would fit at the bottom of page 1; the heading plus the chart does not.
    const file = await renderToFile(`${filler}\n\n## Posture by theme\n\n${fence(ANNEX_A)}`);
    expect(pageCount(file)).toBe(2);
    expect(text(file, 1)).toContain('Filler paragraph 30 before the heading.');
    expect(text(file, 1)).not.toContain('Posture by theme');
    expectInOrder(text(file, 2), ['Posture by theme', ANNEX_A.title, 'Technological']);
    const withText = await renderToFile(`${filler}\n\n## Posture by theme\n\nA paragraph.\n`);
    expect(text(withText, 1)).toContain('Posture by theme');
  });

  it('places a chart that opens a list item next to its marker', async () => {
    const file = await renderToFile(`- ${fence(BARS).replace(/\n(?=.)/g, '\n  ')}- second item\n`);
    expectInOrder(text(file), [/•\s+Failing checks by account/, '42 checks', '• second item']);
  });

  it('is deterministic', async () => {
    const md = `# Board\n\n${fence(TILES)}\n${fence(ANNEX_A)}\n${fence(BARS)}`;
    const a = await renderMarkdownPdf(md, base);
    const b = await renderMarkdownPdf(md, base);
    expect(a.equals(b)).toBe(true);
    const c = await renderMarkdownPdf(md.replace('1250', '1251'), base);
    expect(c.equals(a)).toBe(false);
  });
});
