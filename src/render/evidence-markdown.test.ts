import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { excerptLines, safeNoteLines } from './evidence-markdown.js';

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
