import { describe, expect, it } from 'vitest';
import { collectedFrom } from '../../test/helpers/source.js';
import { parseFile } from './parse-file.js';

const note = (frontMatter: string, body = 'Body text.') => `---\n${frontMatter}\n---\n${body}\n`;

describe('note parser', () => {
  it('reads a practice note with its controls kept as written', async () => {
    const parsed = await parseFile(
      collectedFrom('notes/review.md', note('title: Access review\nauthor: Zoë Ødegård\ndate: 2026-10-02\ncontrols: [A.5.18, 9.10, CC6.2]')),
    );
    expect(parsed.accepted).toBe(true);
    expect(parsed.format).toBe('note');
    const [record] = parsed.records;
    expect(record).toMatchObject({ type: 'note', kind: 'practice', author: 'Zoë Ødegård', date: '2026-10-02', body: 'Body text.' });
    // failsafe YAML: 9.10 stays "9.10", not the number 9.1
    expect(record?.rawControls).toEqual(['A.5.18', '9.10', 'CC6.2']);
  });

  it('reads policy cadence and exception expiry', async () => {
    const policy = await parseFile(collectedFrom('p.md', note('title: P\nauthor: A\ndate: 2026-01-01\ncontrols: [A.6.3]\nkind: policy\ncadence: 90d')));
    expect(policy.records[0]).toMatchObject({ kind: 'policy', cadenceDays: 90 });
    const exception = await parseFile(
      collectedFrom('e.md', note('title: E\nauthor: A\ndate: 2026-01-01\ncontrols: A.8.8; A.8.9\nkind: exception\nexpires: 2027-01-31')),
    );
    expect(exception.records[0]).toMatchObject({ kind: 'exception', expires: '2027-01-31', rawControls: ['A.8.8', 'A.8.9'] });
  });

  it.each([
    ['no front matter', '# Just markdown\n', 'note/front-matter-missing', 1],
    ['unclosed YAML', note('title: [unclosed\nauthor: A'), 'note/front-matter-syntax', 3],
    ['a missing author', note('title: T\ndate: 2026-01-01\ncontrols: [A.5.1]'), 'note/front-matter-invalid', undefined],
    ['an impossible date', note('title: T\nauthor: A\ndate: 2026-02-30\ncontrols: [A.5.1]'), 'note/front-matter-invalid', 4],
    ['an unknown kind', note('title: T\nauthor: A\ndate: 2026-01-01\ncontrols: [A.5.1]\nkind: memo'), 'note/front-matter-invalid', 6],
    ['an exception without expiry', note('title: T\nauthor: A\ndate: 2026-01-01\ncontrols: [A.5.1]\nkind: exception'), 'note/front-matter-invalid', undefined],
  ])('rejects a note with %s, naming the file and line', async (_case, text, code, line) => {
    const parsed = await parseFile(collectedFrom('notes/bad.md', text));
    expect(parsed.accepted).toBe(false);
    expect(parsed.reason).toBeTruthy();
    const [d] = parsed.diagnostics;
    expect(d).toMatchObject({ code, file: 'notes/bad.md', severity: 'error' });
    if (line !== undefined) expect(d?.place?.line).toBe(line);
  });

  it('warns when a note names no controls', async () => {
    const parsed = await parseFile(collectedFrom('n.md', note('title: T\nauthor: A\ndate: 2026-01-01\ncontrols: []')));
    expect(parsed.accepted).toBe(true);
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['note/no-controls']);
  });
});
