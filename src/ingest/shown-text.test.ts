import { describe, expect, it } from 'vitest';
import type { CheckRecord, NoteRecord } from '../model/types.js';
import { pathDiagnostics, shownTextDiagnostics } from './shown-text.js';

const note = (over: Partial<NoteRecord>): NoteRecord => ({ type: 'note', format: 'note', file: 'notes/n.md', kind: 'practice', title: 'T', author: 'A', date: '2026-11-01', body: '', rawControls: [], controls: [], ...over });

describe('what the PDFs will show as markers, reported where it is', () => {
  it('names the field, the file line and the characters', () => {
    const found = shownTextDiagnostics(note({ title: 'x\u202Ey', titleLine: 2, body: 'fine\nน้ำ 𝄞\u{F0000}', bodyLine: 7 }));
    expect(found.map((d) => [d.code, d.place?.line, d.message])).toEqual([
      ['text/invisible-character', 2, 'title holds U+202E (right-to-left override): shown in the PDFs as markers such as ⟨U+202E⟩, not obeyed'],
      ['text/unrenderable', 8, expect.stringMatching(/^body holds U\+0E33 \(Thai\), U\+1D11E, U\+F0000, which no embedded font draws correctly there/)],
    ]);
  });

  it('says nothing about text drawn as written, and places check fields at the record', () => {
    expect(shownTextDiagnostics(note({ title: 'Zoë — 陈伟', body: 'नमस्ते مرحبا שלום 👍' }))).toEqual([]);
    const check = { type: 'check', format: 'native', file: 'c.jsonl', place: { line: 4 }, check: 'ok', status: 'pass', message: 'a\u200Bb', rawControls: [], controls: [] } as unknown as CheckRecord;
    expect(shownTextDiagnostics(check).map((d) => [d.file, d.place?.line, d.code])).toEqual([['c.jsonl', 4, 'text/invisible-character']]);
    expect(pathDiagnostics('notes/report\u202Efdp.md').map((d) => d.message)).toEqual(['the file name holds U+202E (right-to-left override): shown in the PDFs as markers such as ⟨U+202E⟩, not obeyed']);
  });
});
