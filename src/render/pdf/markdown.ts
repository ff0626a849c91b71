/**
 * Markdown → a small block tree for the PDF layout.
 *
 * markdown-it runs with raw HTML, links, images, autolinks and link
 * reference definitions switched off: nothing in the input can become a link,
 * an image or markup, and such syntax stays visible as literal text.
 */
import markdownIt, { type MarkdownIt, type Token } from 'markdown-it';
import { COLLAPSIBLE_SPACE } from '../markdown-escape.js';
import { type ChartParse, parseChartSpec } from './chart-spec.js';

export interface Run {
  /** Literal text; '\n' marks a hard line break. */
  text: string;
  bold: boolean;
  italic: boolean;
  code: boolean;
  strike: boolean;
}

export type Align = 'left' | 'center' | 'right';

export type Block =
  | { type: 'heading'; level: number; runs: Run[] }
  | { type: 'paragraph'; runs: Run[]; tight: boolean }
  | { type: 'list'; ordered: boolean; start: number; tight: boolean; items: Block[][] }
  | { type: 'blockquote'; children: Block[] }
  | { type: 'code'; text: string }
  /** A ```chart fence: a validated spec, or the reason it cannot be drawn. */
  | { type: 'chart'; chart: ChartParse }
  | { type: 'hr' }
  | { type: 'table'; align: Align[]; header: Run[][]; rows: Run[][][] };

let parser: MarkdownIt | undefined;

function markdownParser(): MarkdownIt {
  if (!parser) {
    parser = markdownIt({ html: false, linkify: false, typographer: false });
    parser.disable(['link', 'image', 'autolink', 'html_inline', 'html_block', 'reference']);
  }
  return parser;
}

export function parseMarkdown(markdown: string): Block[] {
  const tokens = markdownParser().parse(markdown, {});
  const state = { i: 0 };
  return parseBlocks(tokens, state, null);
}

function parseBlocks(tokens: Token[], state: { i: number }, close: string | null): Block[] {
  const blocks: Block[] = [];
  while (state.i < tokens.length) {
    const tok = tokens[state.i];
    if (!tok) break;
    if (close !== null && tok.type === close) {
      state.i++;
      return blocks;
    }
    switch (tok.type) {
      case 'heading_open': {
        const inline = tokens[state.i + 1];
        blocks.push({ type: 'heading', level: Number(tok.tag.slice(1)) || 1, runs: inlineRuns(inline) });
        state.i += 3;
        break;
      }
      case 'paragraph_open': {
        const inline = tokens[state.i + 1];
        blocks.push({ type: 'paragraph', runs: inlineRuns(inline), tight: tok.hidden });
        state.i += 3;
        break;
      }
      case 'bullet_list_open':
      case 'ordered_list_open': {
        const ordered = tok.type === 'ordered_list_open';
        const closeType = ordered ? 'ordered_list_close' : 'bullet_list_close';
        const start = Number(tok.attrGet('start') ?? 1);
        state.i++;
        const items: Block[][] = [];
        let tight = true;
        while (state.i < tokens.length && tokens[state.i]?.type !== closeType) {
          if (tokens[state.i]?.type === 'list_item_open') {
            state.i++;
            const item = parseBlocks(tokens, state, 'list_item_close');
            if (item.some((b) => b.type === 'paragraph' && !b.tight)) tight = false;
            items.push(item);
          } else {
            state.i++;
          }
        }
        state.i++;
        blocks.push({ type: 'list', ordered, start: Number.isFinite(start) ? start : 1, tight, items });
        break;
      }
      case 'blockquote_open': {
        state.i++;
        blocks.push({ type: 'blockquote', children: parseBlocks(tokens, state, 'blockquote_close') });
        break;
      }
      case 'fence':
        if (isChartFence(tok.info)) {
          blocks.push({ type: 'chart', chart: parseChartSpec(tok.content) });
          state.i++;
          break;
        }
        blocks.push({ type: 'code', text: tok.content.replace(/\n$/, '') });
        state.i++;
        break;
      case 'code_block': {
        blocks.push({ type: 'code', text: tok.content.replace(/\n$/, '') });
        state.i++;
        break;
      }
      case 'hr':
        blocks.push({ type: 'hr' });
        state.i++;
        break;
      case 'table_open':
        blocks.push(parseTable(tokens, state));
        break;
      default: {
        // Anything unexpected that carries text is shown literally.
        if (tok.content && tok.nesting === 0) {
          blocks.push({ type: 'paragraph', runs: [plain(tok.content)], tight: false });
        }
        state.i++;
      }
    }
  }
  return blocks;
}

/** The fence's language (first word of its info string) is exactly `chart`. */
function isChartFence(info: string): boolean {
  return info.trim().split(/\s+/)[0] === 'chart';
}

function parseTable(tokens: Token[], state: { i: number }): Block {
  const align: Align[] = [];
  const header: Run[][] = [];
  const rows: Run[][][] = [];
  let row: Run[][] | null = null;
  let inHead = false;
  state.i++; // table_open
  while (state.i < tokens.length) {
    const tok = tokens[state.i];
    if (!tok || tok.type === 'table_close') break;
    switch (tok.type) {
      case 'thead_open':
        inHead = true;
        break;
      case 'thead_close':
        inHead = false;
        break;
      case 'tr_open':
        row = [];
        break;
      case 'tr_close':
        if (row) {
          if (inHead) header.push(...row);
          else rows.push(row);
        }
        row = null;
        break;
      case 'th_open':
      case 'td_open': {
        const style = String(tok.attrGet('style') ?? '');
        const m = /text-align:\s*(left|center|right)/.exec(style);
        const col = row?.length ?? 0;
        if (inHead) align[col] = (m?.[1] as Align | undefined) ?? 'left';
        const inline = tokens[state.i + 1];
        row?.push(inline?.type === 'inline' ? inlineRuns(inline) : []);
        break;
      }
      default:
        break;
    }
    state.i++;
  }
  state.i++; // table_close
  const columns = Math.max(header.length, ...rows.map((r) => r.length));
  for (let c = 0; c < columns; c++) align[c] ??= 'left';
  return { type: 'table', align, header, rows };
}

function plain(text: string): Run {
  return { text, bold: false, italic: false, code: false, strike: false };
}

function inlineRuns(inline: Token | undefined): Run[] {
  const runs: Run[] = [];
  if (!inline) return runs;
  let bold = 0;
  let italic = 0;
  let strike = 0;
  const push = (text: string, code = false): void => {
    if (text === '') return;
    const run: Run = { text, bold: bold > 0, italic: italic > 0, code, strike: strike > 0 };
    const last = runs[runs.length - 1];
    if (
      last &&
      !code &&
      !last.code &&
      last.bold === run.bold &&
      last.italic === run.italic &&
      last.strike === run.strike
    ) {
      last.text += text;
    } else {
      runs.push(run);
    }
  };
  for (const tok of inline.children ?? []) {
    switch (tok.type) {
      case 'text':
      case 'text_special':
        push(tok.content);
        break;
      case 'code_inline':
        push(tok.content, true);
        break;
      case 'softbreak':
        push(' ');
        break;
      case 'hardbreak':
        push('\n');
        break;
      case 'strong_open':
        bold++;
        break;
      case 'strong_close':
        bold--;
        break;
      case 'em_open':
        italic++;
        break;
      case 'em_close':
        italic--;
        break;
      case 's_open':
        strike++;
        break;
      case 's_close':
        strike--;
        break;
      default:
        // Disabled rules produce no other tokens; keep any text regardless.
        push(tok.content);
    }
  }
  return runs;
}

/** Plain text of inline runs (outline titles). */
export function runsText(runs: readonly Run[]): string {
  return runs
    .map((r) => r.text)
    .join('')
    .replace(COLLAPSIBLE_SPACE, ' ')
    .trim();
}
