import { checkRecord, iso, soc2 } from '../../../test/helpers/records.js';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { loadCatalog } from '../../catalog/catalog.js';
import { evaluateRecords } from '../../../test/helpers/store.js';
import type { CheckRecord, EvidenceRecord, InputSummary, NoteRecord } from '../../model/types.js';
import { answerQuestionnaire, builtInQuestions } from '../../questionnaire/answer.js';
import { questionnaireMethod } from '../../questionnaire/method.js';
import { statusLabel } from '../labels.js';
import { evidenceIndexSheets, questionnaireSheets, statementOfApplicabilitySheets } from './outputs.js';
import { writeWorkbook, type SheetSpec } from './workbook.js';

const catalog = loadCatalog();
const asOf = '2026-11-23';
const freshness = { checksDays: 30, notesDays: 365 };
const created = new Date(`${asOf}T00:00:00Z`);


const check = (over: Partial<CheckRecord>): CheckRecord => checkRecord({ controls: [...iso('A.8.13'), ...soc2('A1.2')], ...over });
const note = (over: Partial<NoteRecord>): NoteRecord => ({
  type: 'note',
  format: 'note',
  file: 'notes/access-review.md',
  kind: 'practice',
  title: 'Access review',
  author: 'Zoë Ødegård',
  date: '2026-10-02',
  body: 'Reviewed.',
  rawControls: [],
  controls: [...iso('A.5.18', '9.2'), ...soc2('CC6.2')],
  ...over,
});

const records: EvidenceRecord[] = [
  check({}),
  check({ file: 'checks/mfa.json', check: 'mfa.enforced', status: 'fail', resource: 'shared-mailbox', observedAt: '2026-11-18T00:00:00Z', controls: [...iso('A.8.5', 'A.5.17'), ...soc2('CC6.1')] }),
  check({ file: '=HYPERLINK("x","y").json', check: 'edr.coverage', observedAt: '2026-11-19T00:00:00Z', controls: [...iso('A.8.7'), ...soc2('CC6.8')] }),
  note({}),
  note({ file: 'notes/old-training.md', title: 'Phishing training', date: '2024-01-10', controls: iso('A.6.3') }),
  note({ file: 'notes/crypto-policy.md', kind: 'policy', title: 'Crypto policy', controls: iso('A.8.24') }),
];
const exclusions = new Map([
  ['iso27001-2022:A.7.11', { justification: 'No own facilities: the office is a serviced space whose landlord runs the utilities.' }],
  ['iso27001-2022:A.8.30', { justification: '=No outsourced development: all code is written by employees.' }],
]);
const evaluation = await evaluateRecords(records, { catalog, asOf, freshness, exclusions });

const input = (path: string, over: Partial<InputSummary> = {}): InputSummary => ({
  file: { path, absolutePath: `/evidence/${path}`, sha256: createHash('sha256').update(path).digest('hex'), bytes: path.length * 10 },
  format: path.endsWith('.md') ? 'note' : 'native-json',
  accepted: true,
  records: 1,
  diagnostics: [],
  ...over,
});
const inputs: InputSummary[] = [
  input('notes/access-review.md'),
  input('checks/backup.json', { records: 3, invalidRecords: 1 }),
  input('checks/mfa.json'),
  input('=HYPERLINK("x","y").json'),
  input('notes/old-training.md'),
  input('notes/crypto-policy.md'),
  input('junk/unknown.bin', { format: 'unknown', accepted: false, reason: 'not a recognised evidence format', records: 0 }),
];
const hash12 = (path: string) => inputs.find((i) => i.file.path === path)!.file.sha256.slice(0, 12);

/** Write the sheets, read the workbook back with SheetJS: rows of every sheet, and the raw sheets. */
function roundTrip(sheets: SheetSpec[]) {
  const wb = XLSX.read(writeWorkbook(sheets, { title: 't', author: 'a', created }), { type: 'buffer', cellFormula: true });
  const rows = (name: string) => XLSX.utils.sheet_to_json<(string | number | null)[]>(wb.Sheets[name]!, { header: 1, defval: null });
  return { wb, rows };
}

const annexIds = [
  ...Array.from({ length: 37 }, (_, i) => `A.5.${i + 1}`),
  ...Array.from({ length: 8 }, (_, i) => `A.6.${i + 1}`),
  ...Array.from({ length: 14 }, (_, i) => `A.7.${i + 1}`),
  ...Array.from({ length: 34 }, (_, i) => `A.8.${i + 1}`),
];
const isoControl = (id: string) => evaluation.controls.find((c) => c.framework === 'iso27001-2022' && c.id === id)!;

describe('statement of applicability', () => {
  const { wb, rows } = roundTrip(statementOfApplicabilitySheets(evaluation, catalog, inputs, asOf));
  const soa = rows('Statement of Applicability');
  const row = (id: string) => soa.find((r) => r[0] === id)!;
  const col = (name: string) => soa[0]!.indexOf(name);

  it('has the columns auditors expect, in order', () => {
    expect(wb.SheetNames).toEqual(['Statement of Applicability', 'Clauses', 'About']);
    expect(soa[0]).toEqual([
      'Control',
      'Title',
      'Theme',
      'Applicable',
      'Justification for inclusion',
      'Justification for exclusion',
      'Implementation status',
      'Reasons',
      'Evidence',
      'Latest evidence date',
      'Freshness',
    ]);
  });

  it('lists all 93 Annex A controls in the standard\'s order, with the evaluation\'s status and reasons', () => {
    expect(soa.slice(1).map((r) => r[0])).toEqual(annexIds);
    for (const r of soa.slice(1)) {
      const c = isoControl(String(r[0]));
      expect(r[col('Title')]).toBe(c.title);
      expect(r[col('Theme')]).toBe(c.group);
      expect(r[col('Implementation status')]).toBe(statusLabel[c.status]);
      expect(r[col('Reasons')]).toBe(c.reasons.join('\n'));
      expect(r[col('Freshness')]).toBe(c.freshness);
      expect(r[col('Latest evidence date')]).toBe(c.latestEvidence ?? null);
    }
    expect(new Set(soa.slice(1).map((r) => r[col('Theme')]))).toEqual(new Set(['Organizational', 'People', 'Physical', 'Technological']));
  });

  it('states exclusions with their justification, and inclusions with what the evidence shows', () => {
    const excluded = row('A.7.11');
    expect(excluded[col('Applicable')]).toBe('No');
    expect(excluded[col('Justification for exclusion')]).toBe(exclusions.get('iso27001-2022:A.7.11')!.justification);
    expect(excluded[col('Justification for inclusion')]).toBeNull();
    expect(excluded[col('Implementation status')]).toBe('Not applicable');

    expect(row('A.8.13')[col('Applicable')]).toBe('Yes');
    expect(row('A.8.13')[col('Justification for exclusion')]).toBeNull();
    expect(row('A.8.13')[col('Justification for inclusion')]).toBe('Evidence of operation in 1 file: 1 automated check result (1 pass).');
    expect(row('A.5.18')[col('Justification for inclusion')]).toBe('Evidence of operation in 1 file: 1 practice note.');
    expect(row('A.8.24')[col('Justification for inclusion')]).toBe('Included by default: no exclusion decided; no evidence of operation yet (1 policy note).');
    expect(row('A.5.1')[col('Justification for inclusion')]).toBe('Included by default: no exclusion decided; no evidence yet');
    // Every applicable control has an inclusion justification, every excluded one an exclusion justification.
    for (const r of soa.slice(1)) {
      expect(r[col(r[col('Applicable')] === 'Yes' ? 'Justification for inclusion' : 'Justification for exclusion')]).toBeTruthy();
    }
  });

  it('cites evidence as file — observed date — hash prefix', () => {
    expect(row('A.5.18')[col('Evidence')]).toBe(`notes/access-review.md — 2026-10-02 — ${hash12('notes/access-review.md')}`);
    expect(row('A.8.5')[col('Evidence')]).toBe(`checks/mfa.json — 2026-11-18 — ${hash12('checks/mfa.json')}`);
    // Passing checks are dated by their file's newest observation.
    expect(row('A.8.13')[col('Evidence')]).toBe(`checks/backup.json — 2026-11-20 — ${hash12('checks/backup.json')}`);
    expect(row('A.5.1')[col('Evidence')]).toBeNull();
  });

  it('keeps text that looks like a formula as text', () => {
    const ws = wb.Sheets['Statement of Applicability']!;
    const r = soa.findIndex((x) => x[0] === 'A.8.30') + 1;
    const cell = ws[XLSX.utils.encode_cell({ r: r - 1, c: col('Justification for exclusion') })]!;
    expect(cell.t).toBe('s');
    expect(cell.f).toBeUndefined();
    expect(cell.v).toBe('=No outsourced development: all code is written by employees.');
    const evidence = ws[XLSX.utils.encode_cell({ r: soa.findIndex((x) => x[0] === 'A.8.7'), c: col('Evidence') })]!;
    expect(evidence.t).toBe('s');
    expect(evidence.f).toBeUndefined();
    expect(String(evidence.v)).toMatch(/^=HYPERLINK\("x","y"\)\.json — 2026-11-19 — /);
  });

  it('lists clauses 4–10 on their own sheet', () => {
    const clauses = rows('Clauses');
    expect(clauses[0]).toEqual(['Clause', 'Title', 'Section', 'Implementation status', 'Reasons', 'Evidence', 'Latest evidence date', 'Freshness']);
    expect(clauses.slice(1).map((r) => r[0])).toEqual(catalog.frameworks[0]!.controls.filter((c) => c.kind === 'clause').map((c) => c.id));
    expect(clauses.slice(1)).toHaveLength(23);
    expect(clauses[1]![0]).toBe('4.1');
    expect(clauses.at(-1)![0]).toBe('10.2');
    const internalAudit = clauses.find((r) => r[0] === '9.2')!;
    expect(internalAudit[3]).toBe(statusLabel[isoControl('9.2').status]);
    expect(internalAudit[5]).toBe(`notes/access-review.md — 2026-10-02 — ${hash12('notes/access-review.md')}`);
  });

  it('says what the columns mean and when', () => {
    const about = rows('About');
    expect(about).toContainEqual(['As of', asOf]);
    expect(about.find((r) => r[0] === 'Annex A controls')![1]).toBe('93 listed, 91 applicable, 2 excluded');
  });

  it('cuts a long evidence list with a count, never silently', () => {
    const many = { ...evaluation, controls: evaluation.controls.map((c) => (c.id === 'A.5.1' ? { ...c, evidence: Array.from({ length: 600 }, (_, i) => `f/${String(i).padStart(3, '0')}-${'x'.repeat(60)}.json`) } : c)) };
    const cell = roundTrip(statementOfApplicabilitySheets(many, catalog, inputs, asOf)).rows('Statement of Applicability')[1]![col('Evidence')] as string;
    expect(cell.length).toBeLessThanOrEqual(32_767);
    const shown = cell.split('\n').length - 1;
    expect(cell.split('\n').at(-1)).toBe(`… and ${600 - shown} more files (see the evidence index)`);
  });
});

describe('evidence index', () => {
  const { wb, rows } = roundTrip(evidenceIndexSheets(inputs, evaluation));
  const index = rows('Evidence index');

  it('lists every input, accepted and rejected, sorted by path', () => {
    expect(index[0]).toEqual(['Path', 'Format', 'Accepted', 'Reason', 'Records', 'Invalid records', 'Bytes', 'SHA-256', 'Controls supported']);
    expect(index.slice(1).map((r) => r[0])).toEqual(inputs.map((i) => i.file.path).sort());
    const rejected = index.find((r) => r[0] === 'junk/unknown.bin')!;
    expect(rejected.slice(1)).toEqual(['unknown', 'No', 'not a recognised evidence format', 0, 0, 'junk/unknown.bin'.length * 10, inputs[6]!.file.sha256, null]);
    const backup = index.find((r) => r[0] === 'checks/backup.json')!;
    expect(backup.slice(1, 8)).toEqual(['native-json', 'Yes', null, 3, 1, 'checks/backup.json'.length * 10, inputs[1]!.file.sha256]);
  });

  it('names the controls each file supports, in both frameworks, in the standards\' order', () => {
    const supported = (path: string) => index.find((r) => r[0] === path)![8];
    expect(supported('checks/backup.json')).toBe('A.8.13, A1.2');
    expect(supported('checks/mfa.json')).toBe('A.5.17, A.8.5, CC6.1');
    expect(supported('notes/access-review.md')).toBe('9.2, A.5.18, CC6.2');
    for (const c of evaluation.controls) {
      for (const file of c.evidence) expect(String(supported(file)).split(', ')).toContain(c.id);
    }
  });

  it('keeps a formula-looking path as text', () => {
    const ws = wb.Sheets['Evidence index']!;
    const r = index.findIndex((x) => String(x[0]).startsWith('='));
    const cell = ws[XLSX.utils.encode_cell({ r, c: 0 })]!;
    expect(cell.t).toBe('s');
    expect(cell.f).toBeUndefined();
    expect(cell.v).toBe('=HYPERLINK("x","y").json');
  });
});

describe('questionnaire', () => {
  const answers = answerQuestionnaire(builtInQuestions(), evaluation);
  const method = questionnaireMethod(answers, evaluation);
  const { rows } = roundTrip(questionnaireSheets(answers, method, { organization: 'Fjordline Payments AS', asOf }));

  it('writes the answers exactly as answerQuestion gives them', () => {
    const sheet = rows('Answers');
    expect(sheet[0]).toEqual(['ID', 'Topic', 'Question', 'Answer', 'Justification', 'Basis', 'Controls', 'Evidence files', 'Latest evidence date']);
    expect(sheet).toHaveLength(answers.length + 1);
    answers.forEach((a, i) => {
      expect(sheet[i + 1]).toEqual([
        a.id,
        a.topic,
        a.question,
        a.answer,
        a.justification,
        a.basis,
        a.controls.map((c) => `${c.id} — ${statusLabel[c.status]}`).join('\n') || null,
        a.evidence.join('\n') || null,
        a.latestEvidence ?? null,
      ]);
    });
    expect(sheet.find((r) => r[0] === 'F1')![3]).toBe('Requires the signer');
    expect(sheet.find((r) => r[0] === 'I1')![3]).toBe('Partial');
  });

  it('has a cover with the evidence range, the notes-only answers and an empty signature block', () => {
    const cover = Object.fromEntries(rows('Cover').slice(1).map((r) => [r[0], r[1]]));
    expect(cover.Organization).toBe('Fjordline Payments AS');
    expect(cover['As of']).toBe(asOf);
    const dates = answers.map((a) => a.latestEvidence).filter((d): d is string => !!d).sort();
    expect(cover['Evidence dates']).toMatch(new RegExp(`^${dates[0]} to ${dates.at(-1)}`));
    const notesOnly = answers.filter((a) => a.basis === 'practitioner notes only').map((a) => a.id);
    expect(notesOnly.length).toBeGreaterThan(0);
    expect(cover['Resting only on practitioner notes']).toBe(notesOnly.join(', '));
    expect(cover['Requiring the signer']).toBe('F1, G1');
    expect(cover.Signature).toBe('Signed: ____  Name: ____  Date: ____');
  });

  it('has a method sheet with the rules, the evidence each question selects, and the limits', () => {
    const sheet = rows('Method').slice(1);
    expect(sheet.filter((r) => r[0] === 'Rule').map((r) => r[1])).toEqual(method.rules);
    expect(sheet.filter((r) => r[0] === 'Limit').map((r) => r[1])).toEqual(method.limits);
    const i1 = sheet.find((r) => r[0] === 'I1 selects')![1];
    expect(i1).toBe(answers.find((a) => a.id === 'I1')!.selection!.join('\n'));
    expect(i1).toMatch(/^identity-provider \(single sign-on\) policies requiring MFA: checks okta\.mfa\*/);
    expect(sheet.some((r) => r[0] === 'B1 selects')).toBe(false);
  });
});
