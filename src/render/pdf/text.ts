/**
 * Inline text layout: styled runs → measured words → wrapped lines → drawn
 * glyph runs. Measurement is done with the same fonts (and the same fontkit
 * layout) that pdfkit embeds, including the fallback faces, so wrapping and
 * table row heights match what is drawn.
 */
import { type DocFonts, type Face, primaryFace, splitByCoverage, unitWidth } from './fonts.js';
import { markedCharacters, markerFor } from './glyphs.js';
import type { Run } from './markdown.js';
import { paragraphIsRtl, visualOrder } from './bidi.js';

export interface InlineStyle {
  size: number;
  color: string;
  bold?: boolean;
  italic?: boolean;
  /** Whole block in the mono face (code blocks). */
  mono?: boolean;
  /** Size factor for inline code spans. */
  codeScale?: number;
}

export interface Segment {
  text: string;
  face: Face;
  oblique: boolean;
  size: number;
  color: string;
  strike: boolean;
  width: number;
  /** A marker drawn in place of a character (see glyphs.ts): one unit, never reordered inside. */
  marker?: true;
}

interface Word {
  kind: 'word';
  segs: Segment[];
  width: number;
  /** Holds right-to-left letters: its line is reordered when drawn. */
  rtl?: true;
}

interface Space {
  kind: 'space';
  seg: Segment;
  width: number;
}

interface Newline {
  kind: 'newline';
}

export type Atom = Word | Space | Newline;

export interface Line {
  items: (Word | Space)[];
  width: number;
  /** Holds right-to-left letters; `rtl` is then the direction of its paragraph (its first strong letter). */
  bidi?: { rtl: boolean };
  /** Distance from the line top to the baseline. */
  ascent: number;
  /** Line box height without the line gap. */
  height: number;
}

/** CJK and other scripts written without spaces: a line may break between any two such characters. */
const BREAK_ANYWHERE = /[\u2E80-\u2FFF\u3000-\u30FF\u3100-\u312F\u3190-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uA960-\uA97F\uAC00-\uD7AF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF]|[\u{20000}-\u{3FFFF}]/u;
/** Text of spaces and visible ASCII only (no tab, line break or control character). */
const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;
/** What markers are drawn in, so that they read as legible's and not as the evidence's text. */
const MARKER_COLOR = '#9b1c1c';
/** Letters of the right-to-left scripts the fonts draw (Hebrew, Arabic): their lines are reordered. */
const isRtlLetter = (cp: number) => (cp >= 0x05d0 && cp <= 0x05f2) || (cp >= 0x0620 && cp <= 0x064a) || (cp >= 0x066e && cp <= 0x06d5) || (cp >= 0x06fa && cp <= 0x08ff) || (cp >= 0xfb1d && cp <= 0xfdff) || (cp >= 0xfe70 && cp <= 0xfefc);
/** Breakable spaces (no-break space U+00A0 is an ordinary character here). */
const WHITESPACE = /[ \t\u2000-\u200A\u3000]/;
/** Must not start a line (closing punctuation): glued to the preceding word. */
const NO_LINE_START = new Set([...'。，、；：？！）」』】〉》〕｝］”’・…‥ー々ゝゞ～.,;:!?)]}%']);
/** Must not end a line (opening punctuation): glued to the following character. */
const NO_LINE_END = new Set([...'（「『【〈《〔｛［“‘']);

function measureSeg(text: string, face: Face, size: number): number {
  return unitWidth(face, text) * size;
}

/**
 * Breaks styled runs into atoms. In `pre` mode (code blocks) spaces are kept
 * as typed; otherwise runs of whitespace collapse to one space.
 */
export function toAtoms(runs: readonly Run[], style: InlineStyle, pre = false): Atom[] {
  const atoms: Atom[] = [];
  let word: Word | null = null;
  const finishWord = (): void => {
    if (word && word.segs.length > 0) atoms.push(word);
    word = null;
  };
  for (const run of runs) {
    const mono = style.mono === true || run.code;
    const size = run.code && !style.mono ? style.size * (style.codeScale ?? 0.9) : style.size;
    const key = { bold: run.bold || style.bold === true, italic: run.italic || style.italic === true, mono };
    const spaceFace = primaryFace(key);
    // Split the run into whitespace / break-anywhere chars / other text.
    let buffer = '';
    let rtl = false;
    const flush = (): void => {
      if (buffer === '') return;
      for (const fr of splitByCoverage(buffer, key)) {
        word ??= { kind: 'word', segs: [], width: 0 };
        const w = measureSeg(fr.text, fr.face, size);
        const last = word.segs[word.segs.length - 1];
        if (last && !last.marker && last.face === fr.face && last.oblique === fr.oblique && last.size === size && last.strike === run.strike) {
          last.text += fr.text;
          last.width += w;
        } else {
          word.segs.push({ text: fr.text, face: fr.face, oblique: fr.oblique, size, color: style.color, strike: run.strike, width: w });
        }
        word.width += w;
      }
      if (rtl) word!.rtl = true;
      buffer = '';
      rtl = false;
    };
    /** A character shown as its marker, glued to the word it stands in. */
    const addMarker = (codePoint: number): void => {
      flush();
      word ??= { kind: 'word', segs: [], width: 0 };
      for (const fr of splitByCoverage(markerFor(codePoint), { ...key, mono: false })) {
        const width = measureSeg(fr.text, fr.face, size);
        word.segs.push({ text: fr.text, face: fr.face, oblique: fr.oblique, size, color: MARKER_COLOR, strike: run.strike, width, marker: true });
        word.width += width;
      }
    };
    // Closing punctuation right after a finished word (e.g. after a CJK character): that word is
    // reopened so the line cannot start with it.
    const reopenLastWord = (): void => {
      const last = atoms[atoms.length - 1];
      if (last?.kind === 'word') {
        atoms.pop();
        word = last;
      }
    };
    /** A space atom, unless one just went before (outside preformatted text, spaces collapse). */
    const addSpace = (text: string, face: Face): void => {
      if (!pre && atoms[atoms.length - 1]?.kind === 'space') return;
      const width = measureSeg(text, face, size);
      atoms.push({ kind: 'space', width, seg: { text, face, oblique: false, size, color: style.color, strike: run.strike, width } });
    };
    if (PRINTABLE_ASCII.test(run.text)) {
      // Most text: split at spaces rather than char by char. No ASCII character breaks anywhere, and
      // closing punctuation can only need the word before it reopened at the start of the run.
      const text = run.text;
      const first = text.charAt(0);
      if (first && word === null && NO_LINE_START.has(first)) reopenLastWord();
      for (let at = 0; at < text.length; ) {
        const space = text.indexOf(' ', at);
        const end = space === -1 ? text.length : space;
        buffer += text.slice(at, end);
        if (space === -1) break;
        flush();
        finishWord();
        addSpace(' ', spaceFace);
        at = space + 1;
      }
      flush();
      continue;
    }
    const marked = markedCharacters(run.text);
    let nextMark = 0;
    let index = 0;
    for (const ch of run.text) {
      const at = index;
      index += ch.length;
      if (marked[nextMark]?.index === at) {
        addMarker(marked[nextMark++]!.codePoint);
        continue;
      }
      if (buffer === '' && word === null && NO_LINE_START.has(ch)) reopenLastWord();
      if (ch === '\n') {
        flush();
        finishWord();
        atoms.push({ kind: 'newline' });
      } else if ((ch < ' ' && ch !== '\t') || ch === '\u00AD' || ch === '\u007F') {
        // Control characters and soft hyphens are not drawn.
        continue;
      } else if (WHITESPACE.test(ch)) {
        flush();
        finishWord();
        const text = ch === '\t' ? (pre ? '    ' : ' ') : ch === '\u3000' ? ch : ' ';
        addSpace(text, text === '\u3000' ? primaryFaceFor(text, key) : spaceFace);
      } else if (BREAK_ANYWHERE.test(ch)) {
        flush();
        // Break before this character unless the word so far is only opening
        // punctuation or this is closing punctuation.
        const w = word as Word | null;
        const openOnly = w !== null && w.segs.every((sg) => [...sg.text].every((c) => NO_LINE_END.has(c)));
        if (!openOnly && !NO_LINE_START.has(ch)) finishWord();
        buffer = ch;
        flush();
        if (!NO_LINE_END.has(ch)) finishWord();
      } else {
        if (isRtlLetter(ch.codePointAt(0)!)) rtl = true;
        buffer += ch;
      }
    }
    flush();
    // A word may continue into the next run ("**bold**text").
  }
  finishWord();
  return atoms;
}

function primaryFaceFor(ch: string, key: { bold: boolean; italic: boolean; mono: boolean }): Face {
  return splitByCoverage(ch, key)[0]?.face ?? primaryFace(key);
}

/** Break-friendly characters inside long words (paths, hashes with dashes, URLs). */
const SOFT_BREAK_AFTER = /[/\\\-_.,;:?&=]/;

/** Splits a word that is wider than `first` into pieces: the first fits `first`, the rest fit `full`. */
function splitWord(word: Word, first: number, full: number): Word[] {
  const pieces: Word[] = [];
  let current: Word = { kind: 'word', segs: [], width: 0 };
  let limit = first;
  // Characters with their widths, keeping segment attributes.
  const chars: { ch: string; seg: Segment; w: number }[] = [];
  for (const seg of word.segs) {
    for (const ch of seg.text) chars.push({ ch, seg, w: measureSeg(ch, seg.face, seg.size) });
  }
  let i = 0;
  while (i < chars.length) {
    // Take as many chars as fit (at least one).
    let width = 0;
    let j = i;
    let lastSoft = -1;
    while (j < chars.length) {
      const c = chars[j];
      if (!c) break;
      if (width + c.w > limit && j > i) break;
      width += c.w;
      if (SOFT_BREAK_AFTER.test(c.ch)) lastSoft = j;
      j++;
    }
    // Prefer a soft break point in the second half of the piece.
    if (j < chars.length && lastSoft >= i && lastSoft + 1 < j && lastSoft + 1 - i > (j - i) / 2) j = lastSoft + 1;
    current = { kind: 'word', segs: [], width: 0 };
    for (let k = i; k < j; k++) {
      const c = chars[k];
      if (!c) continue;
      const last = current.segs[current.segs.length - 1];
      if (last && last.face === c.seg.face && last.oblique === c.seg.oblique && last.size === c.seg.size && last.strike === c.seg.strike) {
        last.text += c.ch;
        last.width += c.w;
      } else {
        current.segs.push({ ...c.seg, text: c.ch, width: c.w });
      }
      current.width += c.w;
    }
    pieces.push(current);
    i = j;
    limit = full;
  }
  return pieces;
}

function lineMetrics(line: Line, baseSize: number): void {
  let ascent = baseSize * 0.928;
  let height = baseSize * 1.164;
  for (const item of line.items) {
    const segs = item.kind === 'word' ? item.segs : [item.seg];
    for (const s of segs) {
      // Line boxes use the DejaVu metrics of each size so that lines with
      // CJK fallback glyphs keep the same rhythm as Latin lines.
      ascent = Math.max(ascent, s.size * 0.928);
      height = Math.max(height, s.size * 1.164);
    }
  }
  line.ascent = ascent;
  line.height = height;
}

/** Wraps atoms into lines no wider than `maxWidth`. */
export function wrap(atoms: readonly Atom[], maxWidth: number, baseSize: number, pre = false): Line[] {
  const lines: Line[] = [];
  let line: Line = { items: [], width: 0, ascent: 0, height: 0 };
  let pendingSpaces: Space[] = [];
  // The paragraph a right-to-left line is in (from the last hard break), for its direction.
  let paragraphStart = 0;
  let paragraphRtl: boolean | undefined;
  const finish = (): void => {
    // Drop trailing spaces.
    while (line.items.length > 0 && line.items[line.items.length - 1]?.kind === 'space') {
      const sp = line.items.pop();
      if (sp) line.width -= sp.width;
    }
    lineMetrics(line, baseSize);
    if (line.bidi) {
      paragraphRtl ??= paragraphIsRtl(paragraphSegments(atoms, paragraphStart));
      line.bidi.rtl = paragraphRtl;
    }
    lines.push(line);
    line = { items: [], width: 0, ascent: 0, height: 0 };
    pendingSpaces = [];
  };
  const spacesWidth = (): number => pendingSpaces.reduce((w, s) => w + s.width, 0);
  const addWord = (word: Word): void => {
    if (word.rtl) line.bidi ??= { rtl: false };
    const sw = line.items.length > 0 || pre ? spacesWidth() : 0;
    if (line.width + sw + word.width <= maxWidth + 0.01) {
      if (line.items.length > 0 || pre) line.items.push(...pendingSpaces);
      line.width += sw;
      pendingSpaces = [];
      line.items.push(word);
      line.width += word.width;
      return;
    }
    if (word.width <= maxWidth + 0.01) {
      if (line.items.length > 0) finish();
      pendingSpaces = [];
      line.items.push(word);
      line.width += word.width;
      return;
    }
    // Longer than a whole line: break inside the word.
    let remaining = maxWidth - line.width - sw;
    if (line.items.length > 0 && remaining < maxWidth * 0.25) {
      finish();
      remaining = maxWidth;
    } else if (line.items.length > 0 || pre) {
      line.items.push(...pendingSpaces);
      line.width += sw;
      pendingSpaces = [];
    }
    const pieces = splitWord(word, Math.max(remaining, 1), maxWidth);
    pieces.forEach((piece, idx) => {
      if (idx > 0) finish();
      line.items.push(piece);
      line.width += piece.width;
    });
  };
  atoms.forEach((atom, at) => {
    if (atom.kind === 'newline') {
      finish();
      paragraphStart = at + 1;
      paragraphRtl = undefined;
    } else if (atom.kind === 'space') {
      pendingSpaces.push(atom);
    } else {
      addWord(atom);
    }
  });
  if (line.items.length > 0 || lines.length === 0 || pre) finish();
  return lines;
}

/** The segments of the paragraph starting at atom `start` (up to the next hard break). */
function paragraphSegments(atoms: readonly Atom[], start: number): Segment[] {
  const segs: Segment[] = [];
  for (let i = start; i < atoms.length; i++) {
    const atom = atoms[i]!;
    if (atom.kind === 'newline') break;
    if (atom.kind === 'word') segs.push(...atom.segs);
  }
  return segs;
}

/** Convenience: runs → lines. */
export function layoutRuns(runs: readonly Run[], style: InlineStyle, maxWidth: number, pre = false): Line[] {
  return wrap(toAtoms(runs, style, pre), maxWidth, style.size, pre);
}

/** Widest single word and full single-line width (table column sizing). */
export function measureRuns(runs: readonly Run[], style: InlineStyle): { min: number; max: number } {
  return measureAtoms(toAtoms(runs, style));
}

/** measureRuns for text already broken into atoms. */
export function measureAtoms(atoms: readonly Atom[]): { min: number; max: number } {
  let min = 0;
  let max = 0;
  let lineWidth = 0;
  let pending = 0;
  for (const a of atoms) {
    if (a.kind === 'word') {
      min = Math.max(min, a.width);
      lineWidth += pending + a.width;
      pending = 0;
    } else if (a.kind === 'space') {
      pending += lineWidth > 0 ? a.width : 0;
    } else {
      max = Math.max(max, lineWidth);
      lineWidth = 0;
      pending = 0;
    }
  }
  max = Math.max(max, lineWidth);
  return { min, max };
}

/** The pdfkit 0.20 internal that doc.text() calls for each line (pinned with pdfkit). */
interface FragmentWriter {
  _fragment(text: string, x: number, y: number, options: { baseline: 'alphabetic'; textWidth: number; wordCount: number; oblique?: boolean }): void;
}

/**
 * Draws one line with its top at `top`. Consecutive pieces sharing a face,
 * size, colour and slant are drawn with a single text call (spaces included,
 * so text extraction sees real spaces).
 */
export function drawLine(
  doc: PDFKit.PDFDocument,
  fonts: DocFonts,
  line: Line,
  x: number,
  top: number,
  align: 'left' | 'center' | 'right' = 'left',
  boxWidth = line.width,
): void {
  let cx = x;
  if (align === 'right') cx = x + boxWidth - line.width;
  else if (align === 'center') cx = x + (boxWidth - line.width) / 2;
  const baseline = top + line.ascent;
  let group: Segment | null = null;
  let groupX = cx;
  const flush = (): void => {
    if (!group) return;
    fonts.use(group.face, group.size);
    doc.fillColor(group.color);
    // pdfkit's text() with lineBreak: false sets up options, measures the string twice and moves its
    // cursor, none of which this layout uses; its fragment writer draws the same operators given the
    // width measured here.
    (doc as unknown as FragmentWriter)._fragment(group.text, groupX, baseline, {
      baseline: 'alphabetic',
      textWidth: group.width,
      wordCount: 1,
      ...(group.oblique ? { oblique: true } : {}),
    });
    if (group.strike) {
      const y = baseline - group.size * 0.3;
      doc
        .save()
        .lineWidth(Math.max(0.5, group.size / 16))
        .strokeColor(group.color)
        .moveTo(groupX, y)
        .lineTo(groupX + group.width, y)
        .stroke()
        .restore();
    }
    group = null;
  };
  if (line.bidi) {
    // Pieces in visual order, each drawn alone: fontkit must see each direction apart.
    for (const piece of visualOrder(line.items.flatMap((item) => (item.kind === 'word' ? item.segs : [item.seg])), line.bidi.rtl)) {
      group = { ...piece, width: measureSeg(piece.text, piece.face, piece.size) };
      groupX = cx;
      cx += group.width;
      flush();
    }
    return;
  }
  for (const item of line.items) {
    const segs = item.kind === 'word' ? item.segs : [item.seg];
    for (const s of segs) {
      if (
        group &&
        group.face === s.face &&
        group.size === s.size &&
        group.color === s.color &&
        group.oblique === s.oblique &&
        group.strike === s.strike
      ) {
        group.text += s.text;
        group.width += s.width;
      } else {
        flush();
        group = { ...s };
        groupX = cx;
      }
      cx += s.width;
    }
  }
  flush();
}

/** Truncates runs so that they fit one line, with an ellipsis. */
export function fitOneLine(runs: readonly Run[], style: InlineStyle, maxWidth: number): Line {
  const full = layoutRuns(runs, style, Number.MAX_SAFE_INTEGER);
  const single = full[0] ?? { items: [], width: 0, ascent: style.size * 0.928, height: style.size * 1.164 };
  if (single.width <= maxWidth) return single;
  const text = runs.map((r) => r.text).join('');
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  let best: Line | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const candidate = layoutRuns([{ text: chars.slice(0, mid).join('').trimEnd() + '…', bold: false, italic: false, code: false, strike: false }], style, Number.MAX_SAFE_INTEGER)[0];
    if (candidate && candidate.width <= maxWidth) {
      best = candidate;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best ?? single;
}

/** The text of a laid-out line (spaces included). */
export function lineText(line: Line): string {
  return line.items.map((item) => (item.kind === 'word' ? item.segs.map((s) => s.text).join('') : item.seg.text)).join('');
}

/**
 * Wraps plain text into at most `maxLines` lines; when it needs more, the
 * last line is truncated with an ellipsis.
 */
export function layoutClamped(runs: readonly Run[], style: InlineStyle, maxWidth: number, maxLines: number): Line[] {
  const lines = layoutRuns(runs, style, maxWidth);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, Math.max(maxLines - 1, 0));
  const rest = lines.slice(kept.length).map(lineText).join(' ');
  // `rest` spans several lines, so fitOneLine always ends it with an ellipsis.
  kept.push(fitOneLine([{ text: rest, bold: false, italic: false, code: false, strike: false }], style, maxWidth));
  return kept;
}
