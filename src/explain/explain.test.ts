import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/catalog.js';
import type { EvidenceRecord, InputSummary } from '../model/types.js';
import { checkRecord, iso, noteRecord } from '../../test/helpers/records.js';
import { evaluateRecords } from '../../test/helpers/store.js';
import { explainControls, formatExplanation, shown } from './explain.js';

const catalog = loadCatalog();
const asOf = '2026-11-23';
const freshness = { checksDays: 30, notesDays: 365 };

const records: EvidenceRecord[] = [
  checkRecord({ file: 'checks/iam.json', check: 'iam.mfa-enforced', status: 'fail', resource: 'breakglass', severity: 'high', observedAt: '2026-11-17T02:00:00Z', message: 'no MFA \u001b[2Jdevice\nsecond line', controls: iso('A.8.5') }),
  checkRecord({ file: 'checks/iam.json', check: 'iam.mfa-enforced', status: 'pass', resource: 'alice', observedAt: '2026-11-17T02:00:00Z', controls: iso('A.8.5') }),
  checkRecord({ file: 'scans/authz.xml', format: 'junit', check: 'tests.authn.test_login', status: 'pass', resource: 'api', observedAt: '2026-11-21T02:00:00Z', controls: [{ framework: 'iso27001-2022', id: 'A.8.5', source: 'config-rule', via: 'config rule 1 (format junit, check tests.auth*)' }] }),
  noteRecord({ file: 'notes/exc.md', kind: 'exception', title: 'EXC-7: break-glass without MFA', author: 'Zoë Ødegård', date: '2026-11-04', expires: '2027-01-31', controls: iso('A.8.5') }),
];
const inputs: InputSummary[] = [
  ...['checks/iam.json', 'scans/authz.xml', 'notes/exc.md'].map((path, i) => ({
    file: { path, absolutePath: `/e/${path}`, sha256: String(i + 1).repeat(64), bytes: 10 },
    format: path.endsWith('.md') ? 'note' : 'native-json',
    accepted: true,
    records: 1,
    diagnostics: [],
  })),
  { file: { path: 'checks/broken.json', absolutePath: '/e/checks/broken.json', sha256: 'f'.repeat(64), bytes: 3 }, format: 'native-json', accepted: false, reason: 'invalid JSON', records: 0, diagnostics: [] },
];

const explain = async (refs: { framework: 'iso27001-2022'; id: string }[], options: { note?: string; period?: { from: string; to: string } } = {}) => {
  const evaluation = await evaluateRecords(records, { catalog, asOf, freshness, exclusions: new Map(), ...(options.period ? { period: options.period } : {}) });
  return explainControls({ evaluation, inputs }, 'A.9.4.2', { ok: true, refs, ...(options.note ? { note: options.note } : {}) }, catalog);
};

describe('explain', () => {
  it('gathers the status, the failing findings, the notes, each file’s mapping source and rule, and every file’s SHA-256', async () => {
    const e = await explain([{ framework: 'iso27001-2022', id: 'A.8.5' }]);
    expect(e.controls).toHaveLength(1);
    const c = e.controls[0]!;
    expect(c).toMatchObject({ framework: 'iso27001-2022', id: 'A.8.5', title: 'Secure authentication', status: 'deficient' });
    expect(c.checks.failing.map((f) => [f.check, f.resource, f.severity, f.file])).toEqual([['iam.mfa-enforced', 'breakglass', 'high', 'checks/iam.json']]);
    expect(c.exceptions).toEqual([{ kind: 'exception', title: 'EXC-7: break-glass without MFA', author: 'Zoë Ødegård', date: '2026-11-04', file: 'notes/exc.md', fresh: true, expires: '2027-01-31', mappings: [{ source: 'explicit', label: 'named in the evidence' }] }]);
    expect(c.mappings).toEqual([
      { file: 'checks/iam.json', mappings: [{ source: 'explicit', label: 'named in the evidence' }] },
      { file: 'notes/exc.md', mappings: [{ source: 'explicit', label: 'named in the evidence' }] },
      { file: 'scans/authz.xml', mappings: [{ source: 'config-rule', label: 'mapped by the config', via: 'config rule 1 (format junit, check tests.auth*)' }] },
    ]);
    expect(c.evidence).toEqual([
      { file: 'checks/iam.json', sha256: '1'.repeat(64), format: 'native-json' },
      { file: 'notes/exc.md', sha256: '3'.repeat(64), format: 'note' },
      { file: 'scans/authz.xml', sha256: '2'.repeat(64), format: 'native-json' },
    ]);
    expect(e.rejectedInputs).toEqual([{ path: 'checks/broken.json', reason: 'invalid JSON' }]);
  });

  it('prints it as sections a reader can follow, evidence text never obeyed by the terminal', async () => {
    const text = formatExplanation(await explain([{ framework: 'iso27001-2022', id: 'A.8.5' }]));
    expect(text).toMatch(/^A\.8\.5 Secure authentication\nISO\/IEC 27001:2022 · Technological · evaluated as of 2026-11-23\n\nStatus: Deficient \(newest evidence of operation 2026-11-21\)\n  - 1 automated check of 3 fails/);
    expect(text).toContain('Failing findings (1 of 3 latest check results):\n  - iam.mfa-enforced on breakglass\n      high, observed 2026-11-17, checks/iam.json\n      no MFA ⟨U+001B⟩[2Jdevice\n');
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('second line');
    expect(text).toContain('Exceptions (1):\n  - EXC-7: break-glass without MFA — Zoë Ødegård, 2026-11-04, expires 2027-01-31\n      notes/exc.md');
    expect(text).toContain('  scans/authz.xml: mapped by the config (config rule 1 (format junit, check tests.auth*))');
    expect(text).toContain(`Evidence files (3), SHA-256:\n  ${'1'.repeat(64)}  checks/iam.json\n`);
    expect(text).toMatch(/\n\n1 input was rejected and count for no control: `legible check` says why\.\n$/);
  });

  it('explains every control an id stands for, saying what it resolved to, and the period when there is one', async () => {
    const e = await explain([{ framework: 'iso27001-2022', id: 'A.8.5' }, { framework: 'iso27001-2022', id: 'A.8.13' }], { note: 'ISO/IEC 27001:2013 A.9.4.2 is A.8.5 in the 2022 edition', period: { from: '2026-06-01', to: asOf } });
    expect(e.controls.map((c) => c.id)).toEqual(['A.8.5', 'A.8.13']);
    const text = formatExplanation(e);
    expect(text).toMatch(/^ISO\/IEC 27001:2013 A\.9\.4\.2 is A\.8\.5 in the 2022 edition\.\n\nA\.8\.5 Secure authentication\n/);
    expect(text).toMatch(/\n\nA\.8\.13 Information backup\n/);
    expect(text).toMatch(/Over the period 2026-06-01 to 2026-11-23: deviations \(\d+ deviations?; \d+ dated occurrences? of operation\)/);
    expect(text).toMatch(/  - 2026-11-17 to 2026-11-23 \(open at the end\): check failed, high\n      iam\.mfa-enforced on breakglass failed from 2026-11-17/);
  });
});

describe('shown', () => {
  it.each([
    ['plain text', 'plain text'],
    ['tab\tand\nline', 'tab\tand\nline'],
    ['\u001b[31mred', '⟨U+001B⟩[31mred'],
    ['invoice\u202Efdp.exe', 'invoice⟨U+202E⟩fdp.exe'],
    ['bell\u0007 and C1 \u009b', 'bell⟨U+0007⟩ and C1 ⟨U+009B⟩'],
    // Drawn as a marker in the PDFs for want of a font, but a terminal may show it: kept.
    ['ሰላም', 'ሰላም'],
  ])('%j → %j', (text, expected) => {
    expect(shown(text)).toBe(expected);
  });
});
