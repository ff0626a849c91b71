/**
 * Minimal types for fontkit 2.x (the package ships none). Only what
 * src/render/pdf uses is declared; underscore members are fontkit internals
 * that the WOFF2 subset fix in src/render/pdf/fonts.ts relies on.
 */
declare module 'fontkit' {
  export interface GlyphPoint {
    x: number;
    y: number;
    onCurve: boolean;
    endContour: boolean;
  }

  export interface Glyph {
    id: number;
    advanceWidth: number;
    codePoints: number[];
    /** Decoded `glyf` record, or null for an empty glyph (e.g. a space). */
    _decode(): { numberOfContours: number } | null;
    /** Contours with composite glyphs already resolved. */
    _getContours(): GlyphPoint[][];
    _getMetrics(): { leftBearing: number; advanceWidth: number };
  }

  export interface MaxpTable {
    maxPoints: number;
    maxContours: number;
    [key: string]: unknown;
  }

  export interface Font {
    postscriptName: string;
    familyName: string;
    unitsPerEm: number;
    ascent: number;
    descent: number;
    lineGap: number;
    numGlyphs: number;
    /** Every code point the font maps to a glyph. */
    characterSet: number[];
    maxp: MaxpTable;
    hasGlyphForCodePoint(codePoint: number): boolean;
    glyphForCodePoint(codePoint: number): Glyph;
    getGlyph(glyphId: number): Glyph;
    /** Shapes text with the default features (kerning, ligatures). */
    layout(text: string): { advanceWidth: number; glyphs: Glyph[]; positions: { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number }[] };
  }

  export function openSync(filename: string, postscriptName?: string): Font;
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
