import MarkdownIt from 'markdown-it';
import { escapeMarkdownInline, escapeMarkdownText } from './markdown-escape.js';

/**
 * Practitioners write their notes in Markdown. Their structure (paragraphs, headings, lists, tables,
 * emphasis) is kept for readability, but rebuilt from tokens with every piece of text escaped, so
 * nothing they wrote can become a link, image, HTML or template code: links, images and HTML are
 * not even parsed, and show as the literal text that was written.
 */
const parser = new MarkdownIt('default', { html: false, linkify: false, typographer: false }).disable([
  'link',
  'image',
  'autolink',
  'html_inline',
  'html_block',
  'reference',
]);

type Token = ReturnType<typeof parser.parse>[number];

function inline(token: Token | undefined): string {
  let out = '';
  for (const child of token?.children ?? []) {
    switch (child.type) {
      case 'strong_open':
      case 'strong_close':
        out += '**';
        break;
      case 'em_open':
      case 'em_close':
        out += '*';
        break;
      case 'softbreak':
      case 'hardbreak':
        out += ' ';
        break;
      default:
        out += escapeMarkdownText(child.content);
    }
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** The note as Markdown lines that are safe to place after a `> ` quote marker. */
export function safeNoteLines(body: string): string[] {
  const tokens = parser.parse(body, {});
  const lines: string[] = [];
  const lists: { ordered: boolean; next: number }[] = [];
  let row: string[] | undefined;
  const block = (text: string) => {
    if (!text) return;
    if (lists.length) {
      const list = lists[lists.length - 1]!;
      const marker = list.ordered ? `${list.next++}\\.` : '•';
      lines.push(`${'\u2003'.repeat(lists.length - 1)}${marker} ${text}`, '');
    } else {
      lines.push(text, '');
    }
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    switch (t.type) {
      case 'heading_open':
        block(`**${inline(tokens[i + 1])}**`);
        i += 2;
        break;
      case 'paragraph_open':
        if (!row) block(inline(tokens[i + 1]));
        i += 2;
        break;
      case 'bullet_list_open':
      case 'ordered_list_open':
        lists.push({ ordered: t.type === 'ordered_list_open', next: Number(t.attrGet('start') ?? 1) });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        break;
      case 'tr_open':
        row = [];
        break;
      case 'th_open':
      case 'td_open':
        row?.push(inline(tokens[i + 1]));
        i += 2;
        break;
      case 'tr_close':
        block((row ?? []).join(' · '));
        row = undefined;
        break;
      case 'fence':
      case 'code_block':
        for (const line of t.content.replace(/\n$/, '').split('\n')) block(escapeMarkdownInline(line));
        break;
      case 'hr':
        block('—');
        break;
      default:
        break;
    }
  }
  while (lines.at(-1) === '') lines.pop();
  return lines;
}

/** At most about `limit` characters of whole lines, with an ellipsis line when cut. */
export function excerptLines(lines: string[], limit: number): string[] {
  const kept: string[] = [];
  let length = 0;
  for (const line of lines) {
    if (kept.length && length + line.length > limit) {
      while (kept.at(-1) === '') kept.pop();
      return [...kept, '', '…'];
    }
    kept.push(line);
    length += line.length;
  }
  return kept;
}
