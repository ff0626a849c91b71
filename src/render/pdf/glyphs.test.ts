import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../util/package-root.js';
import { fontCoverage, splitByCoverage } from './fonts.js';
import { covered, describeCodePoint, markedCharacters, markerFor, withMarkers } from './glyphs.js';

const COVERAGE = join(packageRoot(), 'src', 'render', 'pdf', 'data', 'coverage.json');

describe('the stored coverage table', () => {
  it('is what the embedded fonts cover (UPDATE_COVERAGE=1 rewrites it after a font changes)', () => {
    const ranges = fontCoverage()
      .map(([start, end]) => (start === end ? start.toString(16) : `${start.toString(16)}-${end.toString(16)}`))
      .join(',');
    if (process.env.UPDATE_COVERAGE) writeFileSync(COVERAGE, `${JSON.stringify({ about: 'Code points the embedded fonts have glyphs for (fontCoverage in fonts.ts), hex ranges', ranges })}\n`);
    expect((JSON.parse(readFileSync(COVERAGE, 'utf8')) as { ranges: string }).ranges).toBe(ranges);
  }, 30_000);

  it('answers for what each font holds', () => {
    for (const ch of 'aé—陈नمשก💎→') expect(covered(ch.codePointAt(0)!), ch).toBe(true);
    // Ethiopic, Tibetan and a private-use character: no embedded font has them.
    for (const cp of [0x1200, 0x0f40, 0xe000]) expect(covered(cp), cp.toString(16)).toBe(false);
  });
});

describe('markedCharacters', () => {
  it('leaves plain text and what the fonts draw alone', () => {
    expect(markedCharacters('plain ASCII, tabs\tand\nlines')).toEqual([]);
    expect(markedCharacters('Zoë Ødegård — 陈伟 नमस्ते مرحبا שלום สวัสดี 👍 ❤️')).toEqual([]);
  });

  it('marks bidirectional controls, zero-width and other invisible characters', () => {
    const text = 'a\u202Eb\u200Bc\u200Dd\u2066e\uFEFFf\u{E0041}g\u0085h';
    expect(markedCharacters(text).map((m) => [m.codePoint, m.reason])).toEqual([
      [0x202e, 'invisible'],
      [0x200b, 'invisible'],
      [0x200d, 'invisible'],
      [0x2066, 'invisible'],
      [0xfeff, 'invisible'],
      [0xe0041, 'invisible'],
      [0x85, 'invisible'],
    ]);
    expect(withMarkers('invoice\u202Efdp.exe')).toBe('invoice⟨U+202E⟩fdp.exe');
  });

  it('lets one variation selector pick a form, and marks a run of them (hidden data)', () => {
    expect(markedCharacters('❤\uFE0F')).toEqual([]);
    expect(markedCharacters('❤\uFE0F\uFE0E\uFE01').map((m) => m.index)).toEqual([2, 3]);
    expect(markedCharacters('\uFE0Fx').map((m) => m.index)).toEqual([0]);
  });

  it('marks what no font has, with its place in the text', () => {
    expect(markedCharacters('ok ሀ 😀\u{F0000}')).toEqual([
      { index: 3, length: 1, codePoint: 0x1200, reason: 'unrenderable' },
      { index: 7, length: 2, codePoint: 0xf0000, reason: 'unrenderable' },
    ]);
    expect(markerFor(0xe49)).toBe('⟨U+0E49⟩');
  });

  it('marks the marks fontkit places wrongly where they stand, and only those', () => {
    const marked = (text: string) => markedCharacters(text).map((m) => m.codePoint.toString(16));
    expect(marked('น้ำ นำ ที่')).toEqual(['e33']); // SARA AM after a tone mark
    expect(marked('ปุ่ ปุ ป่')).toEqual(['e48']); // a tone mark after a below vowel on a tall consonant
    expect(marked('ฬุ่')).toEqual(['e48']); // on which fontkit throws
    expect(marked('فِ بِ')).toEqual(['650']);
    expect(marked('\u05D1\u05BC \u05D1\u05BC\u05B8 \u05D1\u05B8 \u05E9\u05C1\u05BC\u05B8')).toEqual([]); // dagesh or shin dot, then a vowel
    expect(marked('\u05D1\u05B8\u05BC')).toEqual(['5bc']); // a vowel, then dagesh
    expect(marked('👍🏽 🏽')).toEqual(['1f3fd']);
  });

  it('names characters for diagnostics', () => {
    expect(describeCodePoint(0x202e)).toBe('U+202E (right-to-left override)');
    expect(describeCodePoint(0x0e33)).toBe('U+0E33 (Thai)');
    expect(describeCodePoint(0x1f600)).toBe('U+1F600 (emoji)');
    expect(describeCodePoint(0xe000)).toBe('U+E000');
  });
});

/**
 * test/harfbuzz-shapes.tsv holds how HarfBuzz 6.0.0 shapes a few thousand clusters of each
 * script in the regular Noto fonts (hb-shape --text-file on the regular fonts made it): every cluster with no
 * marked character must come out of fontkit the same, within 2 % of an em.
 */
describe('what is drawn is drawn as HarfBuzz draws it', () => {
  const rows = readFileSync(join(packageRoot(), 'test', 'harfbuzz-shapes.tsv'), 'utf8')
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [script, text, glyphs] = line.split('\t') as [string, string, string];
      return { script, text, glyphs: glyphs.split(' ').map((g) => g.split(',').map(Number) as [number, number, number, number]) };
    });
  for (const script of ['devanagari', 'arabic', 'hebrew', 'thai']) {
    it(script, () => {
      const own = rows.filter((r) => r.script === script);
      const face = splitByCoverage(own[0]!.text, { bold: false, italic: false, mono: false })[0]!.face;
      const font = fontkit.openSync(face.path);
      const tolerance = font.unitsPerEm * 0.02;
      let drawn = 0;
      for (const { text, glyphs } of own) {
        if (markedCharacters(text).length) continue;
        drawn++;
        const run = font.layout(text);
        const ours = run.glyphs.map((g, i) => [g.id, run.positions[i]!.xAdvance, run.positions[i]!.xOffset, run.positions[i]!.yOffset]);
        const same = ours.length === glyphs.length && ours.every((g, i) => g[0] === glyphs[i]![0] && g.slice(1).every((v, k) => Math.abs(v! - glyphs[i]![k + 1]!) <= tolerance));
        expect(same ? 'same' : { text, fontkit: ours, harfbuzz: glyphs }).toBe('same');
      }
      // Most of each script is drawn; the rules leave out the few contexts fontkit gets wrong.
      expect(drawn / own.length).toBeGreaterThan(0.7);
    });
  }
});
