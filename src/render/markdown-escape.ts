/**
 * Evidence text is data, never markup. Every ASCII punctuation character is backslash-escaped
 * (CommonMark renders an escaped punctuation character literally) and line structure is flattened,
 * so no note, check message or file name can become a heading, list, link, table cell or HTML.
 */
export function escapeMarkdownInline(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** Deep-escape every string of a view model, so templates cannot emit evidence as markup by mistake. */
export function escapeViewModel<T>(value: T): T {
  if (typeof value === 'string') return escapeMarkdownInline(value) as T;
  if (Array.isArray(value)) return value.map((v) => escapeViewModel(v)) as T;
  if (value && typeof value === 'object') {
    if (value instanceof Paragraphs) return value.paragraphs.map(escapeMarkdownInline) as T;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeViewModel(v)])) as T;
  }
  return value;
}

/** Marks multi-paragraph text in a raw view model; escaping turns it into an array of escaped paragraphs. */
export class Paragraphs {
  readonly paragraphs: string[];
  constructor(text: string) {
    this.paragraphs = text.split(/\r?\n\s*\r?\n/).map((p) => p.trim()).filter(Boolean);
  }
}
