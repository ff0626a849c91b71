import { describe, expect, it } from 'vitest';
import { diagnostic } from '../diagnostics/codes.js';
import { annotations, byImportance, escapeData, escapeProperty, stepSummary } from './github.js';

describe('GitHub workflow commands', () => {
  it('escape messages and properties as the runner unescapes them', () => {
    expect(escapeData('100% sure\r\nline two')).toBe('100%25 sure%0D%0Aline two');
    expect(escapeProperty('checks/a,b:c%.json')).toBe('checks/a%2Cb%3Ac%25.json');
  });

  it('annotate each diagnostic on its file from the repository root, titled with its code', () => {
    const lines = annotations(
      [
        diagnostic('note/front-matter-invalid', 'front matter date: expected a calendar date\n(YYYY-MM-DD)', { file: 'notes/a,b.md', place: { line: 4, column: 7 } }),
        diagnostic('control/unknown', 'A.8.35: no such control', { file: 'checks/iam.json', place: { pointer: '/results/4' }, hint: 'see the catalog' }),
        diagnostic('config/invalid', '--as-of 2026-13-01: not a calendar date'),
      ],
      { base: '/repo/compliance/evidence', workspace: '/repo' },
    );
    expect(lines).toEqual([
      '::error file=compliance/evidence/notes/a%2Cb.md,line=4,col=7,title=note/front-matter-invalid::front matter date: expected a calendar date%0A(YYYY-MM-DD)',
      '::error file=compliance/evidence/checks/iam.json,title=control/unknown::at #/results/4: A.8.35: no such control%0Ahint: see the catalog',
      '::error title=config/invalid::--as-of 2026-13-01: not a calendar date',
    ]);
  });

  it('put the most important first: errors of rejected inputs, other errors, warnings, then notes', () => {
    const info = diagnostic('format/no-findings', 'no findings', { file: 'scans/empty.sarif' });
    const warning = diagnostic('evidence/future-dated', 'dated after the as-of date', { file: 'notes/later.md' });
    const error = diagnostic('control/unknown', 'A.8.35: no such control', { file: 'checks/iam.json' });
    const rejected = diagnostic('format/unknown', 'not a recognised evidence format', { file: 'checks/notes.txt' });
    const sorted = byImportance([info, warning, error, warning, rejected], new Set(['checks/notes.txt']));
    expect(sorted).toEqual([rejected, error, warning, warning, info]);
    expect(annotations([info, warning], { base: '/r', workspace: '/r' }).map((l) => l.slice(0, l.indexOf(' ')))).toEqual(['::warning', '::notice']);
  });

  it('summarize a build in Markdown, escaping what comes from the evidence', () => {
    const markdown = stepSummary({
      title: 'legible build: evaluated as of 2026-11-23',
      frameworks: [{ name: 'ISO/IEC 27001:2022', counts: [{ label: 'Effective', count: 4 }, { label: 'Deficient', count: 3 }] }],
      inputs: { accepted: 10, records: 17, rejected: [{ path: 'checks/<b>|x.json', reason: 'not a recognised evidence format' }] },
      diagnostics: { errors: 3, warnings: 0 },
      outputs: ['out/manifest.json'],
    });
    expect(markdown).toBe(
      [
        '## legible build: evaluated as of 2026-11-23',
        '',
        '**Inputs:** 10 accepted (17 records), 1 rejected. **Diagnostics:** 3 errors, 0 warnings.',
        '',
        '| framework | Effective | Deficient |',
        '| --- | ---: | ---: |',
        '| ISO/IEC 27001:2022 | 4 | 3 |',
        '',
        '### Rejected inputs',
        '',
        '- checks\\/\\<b\\>\\|x\\.json: not a recognised evidence format',
        '',
        '**Wrote:** out\\/manifest\\.json',
        '',
      ].join('\n'),
    );
  });
});
