import MarkdownIt from 'markdown-it';
import { COLLAPSIBLE_SPACE, escapeMarkdownInline, escapeMarkdownText } from './markdown-escape.js';

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
  return out.replace(COLLAPSIBLE_SPACE, ' ').trim();
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

/** How much of a note is quoted, in a control section's excerpt source and in the appendix: about three pages. */
export const QUOTE_LIMIT = { chars: 12_000, lines: 160 };

/** The part of a note that is quoted, and how much of it is not. */
export interface QuotedNote {
  text: string;
  omitted?: { bytes: number; lines: number; totalBytes: number; totalLines: number };
}

/**
 * The first whole lines of a note within `limit` (a first line longer than that is cut inside),
 * so that a pasted 10 MB change log costs a few pages, not thousands, and no more parsing than that.
 */
export function quotedPart(body: string, limit = QUOTE_LIMIT): QuotedNote {
  let end = 0;
  let lines = 0;
  while (end < body.length && lines < limit.lines) {
    const next = body.indexOf('\n', end);
    const lineEnd = next < 0 ? body.length : next + 1;
    if (lineEnd > limit.chars) {
      // Cut inside a first line that is too long, never inside a surrogate pair.
      if (lines === 0) end = limit.chars - (/[\uD800-\uDBFF]/.test(body.charAt(limit.chars - 1)) ? 1 : 0);
      break;
    }
    end = lineEnd;
    lines++;
  }
  if (end >= body.length) return { text: body };
  let totalLines = lines + 1;
  for (let i = body.indexOf('\n', end); i >= 0; i = body.indexOf('\n', i + 1)) totalLines++;
  const totalBytes = Buffer.byteLength(body);
  const text = body.slice(0, end);
  return { text, omitted: { bytes: totalBytes - Buffer.byteLength(text), lines: totalLines - lines, totalBytes, totalLines } };
}

const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+$)/g, ',');
const size = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : bytes >= 1e3 ? `${(bytes / 1e3).toFixed(1)} kB` : `${bytes} bytes`);

/**
 * The line that ends a note quoted in part: what is left out and where the whole is, as Markdown safe
 * in a quote. `whole`: say the size of the whole note (a short excerpt) rather than of what is left out.
 */
export function omissionLine(omitted: NonNullable<QuotedNote['omitted']>, file: string, sha256: string, whole = false): string {
  const amount = whole
    ? `the note is ${size(omitted.totalBytes)} (${thousands(omitted.totalLines)} lines)`
    : `${size(omitted.bytes)} (${thousands(omitted.lines)} lines) not quoted`;
  return `… ${escapeMarkdownText(amount)}; the full note is ${escapeMarkdownInline(file)}, SHA\\-256 ${sha256}`;
}
