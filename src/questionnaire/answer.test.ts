import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/catalog.js';
import { evaluateRecords } from '../../test/helpers/store.js';
import type { CheckRecord, EvidenceRecord, FrameworkId, NoteRecord } from '../model/types.js';
import { answerQuestion, builtInQuestions, JUSTIFICATION_CHARS, type Question } from './answer.js';

const catalog = loadCatalog();
const asOf = '2026-11-23';
const on = (id: string, framework: FrameworkId = 'iso27001-2022') => [{ framework, id, source: 'explicit' as const }];
const check = (id: string, over: Partial<CheckRecord> = {}): CheckRecord => ({
  type: 'check',
  format: 'native-json',
  file: `checks/${id}.json`,
  check: `check.${id}`,
  status: 'pass',
  observedAt: '2026-11-20T00:00:00Z',
  rawControls: [],
  controls: on(id),
  ...over,
});
const note = (id: string, over: Partial<NoteRecord> = {}): NoteRecord => ({
  type: 'note',
  format: 'note',
  file: `notes/${id}.md`,
  kind: 'practice',
  title: 't',
  author: 'a',
  date: '2026-10-01',
  body: 'b',
  rawControls: [],
  controls: on(id),
  ...over,
});
const evaluationOf = (records: EvidenceRecord[], exclusions = new Map<string, { justification: string }>()) =>
  evaluateRecords(records, { catalog, asOf, freshness: { checksDays: 30, notesDays: 365 }, exclusions });

const backups: Question = { id: 'B1', topic: 'Backups', question: 'Weekly backups?', iso27001: ['A.8.13'], soc2: ['A1.2'], population: 'all critical data' };
const bothEffective = [check('A.8.13'), check('A1.2', { controls: on('A1.2', 'soc2-2017') })];

describe('insurance answers are computed from the evaluation', () => {
  it('Yes only when every mapped control is effective, and asks the signer to confirm the population', async () => {
    const a = answerQuestion(backups, await evaluationOf(bothEffective));
    expect(a.answer).toBe('Yes');
    expect(a.justification).toMatch(/Fresh evidence as of 2026-11-23 shows A\.8\.13 .* operating effectively/);
    expect(a.justification).toMatch(/confirm that this evidence covers all critical data/);
    expect(a.basis).toBe('automated checks');
  });

  it.each<[string, EvidenceRecord[], string]>([
    ['one control deficient', [check('A.8.13', { status: 'fail', resource: 'db' }), bothEffective[1]!], 'Partial'],
    ['one control stale', [check('A.8.13', { observedAt: '2026-01-01T00:00:00Z' }), bothEffective[1]!], 'Partial'],
    ['nothing effective', [check('A.8.13', { observedAt: '2026-01-01T00:00:00Z' })], 'No'],
    ['no evidence at all', [], 'No'],
    ['only a policy', [note('A.8.13', { kind: 'policy' }), note('A1.2', { kind: 'policy', controls: on('A1.2', 'soc2-2017') })], 'No'],
  ])('never Yes with %s', async (_case, records, expected) => {
    const a = answerQuestion(backups, await evaluationOf(records));
    expect(a.answer).toBe(expected);
    expect(a.answer).not.toBe('Yes');
  });

  it('Partial names what does not hold', async () => {
    const a = answerQuestion(backups, await evaluationOf([check('A.8.13', { status: 'fail', resource: 'ledger-db' }), bothEffective[1]!]));
    expect(a.justification).toMatch(/Effective: A1\.2 .*Not yet for A\.8\.13 Information backup: 1 automated check of 1 fails in its latest observation: check\.A\.8\.13 on ledger-db \(2026-11-20\)\./);
    expect(a.justification).toMatch(/a Yes would overstate the evidence/);
  });

  it('says when an answer rests only on practitioners’ notes', async () => {
    const a = answerQuestion(backups, await evaluationOf([note('A.8.13'), note('A1.2', { controls: on('A1.2', 'soc2-2017') })]));
    expect(a).toMatchObject({ answer: 'Yes', basis: 'practitioner notes only' });
  });

  it('skips excluded controls, and answers No when all are excluded', async () => {
    const exclusions = new Map([['soc2-2017:A1.2', { justification: 'Availability is not in the report scope.' }]]);
    expect(answerQuestion(backups, await evaluationOf([check('A.8.13')], exclusions)).answer).toBe('Yes');
    const all = new Map([...exclusions, ['iso27001-2022:A.8.13', { justification: 'No data is stored by this service.' }]]);
    const a = answerQuestion(backups, await evaluationOf([], all));
    expect(a.answer).toBe('No');
    expect(a.justification).toMatch(/excluded from scope/);
  });

  it('leaves attestation questions to the signer', async () => {
    const f1 = builtInQuestions().find((q) => q.id === 'F1')!;
    expect(answerQuestion(f1, await evaluationOf(bothEffective))).toMatchObject({ answer: 'Requires the signer', basis: 'signer' });
  });

  it('keeps every justification within a carrier’s comment box', async () => {
    const failing = Array.from({ length: 30 }, (_, i) => check('A.8.5', { status: 'fail', resource: `user-${i}-with-a-rather-long-identifier`, check: `mfa.enforced.${i}` }));
    for (const q of builtInQuestions()) {
      expect(answerQuestion(q, await evaluationOf(failing)).justification.length).toBeLessThanOrEqual(JUSTIFICATION_CHARS);
    }
  });

  it('the built-in questionnaire maps only to real controls', async () => {
    const questions = builtInQuestions();
    expect(questions.length).toBeGreaterThanOrEqual(20);
    for (const q of questions.filter((x) => !x.attestation)) {
      for (const id of q.iso27001 ?? []) expect(catalog.control({ framework: 'iso27001-2022', id }), `${q.id} ${id}`).toBeDefined();
      for (const id of q.soc2 ?? []) expect(catalog.control({ framework: 'soc2-2017', id }), `${q.id} ${id}`).toBeDefined();
    }
  });
});
