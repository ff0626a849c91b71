/**
 * Right-to-left text in a left-to-right layout. pdfkit draws pieces of text from left to right in the
 * order it is given them, so a line holding Hebrew or Arabic is put in visual order here, per the
 * Unicode Bidirectional Algorithm (bidi-js): levels are resolved for the line with its paragraph's
 * direction, and runs are reversed from the highest level down (rule L2). Explicit controls never
 * take part: they were replaced by visible markers before (see glyphs.ts), and a marker counts as a
 * neutral character that keeps its own left-to-right text.
 *
 * Inside a piece, fontkit shapes the text and reverses it itself when it sees a right-to-left script
 * (it takes the direction of the first letter's script). So a piece is handed to it in logical order
 * when that gives the right order, and reversed (with mirrored brackets, rule L4) when it does not:
 * punctuation between right-to-left words, and Arabic-Indic digits, which read left to right.
 */
import { createRequire } from 'node:module';
import type { Bidi } from 'bidi-js';
import type { Segment } from './text.js';

// A CommonJS module whose types declare an ES default export: required, it is the factory itself.
const bidi = (createRequire(import.meta.url)('bidi-js') as () => Bidi)();

const OBJECT_REPLACEMENT = '\uFFFC';
/** A letter of a right-to-left script: fontkit reverses a piece whose first letter is one. */
const RTL_SCRIPT = /[\p{Script=Hebrew}\p{Script=Arabic}]/u;
const DIRECTIONLESS = /[\p{Script=Common}\p{Script=Inherited}]/u;

/** Whether fontkit lays `text` out right to left. */
function fontkitReverses(text: string): boolean {
  for (const ch of text) {
    if (RTL_SCRIPT.test(ch)) return true;
    if (!DIRECTIONLESS.test(ch)) return false;
  }
  return false;
}

const reversed = (text: string, mirror: boolean) =>
  [...text]
    .reverse()
    .map((ch) => (mirror ? (bidi.getMirroredCharacter(ch) ?? ch) : ch))
    .join('');

/** The direction of a paragraph: that of its first strong letter (rules P2, P3), markers not counted. */
export function paragraphIsRtl(segments: readonly Segment[]): boolean {
  for (const seg of segments) {
    if (seg.marker) continue;
    for (const ch of seg.text) {
      const type = bidi.getBidiCharTypeName(ch);
      if (type === 'L') return false;
      if (type === 'R' || type === 'AL') return true;
    }
  }
  return false;
}

/**
 * The segments of one line in visual order, left to right, each of one direction and with its text
 * as fontkit must get it to draw it in that order (`width` is left to the caller to measure again).
 */
export function visualOrder(segments: readonly Segment[], rtl: boolean): Segment[] {
  const text = segments.map((s) => (s.marker ? OBJECT_REPLACEMENT.repeat(s.text.length) : s.text)).join('');
  const { levels } = bidi.getEmbeddingLevels(text, rtl ? 'rtl' : 'ltr');
  // Cut each segment where the level changes (a marker stays whole).
  const pieces: { seg: Segment; level: number }[] = [];
  let at = 0;
  for (const seg of segments) {
    if (seg.marker) {
      pieces.push({ seg, level: levels[at]! });
      at += seg.text.length;
      continue;
    }
    let start = 0;
    for (let i = 1; i <= seg.text.length; i++) {
      if (i < seg.text.length && levels[at + i] === levels[at + start]) continue;
      // Never between the halves of a surrogate pair: they share a level.
      pieces.push({ seg: { ...seg, text: seg.text.slice(start, i) }, level: levels[at + start]! });
      start = i;
    }
    at += seg.text.length;
  }
  // Rule L2: from the highest level down to the lowest odd one, reverse every run at that level or above.
  const highest = Math.max(...pieces.map((p) => p.level));
  const lowestOdd = Math.min(...pieces.map((p) => (p.level % 2 ? p.level : p.level + 1)));
  for (let level = highest; level >= lowestOdd; level--) {
    for (let i = 0; i < pieces.length; ) {
      if (pieces[i]!.level < level) {
        i++;
        continue;
      }
      let end = i;
      while (end < pieces.length && pieces[end]!.level >= level) end++;
      pieces.splice(i, end - i, ...pieces.slice(i, end).reverse());
      i = end;
    }
  }
  return pieces.map(({ seg, level }) => {
    if (seg.marker) return seg;
    const rightToLeft = level % 2 === 1;
    return rightToLeft === fontkitReverses(seg.text) ? seg : { ...seg, text: reversed(seg.text, rightToLeft) };
  });
}
