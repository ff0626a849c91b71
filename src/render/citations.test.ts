import { describe, expect, it } from 'vitest';
import type { InputSummary } from '../model/types.js';
import { citeFiles, folderOf, groupFiles } from './citations.js';

const input = (path: string, format: string): InputSummary => ({ file: { path, absolutePath: `/e/${path}`, sha256: 'a'.repeat(64), bytes: 1 }, format, accepted: true, records: 2, diagnostics: [] });

describe('citing many files', () => {
  const files = [
    ...Array.from({ length: 30 }, (_, i) => `scans/sarif/repo-${i}/run.sarif`),
    ...Array.from({ length: 5 }, (_, i) => `checks/audit/run-${i}.json`),
    'notes/practice/review.md',
  ];
  const inputs = new Map(files.map((f) => [f, input(f, f.endsWith('.md') ? 'note' : f.endsWith('.sarif') ? 'sarif' : 'native-json')]));
  const newest = new Map(files.map((f, i) => [f, `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00.000Z`]));

  it('names the notes quoted and the newest others, and counts the rest by folder and format', () => {
    const { named, counted } = citeFiles(files, inputs, { always: new Set(['notes/practice/review.md']), newest, limit: 4 });
    expect(named).toHaveLength(5);
    expect(named).toContain('notes/practice/review.md');
    // The newest four check files.
    expect(named.filter((f) => f !== 'notes/practice/review.md').map((f) => newest.get(f)!.slice(0, 10)).sort()).toEqual(['2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28']);
    expect(counted.reduce((n, g) => n + g.files, 0)).toBe(files.length - 5);
    expect(counted[0]).toMatchObject({ folder: 'scans/sarif/', format: 'sarif' });
    expect(counted.find((g) => g.format === 'native-json')).toMatchObject({ folder: 'checks/audit/', files: expect.any(Number), newest: expect.stringMatching(/^2026-11-\d\d$/) });
  });

  it('names every file when there are few', () => {
    expect(citeFiles(files.slice(0, 3), inputs)).toEqual({ named: files.slice(0, 3).sort(), counted: [] });
  });

  it('groups by the first two folders, biggest first, records summed', () => {
    expect(folderOf('a.json')).toBe('./');
    expect(folderOf('checks/a.json')).toBe('checks/');
    expect(folderOf('scans/sarif/x/y/z.sarif')).toBe('scans/sarif/');
    expect(folderOf('scans/sarif/z.sarif')).toBe('scans/sarif/');
    expect(groupFiles([{ file: 'a/b/1', format: 'x', records: 2 }, { file: 'a/b/2', format: 'x', records: 3 }, { file: 'c/3', format: 'y' }])).toEqual([
      { folder: 'a/b/', format: 'x', files: 2, records: 5, newest: '' },
      { folder: 'c/', format: 'y', files: 1, records: 0, newest: '' },
    ]);
  });
});
