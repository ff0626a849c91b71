import type { Diagnostic, Place, Severity } from '../model/types.js';

/**
 * Every diagnostic code legible emits, in one sorted catalogue. Codes never change meaning;
 * each has one factory so messages stay consistent across stages.
 */
export const codes = {
  'collect/outside-folder': 'error',
  'collect/too-large': 'error',
  'collect/unreadable': 'error',
  'config/ambiguous': 'error',
  'config/invalid': 'error',
  'config/unreadable': 'error',
  'control/unknown': 'error',
  'evidence/future-dated': 'warning',
  'evidence/secret-redacted': 'warning',
  'format/ambiguous': 'warning',
  'format/counts-mismatch': 'warning',
  'format/no-findings': 'info',
  'format/record-skipped': 'error',
  'format/schema': 'error',
  'format/syntax': 'error',
  'format/undated': 'warning',
  'format/unknown': 'error',
  'native/invalid-record': 'error',
  'native/no-records': 'error',
  'native/syntax': 'error',
  'note/front-matter-invalid': 'error',
  'note/front-matter-missing': 'error',
  'note/front-matter-syntax': 'error',
  'note/no-controls': 'warning',
  'parse/crashed': 'error',
  'previous/invalid': 'error',
  'text/invisible-character': 'warning',
  'text/unrenderable': 'warning',
  'xlsx/unsafe': 'error',
} as const satisfies Record<string, Severity>;

export type DiagnosticCode = keyof typeof codes;

export function diagnostic(
  code: DiagnosticCode,
  message: string,
  at: { file?: string; place?: Place; hint?: string } = {},
): Diagnostic {
  const d: Diagnostic = { code, severity: codes[code], message };
  if (at.file !== undefined) d.file = at.file;
  if (at.place !== undefined) d.place = at.place;
  if (at.hint !== undefined) d.hint = at.hint;
  return d;
}

/** "file:line:col" / "file#/pointer" / "file!A1", for terminal output. */
export function formatPlace(d: Diagnostic): string {
  const file = d.file ?? '';
  const p = d.place;
  if (!p) return file;
  if (p.line !== undefined) return `${file}:${p.line}${p.column !== undefined ? `:${p.column}` : ''}`;
  if (p.pointer !== undefined) return `${file}#${p.pointer}`;
  if (p.cell !== undefined) return `${file}!${p.cell}`;
  return file;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = formatPlace(d);
  return `${where ? `${where}: ` : ''}${d.severity} ${d.message} [${d.code}]${d.hint ? `\n  hint: ${d.hint}` : ''}`;
}
