import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { excerptLines, omissionLine, quotedPart, safeNoteLines } from './evidence-markdown.js';

const md = new MarkdownIt({ html: false, linkify: false });
/** Every token type the quoted lines produce when placed in a blockquote, as the templates do. */
const tokenTypes = (lines: string[]) => {
  const types = new Set<string>();
  const walk = (tokens: ReturnType<typeof md.parse>) => {
    for (const t of tokens) {
      types.add(t.type);
      if (t.children) walk(t.children);
    }
  };
  walk(md.parse(lines.map((l) => `> ${l}`).join('\n'), {}));
  return types;
};

describe('practitioner Markdown, rebuilt safely', () => {
  it('keeps paragraphs, headings, lists, tables and emphasis as readable lines', () => {
    const lines = safeNoteLines('## Scanning\n\nImages are **rescanned weekly**.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');
    expect(lines).toEqual(['**Scanning**', '', 'Images are **rescanned weekly**\\.', '', '• one', '', '• two', '', 'a · b', '', '1 · 2']);
  });

  it('never produces links, images, HTML or template code', () => {
    const hostile = '[click here](javascript:alert(1)) <script>alert(1)</script> ![x](http://e/x.png) <https://e.example> {{organization}}\n\n<div>block</div>';
    const lines = safeNoteLines(hostile);
    const types = tokenTypes(lines);
    for (const forbidden of ['link_open', 'image', 'html_inline', 'html_block']) expect(types.has(forbidden)).toBe(false);
    const text = md.renderInline(lines.join(' '));
    expect(text).toContain('[click here](javascript:alert(1))');
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(text).toContain('{{organization}}');
  });

  it('cuts an excerpt at whole lines and marks the cut', () => {
    const lines = ['a'.repeat(50), '', 'b'.repeat(50), '', 'c'.repeat(50)];
    expect(excerptLines(lines, 110)).toEqual(['a'.repeat(50), '', 'b'.repeat(50), '', '…']);
    expect(excerptLines(lines, 1000)).toEqual(lines);
  });
});

describe('a note quoted to a limit', () => {
  it('keeps whole lines within the limit and says what is left out', () => {
    const body = Array.from({ length: 10 }, (_, i) => `line ${i}`).join('\n');
    expect(quotedPart(body, { chars: 1000, lines: 20 })).toEqual({ text: body });
    const cut = quotedPart(body, { chars: 1000, lines: 3 });
    expect(cut.text).toBe('line 0\nline 1\nline 2\n');
    expect(cut.omitted).toEqual({ bytes: Buffer.byteLength(body) - cut.text.length, lines: 7, totalBytes: Buffer.byteLength(body), totalLines: 10 });
    expect(omissionLine(cut.omitted!, 'notes/a_b.md', 'ab12')).toBe('… 48 bytes \\(7 lines\\) not quoted; the full note is notes\\/a\\_b\\.md, SHA\\-256 ab12');
  });

  it('cuts inside a first line longer than the limit, never inside a surrogate pair', () => {
    expect(quotedPart('x'.repeat(50), { chars: 10, lines: 5 }).text).toBe('x'.repeat(10));
    expect(quotedPart(`${'x'.repeat(9)}😀yyy`, { chars: 10, lines: 5 }).text).toBe('x'.repeat(9));
  });
});
