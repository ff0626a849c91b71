/**
 * Chart specs: the JSON inside a ```chart fence, validated into a typed spec.
 *
 * Everything in a spec is data. Strings are drawn literally (never parsed as
 * Markdown), numbers must be finite and non-negative, unknown fields are
 * rejected so that a typo does not silently drop data. An invalid spec is
 * reported with a short reason that the renderer shows in the document.
 */

export type ChartSpec = StackedBarsSpec | BarsSpec | TilesSpec | TimelineSpec;

export interface StackedBarsSpec {
  type: 'stacked-bars';
  title?: string;
  categories: string[];
  series: { name: string; color: string; values: number[] }[];
  /** Said after each bar's total, and in "no …" when every total is zero. */
  unit?: string;
  note?: string;
}

export interface BarsSpec {
  type: 'bars';
  title?: string;
  categories: string[];
  values: number[];
  color: string;
  unit?: string;
  note?: string;
}

export interface Tile {
  label: string;
  value: string;
  detail?: string;
  /** The metric's target, and its previous value, as the document words them. */
  target?: string;
  previous?: string;
  /** Resolved `#rrggbb` colour of the tile's left edge. */
  tone: string;
}

export interface TilesSpec {
  type: 'tiles';
  title?: string;
  tiles: Tile[];
  note?: string;
}

/** Stretches of days, each in one of a few states, across a span of calendar days. */
export interface TimelineSpec {
  type: 'timeline';
  title?: string;
  /** First and last day (YYYY-MM-DD), both included. */
  from: string;
  to: string;
  /** The states a day can be in; a `hatch` pattern sets one apart from a state of the same colour. */
  states: { name: string; color: string; pattern?: 'hatch' }[];
  /** Days (inside from..to) and the index of their state; days in no segment are left blank. */
  segments: { from: string; to: string; state: number }[];
  note?: string;
}

export type ChartParse = { ok: true; spec: ChartSpec } | { ok: false; error: string };

/**
 * Named status colours. Chosen to stay apart in greyscale print
 * (deficient 79, effective 135, no-evidence 160, stale 182, not-applicable
 * 222 on a 0–255 grey scale) and to carry either white or near-black labels
 * at a WCAG contrast of at least 6.5:1 (see `labelColor`).
 */
export const STATUS_COLORS: Readonly<Record<string, string>> = {
  effective: '#4caf50',
  deficient: '#b3261e',
  stale: '#f2b134',
  'no-evidence': '#a0a0a0',
  'not-applicable': '#dedede',
  // A control's days over a period (timeline): the same greys and hues, apart in greyscale too.
  operating: '#4caf50',
  failing: '#b3261e',
  'cadence-missed': '#f2b134',
  'not-observed': '#a0a0a0',
  unknown: '#dedede',
  improved: '#4caf50',
  regressed: '#b3261e',
  unchanged: '#a0a0a0',
};

/** Series colours when a spec gives none (print-friendly, distinct hues). */
export const DEFAULT_SERIES_COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#9c755f'];
const DEFAULT_BAR_COLOR = '#4e79a7';
const DEFAULT_TONE = '#a0a0a0';

export const LIMITS = {
  categories: 40,
  series: 8,
  tiles: 24,
  text: 300,
  /** Timeline segments, and the longest span a timeline may cover (in days: ten years). */
  segments: 1000,
  days: 3660,
  /** Largest value or total (keeps labels short and arithmetic exact). */
  value: 1e12,
  /** Largest spec source, in characters. */
  source: 100_000,
};

class SpecError extends Error {}

function fail(message: string): never {
  throw new SpecError(message);
}

/** Short, printable rendering of a field name or value for error messages. */
function quote(value: string): string {
  const flat = value.replace(/[\u0000-\u001F\u007F]/g, ' ');
  return JSON.stringify(flat.length > 40 ? `${flat.slice(0, 40)}…` : flat);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function only(obj: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      fail(`unknown field ${quote(key)}${where}; allowed: ${allowed.join(', ')}`);
    }
  }
}

function text(value: unknown, field: string, required: true): string;
function text(value: unknown, field: string, required: false): string | undefined;
function text(value: unknown, field: string, required: boolean): string | undefined {
  if (value === undefined) {
    if (required) fail(`${field} is missing`);
    return undefined;
  }
  if (typeof value !== 'string') fail(`${field} must be a string, not ${describe(value)}`);
  if (value.length > LIMITS.text) fail(`${field} is longer than ${LIMITS.text} characters`);
  // Labels are single-line data: collapse whitespace (newlines included).
  return value.replace(/\s+/g, ' ').trim();
}

function number(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(`${field} must be a number, not ${describe(value)}`);
  if (value < 0) fail(`${field} must not be negative (${value})`);
  if (value > LIMITS.value) fail(`${field} is too large (${value})`);
  return value;
}

function color(value: unknown, field: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') fail(`${field} must be a string, not ${describe(value)}`);
  const named = Object.prototype.hasOwnProperty.call(STATUS_COLORS, value) ? STATUS_COLORS[value] : undefined;
  if (named !== undefined) return named;
  if (/^#[0-9a-fA-F]{6}$/.test(value)) return value.toLowerCase();
  fail(`${field} ${quote(value)} is not a colour; use ${Object.keys(STATUS_COLORS).join(', ')} or #rrggbb`);
}

function categories(value: unknown): string[] {
  if (!Array.isArray(value)) fail(value === undefined ? 'categories is missing' : `categories must be an array, not ${describe(value)}`);
  if (value.length > LIMITS.categories) fail(`too many categories (${value.length}, at most ${LIMITS.categories})`);
  return value.map((c, i) => text(c, `categories[${i}]`, true));
}

function values(value: unknown, field: string, count: number): number[] {
  if (!Array.isArray(value)) fail(value === undefined ? `${field} is missing` : `${field} must be an array, not ${describe(value)}`);
  if (value.length !== count) fail(`${field} has ${value.length} values for ${count} categories`);
  return value.map((v, i) => number(v, `${field}[${i}]`));
}

function parseStackedBars(obj: Record<string, unknown>): StackedBarsSpec {
  only(obj, ['type', 'title', 'categories', 'series', 'unit', 'note'], '');
  const cats = categories(obj.categories);
  const rawSeries = obj.series;
  if (!Array.isArray(rawSeries)) fail(rawSeries === undefined ? 'series is missing' : `series must be an array, not ${describe(rawSeries)}`);
  if (rawSeries.length === 0) fail('series is empty');
  if (rawSeries.length > LIMITS.series) fail(`too many series (${rawSeries.length}, at most ${LIMITS.series})`);
  const series = rawSeries.map((s: unknown, i) => {
    const where = `series[${i}]`;
    if (!isRecord(s)) fail(`${where} must be an object, not ${describe(s)}`);
    only(s, ['name', 'color', 'values'], ` in ${where}`);
    return {
      name: text(s.name, `${where}.name`, true),
      color: color(s.color, `${where}.color`, DEFAULT_SERIES_COLORS[i % DEFAULT_SERIES_COLORS.length] ?? DEFAULT_BAR_COLOR),
      values: values(s.values, `${where}.values`, cats.length),
    };
  });
  cats.forEach((c, i) => {
    const total = series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0);
    if (total > LIMITS.value) fail(`the total of ${quote(c)} is too large (${total})`);
  });
  const spec: StackedBarsSpec = { type: 'stacked-bars', categories: cats, series };
  const title = text(obj.title, 'title', false);
  if (title !== undefined) spec.title = title;
  const unit = text(obj.unit, 'unit', false);
  if (unit !== undefined && unit !== '') spec.unit = unit;
  const note = text(obj.note, 'note', false);
  if (note !== undefined) spec.note = note;
  return spec;
}

function parseBars(obj: Record<string, unknown>): BarsSpec {
  only(obj, ['type', 'title', 'categories', 'values', 'color', 'unit', 'note'], '');
  const cats = categories(obj.categories);
  const spec: BarsSpec = {
    type: 'bars',
    categories: cats,
    values: values(obj.values, 'values', cats.length),
    color: color(obj.color, 'color', DEFAULT_BAR_COLOR),
  };
  const title = text(obj.title, 'title', false);
  if (title !== undefined) spec.title = title;
  const unit = text(obj.unit, 'unit', false);
  if (unit !== undefined && unit !== '') spec.unit = unit;
  const note = text(obj.note, 'note', false);
  if (note !== undefined) spec.note = note;
  return spec;
}

function parseTiles(obj: Record<string, unknown>): TilesSpec {
  only(obj, ['type', 'title', 'tiles', 'note'], '');
  const raw = obj.tiles;
  if (!Array.isArray(raw)) fail(raw === undefined ? 'tiles is missing' : `tiles must be an array, not ${describe(raw)}`);
  if (raw.length === 0) fail('tiles is empty');
  if (raw.length > LIMITS.tiles) fail(`too many tiles (${raw.length}, at most ${LIMITS.tiles})`);
  const tiles = raw.map((t: unknown, i): Tile => {
    const where = `tiles[${i}]`;
    if (!isRecord(t)) fail(`${where} must be an object, not ${describe(t)}`);
    only(t, ['label', 'value', 'detail', 'target', 'previous', 'tone'], ` in ${where}`);
    const value = typeof t.value === 'number' ? formatNumber(number(t.value, `${where}.value`)) : text(t.value, `${where}.value`, true);
    const tile: Tile = { label: text(t.label, `${where}.label`, true), value, tone: color(t.tone, `${where}.tone`, DEFAULT_TONE) };
    for (const field of ['detail', 'target', 'previous'] as const) {
      const value = text(t[field], `${where}.${field}`, false);
      if (value !== undefined && value !== '') tile[field] = value;
    }
    return tile;
  });
  const spec: TilesSpec = { type: 'tiles', tiles };
  const title = text(obj.title, 'title', false);
  if (title !== undefined) spec.title = title;
  const note = text(obj.note, 'note', false);
  if (note !== undefined) spec.note = note;
  return spec;
}

/** Days since 1970-01-01 of a YYYY-MM-DD calendar date. */
export function dayNumber(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 86_400_000;
}

function calendarDay(value: unknown, field: string): string {
  const day = text(value, field, true);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(day) && new Date(dayNumber(day) * 86_400_000).toISOString().slice(0, 10) === day;
  if (!valid) fail(`${field} ${quote(day)} is not a calendar day (YYYY-MM-DD)`);
  return day;
}

function parseTimeline(obj: Record<string, unknown>): TimelineSpec {
  only(obj, ['type', 'title', 'from', 'to', 'states', 'segments', 'note'], '');
  const from = calendarDay(obj.from, 'from');
  const to = calendarDay(obj.to, 'to');
  if (to < from) fail(`to (${to}) is before from (${from})`);
  if (dayNumber(to) - dayNumber(from) >= LIMITS.days) fail(`the span is longer than ${LIMITS.days} days`);
  const rawStates = obj.states;
  if (!Array.isArray(rawStates)) fail(rawStates === undefined ? 'states is missing' : `states must be an array, not ${describe(rawStates)}`);
  if (rawStates.length === 0) fail('states is empty');
  if (rawStates.length > LIMITS.series) fail(`too many states (${rawStates.length}, at most ${LIMITS.series})`);
  const states = rawStates.map((s: unknown, i) => {
    const where = `states[${i}]`;
    if (!isRecord(s)) fail(`${where} must be an object, not ${describe(s)}`);
    only(s, ['name', 'color', 'pattern'], ` in ${where}`);
    if (s.pattern !== undefined && s.pattern !== 'hatch') fail(`${where}.pattern must be "hatch"`);
    return {
      name: text(s.name, `${where}.name`, true),
      color: color(s.color, `${where}.color`, DEFAULT_SERIES_COLORS[i % DEFAULT_SERIES_COLORS.length] ?? DEFAULT_BAR_COLOR),
      ...(s.pattern === 'hatch' ? { pattern: 'hatch' as const } : {}),
    };
  });
  const rawSegments = obj.segments;
  if (!Array.isArray(rawSegments)) fail(rawSegments === undefined ? 'segments is missing' : `segments must be an array, not ${describe(rawSegments)}`);
  if (rawSegments.length > LIMITS.segments) fail(`too many segments (${rawSegments.length}, at most ${LIMITS.segments})`);
  const segments = rawSegments.map((g: unknown, i) => {
    const where = `segments[${i}]`;
    if (!isRecord(g)) fail(`${where} must be an object, not ${describe(g)}`);
    only(g, ['from', 'to', 'state'], ` in ${where}`);
    const segment = { from: calendarDay(g.from, `${where}.from`), to: calendarDay(g.to, `${where}.to`), state: number(g.state, `${where}.state`) };
    if (segment.to < segment.from) fail(`${where} ends (${segment.to}) before it starts (${segment.from})`);
    if (segment.from < from || segment.to > to) fail(`${where} (${segment.from} to ${segment.to}) is outside ${from} to ${to}`);
    if (!Number.isInteger(segment.state) || segment.state >= states.length) fail(`${where}.state ${segment.state} is not one of the ${states.length} states`);
    return segment;
  });
  const spec: TimelineSpec = { type: 'timeline', from, to, states, segments };
  const title = text(obj.title, 'title', false);
  if (title !== undefined) spec.title = title;
  const note = text(obj.note, 'note', false);
  if (note !== undefined) spec.note = note;
  return spec;
}

/** Parses and validates the source of a ```chart fence. Never throws. */
export function parseChartSpec(source: string): ChartParse {
  try {
    if (source.length > LIMITS.source) fail(`the spec is longer than ${LIMITS.source} characters`);
    let data: unknown;
    try {
      data = JSON.parse(source);
    } catch (err) {
      fail(`the spec is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    if (!isRecord(data)) fail(`the spec must be a JSON object, not ${describe(data)}`);
    switch (data.type) {
      case 'stacked-bars':
        return { ok: true, spec: parseStackedBars(data) };
      case 'bars':
        return { ok: true, spec: parseBars(data) };
      case 'tiles':
        return { ok: true, spec: parseTiles(data) };
      case 'timeline':
        return { ok: true, spec: parseTimeline(data) };
      case undefined:
        return fail('type is missing; use stacked-bars, bars, tiles or timeline');
      default:
        return fail(`unknown chart type ${typeof data.type === 'string' ? quote(data.type) : describe(data.type)}; use stacked-bars, bars, tiles or timeline`);
    }
  } catch (err) {
    if (err instanceof SpecError) return { ok: false, error: err.message };
    return { ok: false, error: `unexpected error (${err instanceof Error ? err.message : String(err)})` };
  }
}

/** Locale-independent number label: thousands separated by commas, at most two decimals. */
export function formatNumber(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  const [int = '0', frac] = rounded.toFixed(2).replace(/\.?0+$/, '').split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac ? `${grouped}.${frac}` : grouped;
}

// ---------------------------------------------------------------------------
// Colour contrast (WCAG 2.x relative luminance).

function channel(hex: string, offset: number): number {
  const c = parseInt(hex.slice(offset, offset + 2), 16) / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export function luminance(hex: string): number {
  return 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);
}

export function contrast(a: string, b: string): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

export const LABEL_DARK = '#111111';
export const LABEL_LIGHT = '#ffffff';

/** Text colour for a label on `fill`: white or near-black, whichever contrasts more. */
export function labelColor(fill: string): string {
  return contrast(fill, LABEL_LIGHT) >= contrast(fill, LABEL_DARK) ? LABEL_LIGHT : LABEL_DARK;
}
