/**
 * Font handling for the PDF renderer.
 *
 * pdfkit does no font fallback, so every run of text is split here into
 * sub-runs by glyph coverage: the Noto font of a script DejaVu lacks or covers
 * only in part (Devanagari, Arabic, Hebrew, Thai) for that script's blocks,
 * then DejaVu (Sans / Sans Mono, four styles each), then the Noto Sans SC
 * WOFF2 subset whose CSS `unicode-range` contains the code point, then Noto
 * Emoji (monochrome: colour emoji fonts draw nothing in a PDF). Font files are
 * parsed once per process (fontkit, for coverage and measuring) and registered
 * lazily, by path, in each PDF document that actually uses them. Which code
 * points these fonts draw correctly is decided in glyphs.ts, from a table
 * computed here (fontCoverage).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';

const require = createRequire(import.meta.url);

const DEJAVU_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const NOTO_DIR = path.dirname(require.resolve('noto-sans-sc/package.json'));
const expoFont = (pkg: string, file: string) => path.join(path.dirname(require.resolve(`@expo-google-fonts/${pkg}/package.json`)), file);
// This package exports only its (font list) module, not its package.json: its fonts are beside that module's folder.
const HEBREW_DIR = path.join(path.dirname(require.resolve('@embedpdf/fonts-hebrew')), '..', 'fonts');

/** The default (constructor) font of every document; never a standard-14 font. */
export const DEFAULT_FONT_PATH = path.join(DEJAVU_DIR, 'DejaVuSans.ttf');

export interface Face {
  /** Name the face is registered under in a PDF document. */
  readonly name: string;
  readonly path: string;
  /** `noto`: a Noto Sans SC WOFF2 subset (see patchWoff2Subset); `script`: a Noto TTF for another script. */
  readonly kind: 'dejavu' | 'noto' | 'script';
  /** Ascent / descent as a fraction of the font size (descent positive). */
  readonly ascent: number;
  readonly descent: number;
}

export interface TextStyleKey {
  bold: boolean;
  italic: boolean;
  mono: boolean;
}

/** A piece of text drawn with one face. */
export interface FontRun {
  text: string;
  face: Face;
  /** Synthetic slant (Noto has no italic). */
  oblique: boolean;
}

/** Noto fonts of scripts DejaVu lacks or covers in part, all OFL-1.1; their blocks are drawn with them first. */
interface ScriptFont {
  readonly name: string;
  readonly regular: string;
  readonly bold?: string;
  /** Blocks this font draws before DejaVu (so that a word never mixes two fonts' shaping); none: a fallback after Noto Sans SC. */
  readonly blocks: readonly (readonly [number, number])[];
}

const SCRIPT_FONTS: readonly ScriptFont[] = [
  {
    name: 'devanagari',
    regular: expoFont('noto-sans-devanagari', '400Regular/NotoSansDevanagari_400Regular.ttf'),
    bold: expoFont('noto-sans-devanagari', '700Bold/NotoSansDevanagari_700Bold.ttf'),
    blocks: [[0x0900, 0x097f], [0xa8e0, 0xa8ff]],
  },
  {
    name: 'arabic',
    regular: expoFont('noto-sans-arabic', '400Regular/NotoSansArabic_400Regular.ttf'),
    bold: expoFont('noto-sans-arabic', '700Bold/NotoSansArabic_700Bold.ttf'),
    blocks: [[0x0600, 0x06ff], [0x0750, 0x077f], [0x0870, 0x08ff], [0xfb50, 0xfdff], [0xfe70, 0xfefc]],
  },
  {
    name: 'hebrew',
    regular: path.join(HEBREW_DIR, 'NotoSansHebrew-Regular.ttf'),
    bold: path.join(HEBREW_DIR, 'NotoSansHebrew-Bold.ttf'),
    blocks: [[0x0590, 0x05ff], [0xfb1d, 0xfb4f]],
  },
  {
    name: 'thai',
    regular: expoFont('noto-sans-thai', '400Regular/NotoSansThai_400Regular.ttf'),
    bold: expoFont('noto-sans-thai', '700Bold/NotoSansThai_700Bold.ttf'),
    blocks: [[0x0e00, 0x0e7f]],
  },
  { name: 'emoji', regular: expoFont('noto-emoji', '400Regular/NotoEmoji_400Regular.ttf'), blocks: [] },
];

function scriptFace(font: ScriptFont, bold: boolean): LoadedFace {
  const file = bold && font.bold ? font.bold : font.regular;
  return loadFace(`noto-${font.name}${file === font.regular ? '' : '-bold'}`, file, 'script');
}

/** The script font whose blocks hold `cp`, if any. */
const scriptFontFor = (cp: number) => SCRIPT_FONTS.find((f) => f.blocks.some(([start, end]) => start <= cp && cp <= end));

/** A piece of text shaped by fontkit (GSUB and GPOS applied), in font units. */
export interface Shaped {
  ids: number[];
  /** Per glyph: its advance width, its code points, and its position (advance with kerning, offsets). */
  advances: number[];
  codePoints: number[][];
  positions: { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number }[];
  advanceWidth: number;
}

interface LoadedFace extends Face {
  readonly font: fontkit.Font;
  readonly unitsPerEm: number;
  /** Text shaped once per process, for measuring and (see shareShaping) for drawing. */
  readonly shaped: Map<string, Shaped>;
  /** Two-character strings, and whether they shape as their characters do alone (see composeAscii). */
  readonly independentPairs: Map<string, boolean>;
  /** Words as pdfkit lays them out for drawing (see shareShaping), once per process. */
  readonly drawn: Map<string, WordLayout>;
}

const faces = new Map<string, LoadedFace>();

function loadFace(name: string, file: string, kind: Face['kind']): LoadedFace {
  const cached = faces.get(name);
  if (cached) return cached;
  const font = fontkit.openSync(file);
  const face: LoadedFace = {
    name,
    path: file,
    kind,
    font,
    unitsPerEm: font.unitsPerEm,
    ascent: font.ascent / font.unitsPerEm,
    descent: -font.descent / font.unitsPerEm,
    shaped: new Map(),
    independentPairs: new Map(),
    drawn: new Map(),
  };
  faces.set(name, face);
  return face;
}

const DEJAVU_FILES: Record<string, string> = {
  sans: 'DejaVuSans.ttf',
  'sans-bold': 'DejaVuSans-Bold.ttf',
  'sans-oblique': 'DejaVuSans-Oblique.ttf',
  'sans-bold-oblique': 'DejaVuSans-BoldOblique.ttf',
  mono: 'DejaVuSansMono.ttf',
  'mono-bold': 'DejaVuSansMono-Bold.ttf',
  'mono-oblique': 'DejaVuSansMono-Oblique.ttf',
  'mono-bold-oblique': 'DejaVuSansMono-BoldOblique.ttf',
};

function dejavuKey(family: 'sans' | 'mono', bold: boolean, italic: boolean): string {
  return family + (bold ? '-bold' : '') + (italic ? '-oblique' : '');
}

function dejavu(family: 'sans' | 'mono', bold: boolean, italic: boolean): LoadedFace {
  const key = dejavuKey(family, bold, italic);
  const file = DEJAVU_FILES[key];
  if (file === undefined) throw new Error(`unknown DejaVu face ${key}`);
  // The regular Sans face is the document's constructor font: it is used by
  // its path so pdfkit's font cache finds it (see DocFonts.use).
  const filePath = path.join(DEJAVU_DIR, file);
  return loadFace(key === 'sans' ? DEFAULT_FONT_PATH : `dejavu-${key}`, filePath, 'dejavu');
}

/** The DejaVu face for a style (no fallback). */
export function primaryFace(style: TextStyleKey): Face {
  return dejavu(style.mono ? 'mono' : 'sans', style.bold, style.italic);
}

// ---------------------------------------------------------------------------
// Noto Sans SC subsets, chosen by the CSS unicode-range of each WOFF2 file.

interface NotoIndex {
  /** Sorted, non-overlapping [start, end, subsetNumber] ranges. */
  readonly ranges: readonly (readonly [number, number, number])[];
  readonly files: ReadonlyMap<number, string>;
}

const notoIndexes = new Map<'regular' | 'bold', NotoIndex>();

function notoIndex(weight: 'regular' | 'bold'): NotoIndex {
  const cached = notoIndexes.get(weight);
  if (cached) return cached;
  const dir = path.join(NOTO_DIR, `noto_sans_sc_${weight}`);
  const css = readFileSync(path.join(dir, 'css.css'), 'utf8');
  const ranges: [number, number, number][] = [];
  const files = new Map<number, string>();
  const faceRe = /src:\s*url\(([^)]+)\)[^;]*;\s*unicode-range:\s*([^;]+);/g;
  for (const m of css.matchAll(faceRe)) {
    const file = (m[1] ?? '').replace(/^['"]|['"]$/g, '');
    const num = Number(/\.(\d+)\.woff2$/.exec(file)?.[1] ?? files.size);
    files.set(num, path.join(dir, file));
    for (const part of (m[2] ?? '').split(',')) {
      const r = /U\+([0-9a-f?]+)(?:-([0-9a-f]+))?/i.exec(part.trim());
      if (!r?.[1]) continue;
      const start = parseInt(r[1].replace(/\?/g, '0'), 16);
      const end = r[2] ? parseInt(r[2], 16) : parseInt(r[1].replace(/\?/g, 'f'), 16);
      ranges.push([start, end, num]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const index: NotoIndex = { ranges, files };
  notoIndexes.set(weight, index);
  return index;
}

function notoFace(cp: number, bold: boolean): LoadedFace | undefined {
  const weight = bold ? 'bold' : 'regular';
  const { ranges, files } = notoIndex(weight);
  let lo = 0;
  let hi = ranges.length - 1;
  // Last range whose start <= cp; ranges do not overlap in these CSS files,
  // but scan back a little in case they ever do.
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((ranges[mid]?.[0] ?? 0) <= cp) lo = mid + 1;
    else hi = mid - 1;
  }
  for (let i = hi; i >= 0 && i >= hi - 8; i--) {
    const r = ranges[i];
    if (r && r[0] <= cp && cp <= r[1]) {
      const file = files.get(r[2]);
      if (!file) return undefined;
      return loadFace(`noto-${weight}-${r[2]}`, file, 'noto');
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Coverage and splitting.

const coverCache = new Map<string, Map<number, { face: LoadedFace; oblique: boolean }>>();

function faceForCodePoint(cp: number, style: TextStyleKey): { face: LoadedFace; oblique: boolean } {
  const key = dejavuKey(style.mono ? 'mono' : 'sans', style.bold, style.italic);
  let cache = coverCache.get(key);
  if (!cache) {
    cache = new Map();
    coverCache.set(key, cache);
  }
  const hit = cache.get(cp);
  if (hit) return hit;
  const primary = dejavu(style.mono ? 'mono' : 'sans', style.bold, style.italic);
  let result: { face: LoadedFace; oblique: boolean } | undefined;
  const script = cp > 0x20 ? scriptFontFor(cp) : undefined;
  const inScriptFont = script ? scriptFace(script, style.bold) : undefined;
  if (inScriptFont?.font.hasGlyphForCodePoint(cp)) {
    result = { face: inScriptFont, oblique: style.italic };
  } else if (cp <= 0x20 || primary.font.hasGlyphForCodePoint(cp)) {
    // Whitespace and controls stay in the primary face (spaces are measured there).
    result = { face: primary, oblique: false };
  } else if (style.mono) {
    const sans = dejavu('sans', style.bold, style.italic);
    if (sans.font.hasGlyphForCodePoint(cp)) result = { face: sans, oblique: false };
  }
  if (!result) {
    const noto = notoFace(cp, style.bold);
    if (noto?.font.hasGlyphForCodePoint(cp)) result = { face: noto, oblique: style.italic };
  }
  if (!result) {
    const emoji = scriptFace(SCRIPT_FONTS.find((f) => f.name === 'emoji')!, false);
    if (emoji.font.hasGlyphForCodePoint(cp)) result = { face: emoji, oblique: style.italic };
  }
  // Last resort: any face that has it (e.g. a glyph only the regular Sans face has, for an oblique style),
  // so that every code point of fontCoverage finds a face in every style.
  result ??= lastResort(cp, style.italic) ?? { face: primary, oblique: false }; // renders .notdef
  cache.set(cp, result);
  return result;
}

/** Every face, regular ones first: the faces fontCoverage is the union of. */
function allFaces(): LoadedFace[] {
  const regular = [dejavu('sans', false, false), dejavu('mono', false, false), ...SCRIPT_FONTS.map((f) => scriptFace(f, false))];
  const styled = (['sans', 'mono'] as const).flatMap((family) => [dejavu(family, true, false), dejavu(family, false, true), dejavu(family, true, true)]);
  return [...regular, ...styled, ...SCRIPT_FONTS.filter((f) => f.bold).map((f) => scriptFace(f, true))];
}

function lastResort(cp: number, italic: boolean): { face: LoadedFace; oblique: boolean } | undefined {
  const face = allFaces().find((f) => f.font.hasGlyphForCodePoint(cp)) ?? notoFace(cp, false) ?? notoFace(cp, true);
  return face?.font.hasGlyphForCodePoint(cp) ? { face, oblique: italic } : undefined;
}

/**
 * Every code point some embedded face has a glyph for, as sorted [start, end] ranges: the faces of
 * allFaces and the Noto Sans SC subsets (each within its CSS unicode-range). glyphs.ts reads a stored
 * copy (data/coverage.json; glyphs.test.ts keeps it equal to this), so that no font is opened to ask.
 */
export function fontCoverage(): [number, number][] {
  const points = new Set<number>();
  for (const face of allFaces()) for (const cp of face.font.characterSet) points.add(cp);
  for (const weight of ['regular', 'bold'] as const) {
    const { ranges, files } = notoIndex(weight);
    for (const [num, file] of files) {
      const own = ranges.filter((r) => r[2] === num);
      for (const cp of fontkit.openSync(file).characterSet) if (own.some(([start, end]) => start <= cp && cp <= end)) points.add(cp);
    }
  }
  const sorted = [...points].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (const cp of sorted) {
    const last = out[out.length - 1];
    if (last && last[1] === cp - 1) last[1] = cp;
    else out.push([cp, cp]);
  }
  return out;
}

/** Splits text into maximal sub-runs that one face can draw. */
export function splitByCoverage(text: string, style: TextStyleKey): FontRun[] {
  const runs: FontRun[] = [];
  let current: FontRun | undefined;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0x20;
    const { face, oblique } = faceForCodePoint(cp, style);
    if (current && current.face === face && current.oblique === oblique) {
      current.text += ch;
    } else {
      current = { text: ch, face, oblique };
      runs.push(current);
    }
  }
  return runs;
}

const MAX_SHAPED = 50_000;

function layoutWithFontkit(face: LoadedFace, text: string): Shaped {
  const cached = face.shaped.get(text);
  if (cached) return cached;
  const run = layoutOrApart(face.font, text);
  const shaped: Shaped = {
    ids: run.glyphs.map((g) => g.id),
    advances: run.glyphs.map((g) => g.advanceWidth),
    codePoints: run.glyphs.map((g) => g.codePoints),
    positions: run.positions.map((p) => ({ xAdvance: p.xAdvance, yAdvance: p.yAdvance, xOffset: p.xOffset, yOffset: p.yOffset })),
    advanceWidth: run.advanceWidth,
  };
  if (face.shaped.size >= MAX_SHAPED) face.shaped.clear();
  face.shaped.set(text, shaped);
  return shaped;
}

/**
 * fontkit's layout, or, where it throws (it does on some mark sequences glyphs.ts does not know of),
 * each character laid out on its own: drawn apart rather than not at all.
 */
function layoutOrApart(font: fontkit.Font, text: string): ReturnType<fontkit.Font['layout']> {
  try {
    return font.layout(text);
  } catch {
    const runs = [...text].map((ch) => font.layout(ch));
    return {
      glyphs: runs.flatMap((r) => r.glyphs),
      positions: runs.flatMap((r) => r.positions),
      advanceWidth: runs.reduce((w, r) => w + r.advanceWidth, 0),
    };
  }
}

const samePosition = (a: Shaped['positions'][number], b: Shaped['positions'][number]) =>
  a.xAdvance === b.xAdvance && a.yAdvance === b.yAdvance && a.xOffset === b.xOffset && a.yOffset === b.yOffset;

/** Whether fontkit shapes the two characters together exactly as it shapes each alone: no ligature, no kerning. */
function independentPair(face: LoadedFace, pair: string): boolean {
  let known = face.independentPairs.get(pair);
  if (known !== undefined) return known;
  const both = layoutWithFontkit(face, pair);
  const left = layoutWithFontkit(face, pair[0]!);
  const right = layoutWithFontkit(face, pair[1]!);
  const apart = [...left.ids, ...right.ids];
  const apartPositions = [...left.positions, ...right.positions];
  known = both.ids.length === apart.length && both.ids.every((id, i) => id === apart[i] && samePosition(both.positions[i]!, apartPositions[i]!));
  face.independentPairs.set(pair, known);
  return known;
}

/** Visible ASCII without spaces: the words where one glyph per character is the rule. */
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/**
 * Shape a visible-ASCII word from cached pieces: it is cut between two characters wherever the pairs
 * on both sides of the cut and across it shape independently (so a ligature and whatever kerns with
 * it stay in one piece). Paths, hashes and identifiers, thousands of them and each new, then cost a
 * few lookups instead of a pass of fontkit's OpenType machinery; the glyphs and positions are the
 * same (checked against fontkit in fonts.test.ts).
 */
function composeAscii(face: LoadedFace, text: string): Shaped | undefined {
  const cuts = [0];
  for (let i = 1; i < text.length; i++) {
    if (!independentPair(face, text.slice(i - 1, i + 1))) continue;
    if (i >= 2 && !independentPair(face, text.slice(i - 2, i))) continue;
    if (i + 1 < text.length && !independentPair(face, text.slice(i, i + 2))) continue;
    cuts.push(i);
  }
  if (cuts.length === 1) return undefined;
  cuts.push(text.length);
  const shaped: Shaped = { ids: [], advances: [], codePoints: [], positions: [], advanceWidth: 0 };
  for (let c = 1; c < cuts.length; c++) {
    const piece = layoutWithFontkit(face, text.slice(cuts[c - 1], cuts[c]));
    for (let g = 0; g < piece.ids.length; g++) {
      shaped.ids.push(piece.ids[g]!);
      shaped.advances.push(piece.advances[g]!);
      shaped.codePoints.push(piece.codePoints[g]!);
      shaped.positions.push(piece.positions[g]!);
    }
    shaped.advanceWidth += piece.advanceWidth;
  }
  return shaped;
}

function shape(face: LoadedFace, text: string): Shaped {
  const cached = face.shaped.get(text);
  if (cached) return cached;
  const composed = text.length > 2 && VISIBLE_ASCII.test(text) ? composeAscii(face, text) : undefined;
  if (!composed) return layoutWithFontkit(face, text);
  if (face.shaped.size >= MAX_SHAPED) face.shaped.clear();
  face.shaped.set(text, composed);
  return composed;
}

function loaded(face: Face): LoadedFace {
  const found = faces.get(face.name);
  if (!found) throw new Error(`face ${face.name} not loaded`);
  return found;
}

/** `text` shaped in `face`, in font units, as pdfkit draws it (kerning and default features applied). */
export const shapeText = (face: Face, text: string): Readonly<Shaped> => shape(loaded(face), text);

/** Advance width of `text` in `face` at 1pt. */
export const unitWidth = (face: Face, text: string): number => shapeText(face, text).advanceWidth / loaded(face).unitsPerEm;

interface GlyphPosition {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
  advanceWidth: number;
}

interface WordLayout {
  glyphs: { id: number; advanceWidth: number; codePoints: number[] }[];
  positions: GlyphPosition[];
  advanceWidth: number;
}

/** pdfkit's embedded font (0.20, pinned): the word layout and glyph encoding its text drawing asks for. */
interface EmbeddedFontInternals {
  scale: number;
  layoutCached(text: string): WordLayout;
  encode(text: string, features?: unknown): [string[], GlyphPosition[]];
  subset: { includeGlyph(id: number): number };
  widths: (number | undefined)[];
  unicode: (number[] | undefined)[];
}

/**
 * A word (with its trailing space, as pdfkit splits lines) laid out in pdfkit's units, 1000 per em:
 * word and space shaped apart, as the layout measures them.
 */
function wordLayout(face: LoadedFace, text: string): WordLayout {
  const hit = face.drawn.get(text);
  if (hit) return hit;
  const scale = 1000 / face.unitsPerEm;
  const parts = text.length > 1 && text.endsWith(' ') ? [text.slice(0, -1), ' '] : [text];
  const run: WordLayout = { glyphs: [], positions: [], advanceWidth: 0 };
  for (const part of parts) {
    const shaped = shape(face, part);
    shaped.ids.forEach((id, i) => {
      const p = shaped.positions[i]!;
      const advance = shaped.advances[i]!;
      run.glyphs.push({ id, advanceWidth: advance, codePoints: shaped.codePoints[i]! });
      run.positions.push({ xAdvance: p.xAdvance * scale, yAdvance: p.yAdvance * scale, xOffset: p.xOffset * scale, yOffset: p.yOffset * scale, advanceWidth: advance * scale });
      run.advanceWidth += p.xAdvance * scale;
    });
  }
  if (face.drawn.size >= MAX_SHAPED) face.drawn.clear();
  face.drawn.set(text, run);
  return run;
}

/**
 * Let a document's embedded font draw with the shapes measured here: pdfkit lays out each word again
 * in every document, so every new word was shaped twice; and it encoded every word of every line
 * drawn, concatenating arrays as it went. Here a word is laid out once per process and its glyphs
 * encoded once per document (glyph numbers belong to the document's font subset); what comes out is
 * what pdfkit's own `layoutCached` and `encode` give.
 */
function shareShaping(embedded: EmbeddedFontInternals, face: LoadedFace): void {
  embedded.layoutCached = (text: string) => wordLayout(face, text);
  const encodeWithFeatures = embedded.encode;
  const encoded = new Map<string, { hex: string[]; positions: GlyphPosition[] }>();
  const encodeWord = (word: string) => {
    const run = wordLayout(face, word);
    const hex = run.glyphs.map((glyph) => {
      const gid = embedded.subset.includeGlyph(glyph.id);
      embedded.widths[gid] ??= glyph.advanceWidth * embedded.scale;
      embedded.unicode[gid] ??= glyph.codePoints;
      return `0000${gid.toString(16)}`.slice(-4);
    });
    const entry = { hex, positions: run.positions };
    encoded.set(word, entry);
    return entry;
  };
  embedded.encode = function encode(text: string, features?: unknown) {
    if (features) return encodeWithFeatures.call(this, text, features);
    const hex: string[] = [];
    const positions: GlyphPosition[] = [];
    // Words end after a space or tab, which they keep, as in pdfkit's layout.
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      if (text[i] !== ' ' && text[i] !== '\t' && i + 1 < text.length) continue;
      const word = text.slice(start, i + 1);
      const entry = encoded.get(word) ?? encodeWord(word);
      for (let g = 0; g < entry.hex.length; g++) {
        hex.push(entry.hex[g]!);
        positions.push(entry.positions[g]!);
      }
      start = i + 1;
    }
    return [hex, positions];
  };
}

// ---------------------------------------------------------------------------
// Per-document registration.

/** pdfkit internals touched here (not part of its public API). */
interface PdfkitFontInternals {
  _font: { subset: unknown } | null;
}

/**
 * Registers faces lazily in one document and switches the current font.
 * Noto subsets get the WOFF2 glyph fix (see patchWoff2Subset).
 */
export class DocFonts {
  private readonly registered = new Set<string>();
  private readonly patched = new WeakSet<object>();
  private current: string | undefined;
  private currentSize = -1;

  constructor(private readonly doc: PDFKit.PDFDocument) {}

  use(face: Face, size: number): void {
    if (this.current !== face.name) {
      if (face.name !== DEFAULT_FONT_PATH && !this.registered.has(face.name)) {
        this.doc.registerFont(face.name, face.path);
        this.registered.add(face.name);
      }
      this.doc.font(face.name);
      this.current = face.name;
      const embedded = (this.doc as unknown as { _font: EmbeddedFontInternals | null })._font;
      if (embedded && !this.patched.has(embedded)) {
        shareShaping(embedded, faces.get(face.name)!);
        this.patched.add(embedded);
      }
      if (face.kind === 'noto') {
        const internals = this.doc as unknown as PdfkitFontInternals;
        const subset = internals._font?.subset;
        if (subset && typeof subset === 'object' && !this.patched.has(subset)) {
          patchWoff2Subset(subset as TtfSubsetInternals);
          this.patched.add(subset);
        }
      }
    }
    if (this.currentSize !== size) {
      this.doc.fontSize(size);
      this.currentSize = size;
    }
  }
}

// ---------------------------------------------------------------------------
// WOFF2 subset fix.
//
// fontkit's TrueType subsetter copies raw `glyf` bytes at the `loca`
// offsets. In a WOFF2 file the glyf table is stored transformed, so the copied
// bytes are garbage and every glyph comes out empty. The fix re-encodes each
// included glyph from its decoded contours (composites flattened, hinting
// instructions dropped) as a plain TrueType simple glyph.

interface TtfSubsetInternals {
  font: fontkit.Font;
  glyf: Uint8Array[];
  loca: { offsets: number[] };
  hmtx: { metrics: { advance: number; bearing: number }[] };
  offset: number;
  /** Glyph ids included so far (original font ids). */
  glyphs: number[];
  _addGlyph(gid: number): number;
  encode(): Uint8Array;
}

function patchWoff2Subset(subset: TtfSubsetInternals): void {
  subset._addGlyph = function addGlyph(this: TtfSubsetInternals, gid: number): number {
    const glyph = this.font.getGlyph(gid);
    const buffer = glyph._decode() ? encodeSimpleGlyph(glyph._getContours()) : new Uint8Array(0);
    this.glyf.push(buffer);
    this.loca.offsets.push(this.offset);
    this.hmtx.metrics.push({ advance: glyph.advanceWidth, bearing: glyph._getMetrics().leftBearing });
    this.offset += buffer.length;
    return this.glyf.length - 1;
  };
  const encode = subset.encode;
  subset.encode = function encodeWithMaxp(this: TtfSubsetInternals): Uint8Array {
    // encode() copies `maxp`; flattened composites may exceed the original
    // simple-glyph limits, so raise them on this document's font object first.
    let maxPoints = 0;
    let maxContours = 0;
    for (const id of this.glyphs) {
      const glyph = this.font.getGlyph(id);
      if (!glyph._decode()) continue;
      const contours = glyph._getContours();
      maxContours = Math.max(maxContours, contours.length);
      maxPoints = Math.max(maxPoints, contours.reduce((n, c) => n + c.length, 0));
    }
    const maxp = this.font.maxp;
    maxp.maxPoints = Math.max(maxp.maxPoints, maxPoints);
    maxp.maxContours = Math.max(maxp.maxContours, maxContours);
    return encode.call(this);
  };
}

const ON_CURVE = 0x01;
const X_SHORT = 0x02;
const Y_SHORT = 0x04;
const X_SAME_OR_POSITIVE = 0x10;
const Y_SAME_OR_POSITIVE = 0x20;

/** Encodes contours as a TrueType simple glyph (no instructions), padded to 4 bytes. */
export function encodeSimpleGlyph(contours: readonly (readonly fontkit.GlyphPoint[])[]): Uint8Array {
  const points = contours.filter((c) => c.length > 0);
  if (points.length === 0) return new Uint8Array(0);
  const flags: number[] = [];
  const xs: number[] = []; // encoded bytes
  const ys: number[] = [];
  const endPts: number[] = [];
  let xMin = Infinity;
  let yMin = Infinity;
  let xMax = -Infinity;
  let yMax = -Infinity;
  let lastX = 0;
  let lastY = 0;
  let count = 0;
  const pushCoord = (delta: number, out: number[], shortBit: number, sameBit: number): number => {
    if (delta === 0) return sameBit;
    if (delta >= -255 && delta <= 255) {
      out.push(Math.abs(delta));
      return shortBit | (delta > 0 ? sameBit : 0);
    }
    out.push((delta >> 8) & 0xff, delta & 0xff);
    return 0;
  };
  for (const contour of points) {
    for (const p of contour) {
      const x = Math.round(p.x);
      const y = Math.round(p.y);
      xMin = Math.min(xMin, x);
      yMin = Math.min(yMin, y);
      xMax = Math.max(xMax, x);
      yMax = Math.max(yMax, y);
      let flag = p.onCurve ? ON_CURVE : 0;
      flag |= pushCoord(x - lastX, xs, X_SHORT, X_SAME_OR_POSITIVE);
      flag |= pushCoord(y - lastY, ys, Y_SHORT, Y_SAME_OR_POSITIVE);
      flags.push(flag);
      lastX = x;
      lastY = y;
      count++;
    }
    endPts.push(count - 1);
  }
  const size = 10 + endPts.length * 2 + 2 + flags.length + xs.length + ys.length;
  const padded = (size + 3) & ~3;
  const out = new Uint8Array(padded);
  const view = new DataView(out.buffer);
  let o = 0;
  view.setInt16(o, endPts.length);
  view.setInt16(o + 2, xMin);
  view.setInt16(o + 4, yMin);
  view.setInt16(o + 6, xMax);
  view.setInt16(o + 8, yMax);
  o += 10;
  for (const e of endPts) {
    view.setUint16(o, e);
    o += 2;
  }
  view.setUint16(o, 0); // instructionLength
  o += 2;
  for (const f of flags) out[o++] = f;
  for (const b of xs) out[o++] = b;
  for (const b of ys) out[o++] = b;
  return out;
}
