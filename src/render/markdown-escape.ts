/**
 * Evidence text is data, never markup. Every ASCII punctuation character is backslash-escaped
 * (CommonMark renders an escaped punctuation character literally) and line structure is flattened,
 * so no note, check message or file name can become a heading, list, link, table cell or HTML.
 */
export function escapeMarkdownInline(text: string): string {
  return escapeMarkdownText(text).trim();
}

/** The same, keeping leading and trailing spaces: for a piece of text between markup legible emits. */
export function escapeMarkdownText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(COLLAPSIBLE_SPACE, ' ')
    .replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** Runs of whitespace, which become one space; U+FEFF is not one of them here: it is shown as a marker in the PDFs. */
export const COLLAPSIBLE_SPACE = /[^\S\uFEFF]+/g;

/** Deep-escape every string of a view model, so templates cannot emit evidence as markup by mistake. */
export function escapeViewModel<T>(value: T): T {
  if (typeof value === 'string') return escapeMarkdownInline(value) as T;
  if (Array.isArray(value)) return value.map((v) => escapeViewModel(v)) as T;
  if (value && typeof value === 'object') {
    if (value instanceof SafeMarkdownLines) return [...value.lines] as T;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeViewModel(v)])) as T;
  }
  return value;
}

/** Markdown lines built by legible from escaped pieces (see evidence-markdown.ts): passed through as they are. */
export class SafeMarkdownLines {
  constructor(readonly lines: readonly string[]) {}
}
