import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/catalog.js';
import { checkRecord, iso, noteRecord, soc2 } from '../../test/helpers/records.js';
import { defaultSla, evaluateRecords } from '../../test/helpers/store.js';
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
const evaluationOf = (records: EvidenceRecord[], exclusions = new Map<string, { justification: string }>(), more: { period?: { from: string; to: string }; sla?: typeof defaultSla } = {}) =>
  evaluateRecords(records, { catalog, asOf, freshness: { checksDays: 30, notesDays: 365 }, exclusions, ...more });

const backups: Question = { id: 'B1', topic: 'Backups', question: 'Weekly backups?', iso27001: ['A.8.13'], soc2: ['A1.2'], population: 'all critical data' };
const bothEffective = [check('A.8.13'), check('A1.2', { controls: on('A1.2', 'soc2-2017') })];

describe('insurance answers are computed from the evaluation', () => {
  it('Yes only when every mapped control is effective, and asks the signer to confirm the population', async () => {
    const a = answerQuestion(backups, await evaluationOf(bothEffective));
    expect(a.answer).toBe('Yes');
    expect(a.justification).toMatch(/^Fresh evidence as of 2026-11-23 shows Information backup \(A\.8\.13\) and .* \(A1\.2\) operating effectively/);
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
    expect(a.justification).toBe('Information backup (A.8.13): 1 failing finding. Effective as of 2026-11-23: Environmental protections, data backup and recovery infrastructure (A1.2).');
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

  it('keeps every justification within a carrier’s comment box, with no ARN in it', async () => {
    const failing = Array.from({ length: 30 }, (_, i) =>
      check('A.8.5', { status: 'fail', severity: 'high', resource: `arn:aws:iam::111122223333:user/user-${i}-with-a-rather-long-identifier`, check: `iam.mfa-enforced.${i}`, controls: [...iso('A.8.5', 'A.5.17', 'A.8.8'), ...soc2('CC6.1', 'CC7.1')] }),
    );
    for (const period of [undefined, { from: '2026-06-01', to: asOf }]) {
      const evaluation = await evaluationOf(failing, undefined, period ? { period } : {});
      for (const q of builtInQuestions()) {
        const { justification } = answerQuestion(q, evaluation);
        expect(justification.length, q.id).toBeLessThanOrEqual(JUSTIFICATION_CHARS);
        expect(justification, q.id).not.toMatch(/arn:aws:|\.json|\.csv/);
      }
    }
  });

  it('says how many gaps did not fit, never cutting a sentence', async () => {
    const ids = catalog.frameworks[0]!.controls.filter((c) => c.kind === 'annex-a').slice(0, 40).map((c) => c.id);
    const many: Question = { id: 'X', topic: 't', question: 'Everything?', iso27001: ids };
    const a = answerQuestion(many, await evaluationOf(ids.map((id) => check(id, { status: 'fail', resource: 'r' }))));
    expect(a.justification.length).toBeLessThanOrEqual(JUSTIFICATION_CHARS);
    expect(a.justification).toMatch(/^Policies for information security \(A\.5\.1\): 1 failing finding\. .*\. \d+ more gaps are in the certification packs\.$/);
    const told = a.justification.match(/\): 1 failing finding\./g)!.length;
    expect(told + Number(/(\d+) more gaps/.exec(a.justification)![1])).toBe(ids.length);
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

const mfa = [...iso('A.5.17', 'A.8.5'), ...soc2('CC6.1')];
const question = (id: string) => builtInQuestions().find((q) => q.id === id)!;
const okta = (over: Partial<CheckRecord> = {}) =>
  checkRecord({ file: 'checks/okta.csv', check: 'okta.mfa-required', resource: 'okta:policy/Workforce-Default', severity: 'high', observedAt: '2026-11-16T04:00:00Z', controls: mfa, ...over });
const breakglass = (over: Partial<CheckRecord> = {}) =>
  checkRecord({
    file: 'checks/aws.json',
    check: 'iam.mfa-enforced',
    status: 'fail',
    severity: 'high',
    resource: 'arn:aws:iam::111122223333:user/breakglass-admin',
    message: 'console password, no MFA device',
    observedAt: '2026-11-17T02:00:00Z',
    controls: [...iso('A.8.5'), ...soc2('CC6.1')],
    ...over,
  });
const mailbox = checkRecord({ file: 'checks/gws.json', check: 'gws.2sv-enforced', status: 'fail', severity: 'high', resource: 'gws:mailbox/shared-ops@fjordline.no', observedAt: '2026-11-18T00:00:00Z', controls: mfa });
const exception = (names: string, over: Partial<NoteRecord> = {}) =>
  noteRecord({ file: 'notes/exc.md', kind: 'exception', title: 'EXC-2026-011: shared mailbox without 2-step verification', date: '2026-11-01', expires: '2027-01-31', body: `Affected: ${names}.`, controls: mfa, ...over });

describe('a question answered from the evidence it selects', () => {
  it.each<[string, EvidenceRecord[], string, RegExp]>([
    [
      'Yes: the identity provider requires MFA; an AWS IAM user without it is not email',
      [okta(), breakglass()],
      'Yes',
      /^Fresh evidence as of 2026-11-23 shows this in place: identity-provider \(single sign-on\) policies requiring MFA \(1 passing check\)\. One other failing finding of these controls is outside this question\. Before signing, confirm that this evidence covers all mailboxes and ways into email\.$/,
    ],
    [
      'Partial: a shared mailbox without MFA, the accepted risk named',
      [okta(), breakglass(), mailbox, exception('gws:mailbox/shared-ops@fjordline.no')],
      'Partial',
      /^One mailbox or email account has no MFA; the risk is accepted until 2027-01-31 \(exception EXC-2026-011\)\. In place as of 2026-11-23: identity-provider/,
    ],
    ['Partial: an exception that does not name the mailbox accepts nothing', [okta(), mailbox, exception('the finance mailbox')], 'Partial', /^One mailbox or email account has no MFA\. In place/],
    [
      'Partial: a lapsed exception accepts nothing, and is a gap of its own',
      [okta(), mailbox, exception('gws:mailbox/shared-ops@fjordline.no', { expires: '2026-11-10' })],
      'Partial',
      /^One mailbox or email account has no MFA\. Authentication information \(A\.5\.17\): the accepted risk \(exception EXC-2026-011\) lapsed on 2026-11-10\./,
    ],
    ['No: only an AWS user speaks, and it is not about email', [breakglass()], 'No', /^Authentication information \(A\.5\.17\): no evidence shows it operating\. Secure authentication \(A\.8\.5\): none of its evidence concerns this question\./],
    ['not Yes on stale identity-provider checks', [okta({ observedAt: '2026-09-01T00:00:00Z' })], 'No', /^Authentication information \(A\.5\.17\): the newest evidence is from 2026-09-01, too old to show it operating now\./],
    ['Yes on practitioners’ notes alone', [noteRecord({ title: 'MFA rollout', controls: mfa, date: '2026-10-02' })], 'Yes', /shows this in place: practitioners' notes on Authentication information \(A\.5\.17\); /],
  ])('email MFA (I1) — %s', async (_case, records, answer, justification) => {
    const a = answerQuestion(question('I1'), await evaluationOf(records));
    expect(a.answer).toBe(answer);
    expect(a.justification).toMatch(justification);
    expect(a.justification).not.toContain('arn:aws:');
    expect(a.selection?.[0]).toMatch(/^identity-provider \(single sign-on\) policies requiring MFA: checks okta\.mfa\*/);
  });

  it('does not claim Yes when the evaluation itemises only some failing findings of a control', async () => {
    const users = Array.from({ length: 30 }, (_, i) => breakglass({ resource: `arn:aws:iam::111122223333:user/u${i}` }));
    const a = answerQuestion(question('I1'), await evaluationOf([okta(), ...users]));
    expect(a.answer).toBe('Partial');
    expect(a.justification).toMatch(/Secure authentication \(A\.8\.5\) has 30 failing findings and the evaluation itemises 25; the other 5 may concern this question and count against it\./);
  });

  it('names the accepted risk without a selection too', async () => {
    const b2 = question('B2');
    const note = exception('arn:aws:iam::111122223333:user/breakglass-admin', { title: 'EXC-2026-007: break-glass IAM user without MFA', controls: iso('A.8.5') });
    const a = answerQuestion(b2, await evaluationOf([check('A.8.13'), check('A1.2', { controls: on('A1.2', 'soc2-2017') }), breakglass(), note]));
    expect(a.justification).toMatch(/^Secure authentication \(A\.8\.5\): 1 failing finding, accepted until 2027-01-31 \(exception EXC-2026-007\)\. Effective as of 2026-11-23: /);
  });
});

describe('figures measured over the period', () => {
  const user = (over: Partial<CheckRecord>) => breakglass({ resource: 'arn:aws:iam::111122223333:user/alice', ...over });
  const root = (over: Partial<CheckRecord>) => breakglass({ resource: 'arn:aws:iam::111122223333:root', severity: 'critical', ...over });
  const history = [
    okta(),
    user({ observedAt: '2026-07-01T00:00:00Z' }),
    user({ status: 'pass', observedAt: '2026-07-10T00:00:00Z' }),
    root({ observedAt: '2026-07-01T00:00:00Z' }),
    root({ status: 'pass', observedAt: '2026-08-30T00:00:00Z' }),
    checkRecord({ file: 'checks/aws.json', check: 's3.encryption-at-rest', status: 'fail', severity: 'high', resource: 'arn:aws:s3:::legacy', observedAt: '2026-11-17T00:00:00Z', controls: soc2('CC6.1') }),
  ];

  it('MFA answers cite how fast their findings were fixed, and the deviations of their controls', async () => {
    const period = { from: '2026-06-01', to: asOf };
    const within = answerQuestion(question('I3'), await evaluationOf(history, undefined, { period }));
    expect(within.justification).toContain(
      'Remediation of findings of this kind in 2026-06-01 to 2026-11-23: critical findings fixed within 15 days: 0 of 1; high findings fixed within 30 days: 1 of 1.',
    );
    expect(within.justification).toMatch(/Deviations in 2026-06-01 to 2026-11-23 that concern this question: 2 failing findings; no automated check reporting in 3 stretches, the longest from 2026-09-30 to 2026-11-15\.$/);
    expect(within.justification).not.toContain('arn:aws:');
    // The answer is what the evidence shows on the as-of date, with or without a period.
    const upTo = answerQuestion(question('I3'), await evaluationOf(history));
    expect(upTo.answer).toBe(within.answer);
    expect(upTo.justification).toContain('Remediation of findings of this kind up to 2026-11-23: critical findings fixed within 15 days: 0 of 1; high findings fixed within 30 days: 1 of 1.');
    expect(upTo.justification).not.toMatch(/Deviations/);
  });

  const scans = [
    check('A.8.8', { check: 'vuln.container-image', resource: 'ecr:checkout-api', controls: [...iso('A.8.8'), ...soc2('CC7.1')] }),
    check('A.8.8', { check: 'endpoint.os-patch-level', resource: 'FJL-MB-0388', controls: [...iso('A.8.8'), ...soc2('CC7.1')] }),
  ];
  const cve = (severity: CheckRecord['severity'], since: string) => [
    check('A.8.8', { file: 'scans/old.json', check: 'CVE-2026-1000', status: 'fail', severity, resource: 'openssl', observedAt: `${since}T00:00:00Z`, controls: [...iso('A.8.8'), ...soc2('CC7.1')] }),
    check('A.8.8', { file: 'scans/new.json', check: 'CVE-2026-1000', status: 'fail', severity, resource: 'openssl', observedAt: '2026-11-20T00:00:00Z', controls: [...iso('A.8.8'), ...soc2('CC7.1')] }),
  ];

  it.each<[string, EvidenceRecord[], typeof defaultSla, string, RegExp]>([
    ['patched', scans, defaultSla, 'Yes', /Deadlines applied: critical 15 days and high 30 days, within the 30 days asked\./],
    ['a critical vulnerability open for 10 days is within the 30 days asked', [...scans, ...cve('critical', '2026-11-13')], defaultSla, 'Yes', /One finding of this kind has been open for 30 days or less, within what is asked\./],
    ['a critical vulnerability open since October is not', [...scans, ...cve('critical', '2026-10-01')], defaultSla, 'Partial', /^One critical, high or unrated vulnerability is not shown fixed within the time asked\./],
    ['a medium one is not what is asked', [...scans, ...cve('medium', '2026-01-05')], defaultSla, 'Yes', /One finding of this kind is open with a lower rating than the question asks about\./],
    ['a 45-day deadline for high findings is longer than asked', scans, { ...defaultSla, high: 45 }, 'Partial', /^The deadline applied to high findings is 45 days, longer than the 30 days asked/],
  ])('patching within 30 days (V1): %s', async (_case, records, sla, answer, justification) => {
    const a = answerQuestion(question('V1'), await evaluationOf(records, undefined, { sla }));
    expect(a.answer).toBe(answer);
    expect(a.justification).toMatch(justification);
  });
});
