import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { escapeMarkdownInline, escapeViewModel, SafeMarkdownLines } from './markdown-escape.js';

const md = new MarkdownIt({ html: false, linkify: false });
const inlineTokens = (text: string) => md.parseInline(text, {})[0]?.children ?? [];

describe('escaping evidence text for Markdown', () => {
  it.each([
    '{{organization}}',
    '<script>alert(1)</script>',
    '[click here](javascript:alert(1))',
    '**bold** _em_ `code` ~~strike~~',
    '# heading',
    '- item',
    '1. item',
    '| a | b |',
    '![img](x.png)',
    '<https://example.com>',
    '&amp; &#x41;',
    'back\\slash',
  ])('%s renders back as the same literal text', (text) => {
    const tokens = inlineTokens(escapeMarkdownInline(text));
    expect(tokens.every((t) => t.type === 'text')).toBe(true);
    expect(tokens.map((t) => t.content).join('')).toBe(text);
  });

  it('flattens line structure so text cannot open blocks', () => {
    const escaped = escapeMarkdownInline('line one\n# not a heading\n\n> not a quote');
    expect(escaped).not.toContain('\n');
    expect(md.parse(escaped, {}).map((t) => t.type)).toEqual(['paragraph_open', 'inline', 'paragraph_close']);
  });

  it('escapes every string in a view model, passing pre-built safe lines through', () => {
    const view = escapeViewModel({ a: '*x*', n: 3, list: ['[y]'], body: new SafeMarkdownLines(['**bold**']) });
    expect(view).toEqual({ a: '\\*x\\*', n: 3, list: ['\\[y\\]'], body: ['**bold**'] });
  });
});
