/**
 * Evidence text the PDFs cannot show as it is: invisible characters (bidirectional controls,
 * zero-width characters, …) and characters no embedded font draws correctly are drawn as markers
 * such as `⟨U+202E⟩` (src/render/pdf/glyphs.ts decides which, for both). Each is reported here, when
 * the file is read, with the file and line, so that the manifest and the summary say what the PDFs
 * show. The XLSX outputs and manifest.json keep the text as it was.
 */
import { diagnostic } from '../diagnostics/codes.js';
import type { Diagnostic, EvidenceRecord } from '../model/types.js';
import { describeCodePoint, markedCharacters, markerFor, type MarkReason } from '../render/pdf/glyphs.js';

const NOTE_FIELDS = ['title', 'author', 'body'] as const;
const CHECK_FIELDS = ['check', 'title', 'message', 'resource', 'location'] as const;
/** Characters named in one diagnostic; the others are counted. */
const NAMED = 4;

const consequence: Record<MarkReason, string> = {
  invisible: 'shown in the PDFs as markers such as {marker}, not obeyed',
  unrenderable: 'which no embedded font draws correctly there; shown in the PDFs as markers such as {marker}',
};

/** One diagnostic per line of a field and kind of marker, naming the characters. */
function diagnosticsFor(text: string, describe: { file: string; field: string; line?: (fieldLine: number) => number | undefined }): Diagnostic[] {
  const marked = markedCharacters(text);
  if (!marked.length) return [];
  const groups = new Map<string, { reason: MarkReason; fieldLine: number; codePoints: number[] }>();
  let fieldLine = 1;
  let scanned = 0;
  for (const m of marked) {
    for (let i = text.indexOf('\n', scanned); i >= 0 && i < m.index; i = text.indexOf('\n', i + 1)) fieldLine++;
    scanned = m.index;
    const key = `${fieldLine}\u0000${m.reason}`;
    const group = groups.get(key) ?? groups.set(key, { reason: m.reason, fieldLine, codePoints: [] }).get(key)!;
    if (!group.codePoints.includes(m.codePoint)) group.codePoints.push(m.codePoint);
  }
  return [...groups.values()].map(({ reason, fieldLine, codePoints }) => {
    const line = describe.line?.(fieldLine);
    const where = line === undefined && fieldLine > 1 ? `${describe.field} (line ${fieldLine} of it)` : describe.field;
    const named = codePoints.slice(0, NAMED).map(describeCodePoint).join(', ') + (codePoints.length > NAMED ? ` and ${codePoints.length - NAMED} more` : '');
    const message = `${where} holds ${named}${reason === 'invisible' ? ':' : ','} ${consequence[reason].replace('{marker}', markerFor(codePoints[0]!))}`;
    return diagnostic(reason === 'invisible' ? 'text/invisible-character' : 'text/unrenderable', message, { file: describe.file, ...(line !== undefined ? { place: { line } } : {}) });
  });
}

/** Diagnostics for the text fields of a record (after secrets were cut out: the text that reaches the outputs). */
export function shownTextDiagnostics(record: EvidenceRecord): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (record.type === 'note') {
    const lines = { title: record.titleLine, author: record.authorLine };
    for (const field of NOTE_FIELDS) {
      const line = field === 'body' ? (n: number) => (record.bodyLine !== undefined ? record.bodyLine + n - 1 : undefined) : () => lines[field];
      out.push(...diagnosticsFor(record[field], { file: record.file, field, line }));
    }
  } else {
    for (const field of CHECK_FIELDS) {
      const text = record[field];
      if (text) out.push(...diagnosticsFor(text, { file: record.file, field, line: () => record.place?.line }));
    }
  }
  return out;
}

/** Diagnostics for an evidence file's own path, which the PDFs cite. */
export const pathDiagnostics = (path: string): Diagnostic[] => diagnosticsFor(path, { file: path, field: 'the file name' });
