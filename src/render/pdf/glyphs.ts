/**
 * Which characters the PDFs draw as they are, and which they show as a visible marker `⟨U+XXXX⟩`
 * instead. One answer for the renderer (which draws the marker) and for ingest (which reports it
 * with the file and line), so that a marker in a PDF always has a diagnostic behind it.
 *
 * - **invisible**: bidirectional controls and marks, zero-width characters, tag characters and other
 *   invisible format characters. Obeyed, they could make a title read differently from what it
 *   says (a right-to-left override reverses what follows it); they are shown, never obeyed.
 * - **unrenderable**: no embedded font has a glyph for it, or fontkit (2.0.4, which pdfkit shapes
 *   with) shapes it wrongly where it stands. The contexts below were found by shaping every
 *   consonant, vowel and mark combination of the embedded Noto fonts with fontkit and with HarfBuzz
 *   (6.0.0) and keeping what differs; glyphs.test.ts checks the rules against stored HarfBuzz
 *   results. Nothing in this module opens a font: coverage comes from data/coverage.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../util/package-root.js';

export type MarkReason = 'invisible' | 'unrenderable';

export interface MarkedCharacter {
  /** UTF-16 offset in the text. */
  index: number;
  /** UTF-16 length (2 for a code point above U+FFFF). */
  length: number;
  codePoint: number;
  reason: MarkReason;
}

/** What is drawn in place of a character: `⟨U+202E⟩`. */
export const markerFor = (codePoint: number) => `⟨U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}⟩`;

/** Invisible characters a reader must see: they are drawn as markers and never obeyed. */
const INVISIBLE: readonly (readonly [number, number])[] = [
  [0x061c, 0x061c], // Arabic letter mark
  [0x115f, 0x1160], // Hangul fillers (drawn blank)
  [0x17b4, 0x17b5], // Khmer inherent vowels (drawn blank)
  [0x180e, 0x180e], // Mongolian vowel separator
  [0x200b, 0x200f], // zero-width space, non-joiner, joiner; left-to-right and right-to-left marks
  [0x202a, 0x202e], // bidirectional embeddings and overrides
  [0x2060, 0x2064], // word joiner, invisible operators
  [0x2066, 0x2069], // bidirectional isolates
  [0x206a, 0x206f], // deprecated format characters
  [0x3164, 0x3164], // Hangul filler
  [0xfeff, 0xfeff], // zero-width no-break space (a byte-order mark inside text)
  [0xffa0, 0xffa0], // halfwidth Hangul filler
  [0xfff9, 0xfffb], // interlinear annotation controls
  [0x1d173, 0x1d17a], // musical symbol format controls
  [0xe0000, 0xe007f], // tag characters (can spell out hidden text)
  [0xe0100, 0xe01ef], // variation selectors supplement (can encode hidden bytes)
];

const VARIATION_SELECTOR = (cp: number) => cp >= 0xfe00 && cp <= 0xfe0f;

const inRanges = (ranges: readonly (readonly [number, number])[], cp: number) => ranges.some(([start, end]) => start <= cp && cp <= end);

let coverage: Uint32Array | undefined;

/** Sorted [start, end] pairs of the code points the embedded fonts have glyphs for (see fontCoverage). */
function coveredRanges(): Uint32Array {
  if (!coverage) {
    const stored = JSON.parse(readFileSync(join(packageRoot(), 'src', 'render', 'pdf', 'data', 'coverage.json'), 'utf8')) as { ranges: string };
    coverage = Uint32Array.from(stored.ranges.split(',').flatMap((r) => {
      const [start, end = start] = r.split('-');
      return [parseInt(start!, 16), parseInt(end!, 16)];
    }));
  }
  return coverage;
}

/** Whether some embedded font has a glyph for the code point. */
export function covered(cp: number): boolean {
  const ranges = coveredRanges();
  let lo = 0;
  let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[2 * mid + 1]! < cp) lo = mid + 1;
    else if (ranges[2 * mid]! > cp) hi = mid - 1;
    else return true;
  }
  return false;
}

// Contexts fontkit shapes wrongly (each checked against HarfBuzz in glyphs.test.ts).

const THAI_TONE = (cp: number) => cp >= 0x0e48 && cp <= 0x0e4b;
const THAI_BELOW_VOWEL = (cp: number) => cp >= 0x0e38 && cp <= 0x0e3a;
/** Consonants with a tall ascender (ป ฝ ฟ), and ฬ, on which fontkit throws. */
const THAI_TALL = new Set([0x0e1b, 0x0e1d, 0x0e1f, 0x0e2c]);
const ARABIC_FEH = 0x0641;
const ARABIC_KASRA = new Set([0x064d, 0x0650]);
/** Rarely used Arabic marks fontkit misplaces (hamza above/below, maddah, …) or throws on (Quranic annotation marks). */
const ARABIC_MARKS_WRONG: readonly (readonly [number, number])[] = [
  [0x0653, 0x065f],
  [0x06d6, 0x06dc],
  [0x06df, 0x06e4],
  [0x06e7, 0x06e8],
  [0x06ea, 0x06ed],
];
const HEBREW_POINT = (cp: number) => (cp >= 0x0591 && cp <= 0x05bd) || cp === 0x05bf || cp === 0x05c1 || cp === 0x05c2 || cp === 0x05c4 || cp === 0x05c5 || cp === 0x05c7;
/** Points after which a vowel point on the same letter is placed as HarfBuzz places it (holam, dagesh, rafe, shin and sin dots). */
const HEBREW_FIRST_OF_TWO = new Set([0x05b9, 0x05ba, 0x05bc, 0x05bf, 0x05c1, 0x05c2]);
/** The vowel points (sheva to qubuts, meteg, qamats qatan). */
const HEBREW_VOWEL = (cp: number) => (cp >= 0x05b0 && cp <= 0x05bb) || cp === 0x05bd || cp === 0x05c7;
/** The pairs of points on one letter that are placed right: a vowel after those, a dagesh after a shin or sin dot, a meteg after a hataf. */
const hebrewPairDrawn = (prev: number, cp: number) =>
  (HEBREW_FIRST_OF_TWO.has(prev) && HEBREW_VOWEL(cp)) || (cp === 0x05bc && (prev === 0x05c1 || prev === 0x05c2)) || (cp === 0x05bd && prev >= 0x05b1 && prev <= 0x05b3);
const SKIN_TONE = (cp: number) => cp >= 0x1f3fb && cp <= 0x1f3ff;

/** Whether fontkit draws `cp` wrongly after `prev` and `prev2` (the code points before it; 0 at the start). */
function wronglyShaped(cp: number, prev: number, prev2: number): boolean {
  if (cp < 0x0591) return false;
  // Thai: SARA AM after a tone mark stacks its NIKHAHIT above the tone mark instead of below it.
  if (cp === 0x0e33) return THAI_TONE(prev);
  // Thai: a tone mark or THANTHAKHAT after a below vowel on a tall consonant is not moved clear of the ascender.
  if (THAI_TONE(cp) || cp === 0x0e4c) return THAI_BELOW_VOWEL(prev) && THAI_TALL.has(prev2);
  if (ARABIC_KASRA.has(cp)) return prev === ARABIC_FEH;
  if (inRanges(ARABIC_MARKS_WRONG, cp)) return true;
  // Hebrew: two points on one letter are placed right only in these orders.
  if (HEBREW_POINT(cp) && HEBREW_POINT(prev)) return !hebrewPairDrawn(prev, cp);
  // The enclosing keycap is drawn apart from its digit (a digit is DejaVu's, the keycap Noto Emoji's).
  if (cp === 0x20e3) return true;
  // Noto Emoji has no skin tones: after an emoji the modifier would vanish into it, the tone unsaid.
  if (SKIN_TONE(cp)) return prev !== 0 && prev !== 0x20 && prev !== 0x0a;
  return false;
}

/** Text needing no look: tabs, line breaks and visible ASCII. */
const PLAIN = /^[\t\n\r\x20-\x7e]*$/;

/** The characters of `text` that are drawn as markers, in text order. */
export function markedCharacters(text: string): MarkedCharacter[] {
  if (PLAIN.test(text)) return [];
  const marked: MarkedCharacter[] = [];
  let prev = 0;
  let prev2 = 0;
  for (let index = 0; index < text.length; ) {
    const cp = text.codePointAt(index)!;
    const length = cp > 0xffff ? 2 : 1;
    if (cp >= 0x7f) {
      let reason: MarkReason | undefined;
      if (cp <= 0x9f || inRanges(INVISIBLE, cp)) reason = cp === 0x7f ? undefined : 'invisible';
      // A variation selector after a character picks its text or emoji form; more of them in a row hide data.
      else if (VARIATION_SELECTOR(cp)) reason = prev === 0 || VARIATION_SELECTOR(prev) ? 'invisible' : undefined;
      else if (!covered(cp) || wronglyShaped(cp, prev, prev2)) reason = 'unrenderable';
      if (reason) marked.push({ index, length, codePoint: cp, reason });
    }
    prev2 = prev;
    prev = cp;
    index += length;
  }
  return marked;
}

/** `text` with every marked character replaced by its marker (for outline titles and other plain text). */
export function withMarkers(text: string): string {
  const marked = markedCharacters(text);
  if (!marked.length) return text;
  let out = '';
  let at = 0;
  for (const m of marked) {
    out += text.slice(at, m.index) + markerFor(m.codePoint);
    at = m.index + m.length;
  }
  return out + text.slice(at);
}

/** Names of the invisible characters most likely met, for diagnostics. */
const INVISIBLE_NAMES: Record<number, string> = {
  0x061c: 'Arabic letter mark',
  0x200b: 'zero-width space',
  0x200c: 'zero-width non-joiner',
  0x200d: 'zero-width joiner',
  0x200e: 'left-to-right mark',
  0x200f: 'right-to-left mark',
  0x202a: 'left-to-right embedding',
  0x202b: 'right-to-left embedding',
  0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override',
  0x202e: 'right-to-left override',
  0x2060: 'word joiner',
  0x2066: 'left-to-right isolate',
  0x2067: 'right-to-left isolate',
  0x2068: 'first strong isolate',
  0x2069: 'pop directional isolate',
  0xfeff: 'zero-width no-break space',
};

const SCRIPTS = ['Arabic', 'Hebrew', 'Thai', 'Devanagari', 'Bengali', 'Tamil', 'Telugu', 'Gujarati', 'Gurmukhi', 'Kannada', 'Malayalam', 'Sinhala', 'Lao', 'Khmer', 'Myanmar', 'Tibetan', 'Georgian', 'Armenian', 'Ethiopic', 'Syriac', 'Thaana', 'Mongolian', 'Cherokee', 'Hangul', 'Han', 'Hiragana', 'Katakana'];

/** "U+202E (right-to-left override)", "U+0E33 (Thai)", "U+1F600": a character named as well as this module can. */
export function describeCodePoint(cp: number): string {
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = INVISIBLE_NAMES[cp] ?? (cp >= 0xe0000 && cp <= 0xe007f ? 'tag character' : undefined);
  if (name) return `${hex} (${name})`;
  const ch = String.fromCodePoint(cp);
  const script = SCRIPTS.find((s) => new RegExp(`\\p{Script=${s}}`, 'u').test(ch));
  if (script) return `${hex} (${script})`;
  return /\p{Extended_Pictographic}/u.test(ch) ? `${hex} (emoji)` : hex;
}
