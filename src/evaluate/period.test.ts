import { describe, expect, it } from 'vitest';
import { noteRecord } from '../../test/helpers/records.js';
import type { ControlEvaluation, Deviation } from '../model/evaluation.js';
import type { FailingInterval } from './findings.js';
import { cadenceDeviations, checkFailedDeviation, evidenceOutsidePeriod, exceptionExpiredDeviation, judgePeriod, notObservedDeviations, PeriodDays, splitByExceptions, timelineOf, type PeriodEvidence } from './period.js';

const period = { from: '2026-01-01', to: '2026-06-30' };
const ms = (day: string) => Date.parse(`${day}T10:00:00Z`);
const days = (deviations: Deviation[]) => deviations.map((d) => [d.from, d.to, d.open]);
const interval = (from: string, resolved?: string, by: 'pass' | 'absent' | 'closed' = 'pass'): FailingInterval => ({
  from: ms(from),
  ...(resolved ? { resolution: { at: ms(resolved), by, file: 'scans/later.json' } } : {}),
  controls: [],
  files: ['scans/first.json'],
});

describe('check-failed: the days in the period a finding failed', () => {
  const mfa = { check: 'iam_root_mfa_enabled', resource: 'arn:aws:iam::1:root' };
  it.each<[string, FailingInterval, [string, string, boolean] | undefined, RegExp?]>([
    ['failed and fixed inside the period', interval('2026-02-03', '2026-04-01'), ['2026-02-03', '2026-04-01', false], /failed from 2026-02-03; passes since 2026-04-01/],
    ['failing since before the period', interval('2025-12-10', '2026-01-20'), ['2026-01-01', '2026-01-20', false], /failing since 2025-12-10, before the period/],
    ['still failing at the end', interval('2026-05-01'), ['2026-05-01', '2026-06-30', true], /still failing at the period's end\./],
    ['fixed only after the end', interval('2026-05-01', '2026-07-10'), ['2026-05-01', '2026-06-30', true], /still failing at the period's end \(passes since 2026-07-10\)/],
    ['no longer reported by a newer scan', interval('2026-02-03', '2026-03-05', 'absent'), ['2026-02-03', '2026-03-05', false], /no longer reported by a newer scan of the same target since 2026-03-05/],
    ['fixed before the period', interval('2025-10-01', '2025-12-01'), undefined],
    ['failing only after the period', interval('2026-07-02'), undefined],
  ])('%s', (_case, failing, expected, reason) => {
    const d = checkFailedDeviation(mfa, failing, period);
    expect(d ? [d.from, d.to, d.open] : undefined).toEqual(expected);
    if (reason) expect(d?.reason).toMatch(reason);
    if (d) expect(d.evidence).toEqual(failing.resolution ? ['scans/first.json'] : ['scans/first.json']);
  });
});

describe('not-observed: stretches with no current check report', () => {
  it.each<[string, string[], [string, string, boolean][]]>([
    ['daily checks throughout', Array.from({ length: 190 }, (_, i) => new Date(Date.UTC(2025, 11, 25 + i)).toISOString().slice(0, 10)), []],
    ['checks that start mid-period leave the first weeks unobserved', ['2026-02-15', '2026-03-01', '2026-03-20', '2026-04-10', '2026-05-01', '2026-05-20', '2026-06-10'], [['2026-01-01', '2026-02-14', false]]],
    ['an export that stopped for two months', ['2025-12-20', '2026-01-10', '2026-02-01', '2026-04-20', '2026-05-10', '2026-06-01', '2026-06-20'], [['2026-03-04', '2026-04-19', false]]],
    ['checks that stopped before the end', ['2026-01-01', '2026-01-20', '2026-02-10'], [['2026-03-13', '2026-06-30', true]]],
    ['a check run after the period does not cover it', ['2026-07-05'], [['2026-01-01', '2026-06-30', true]]],
  ])('%s', (_case, checkDays, expected) => {
    expect(days(notObservedDeviations(checkDays, period, 30))).toEqual(expected);
  });
});

describe('cadence-missed: a policy\'s cadence against the activity', () => {
  const quarterly = noteRecord({ kind: 'policy', title: 'Access review standard', date: '2025-06-01', cadenceDays: 90, file: 'notes/policy.md' });
  it.each<[string, typeof quarterly, string[], [string, string, boolean][]]>([
    ['every review on time', quarterly, ['2025-12-15', '2026-03-10', '2026-06-01'], []],
    ['a missed review, done late', quarterly, ['2025-12-15', '2026-05-20'], [['2026-03-16', '2026-05-20', false]]],
    ['nothing after the last review', quarterly, ['2025-12-20', '2026-01-10'], [['2026-04-11', '2026-06-30', true]]],
    ['no activity since the policy was adopted, before the period', quarterly, ['2026-01-10'], [['2026-01-01', '2026-01-10', false], ['2026-04-11', '2026-06-30', true]]],
    ['a policy adopted inside the period binds from its date', { ...quarterly, date: '2026-03-01' }, ['2026-04-01'], []],
    ['a policy adopted inside the period with nothing done', { ...quarterly, date: '2026-03-01' }, [], [['2026-05-31', '2026-06-30', true]]],
    ['activity after the period does not count', quarterly, ['2025-12-20', '2026-01-10', '2026-07-01'], [['2026-04-11', '2026-06-30', true]]],
    ['a policy adopted after the period is not in force', { ...quarterly, date: '2026-07-01' }, [], []],
  ])('%s', (_case, policy, activity, expected) => {
    const missed = cadenceDeviations(policy, activity, period);
    expect(days(missed)).toEqual(expected);
    for (const d of missed) expect(d.evidence).toEqual(['notes/policy.md']);
  });
});

describe('exception-expired: an accepted risk that lapsed while its condition went on', () => {
  const exception = noteRecord({ kind: 'exception', title: 'Break-glass user without MFA', date: '2026-01-10', expires: '2026-03-31', file: 'notes/exc.md' });
  const condition = { covered: 1, stillFailing: 1, neverFixed: true, evidence: ['scans/iam.json'] };
  it.each<[string, Parameters<typeof exceptionExpiredDeviation>[1], [string, string, boolean] | undefined]>([
    ['the finding it covered still fails', condition, ['2026-04-01', '2026-06-30', true]],
    ['the finding was fixed after the lapse', { ...condition, neverFixed: false, lastFixed: '2026-05-02' }, ['2026-04-01', '2026-05-02', false]],
    ['every finding was fixed before it lapsed', { ...condition, stillFailing: 0, neverFixed: false }, undefined],
    ['nothing shows the condition fixed (an exception-only control)', { covered: 0, stillFailing: 0, neverFixed: false, evidence: [] }, ['2026-04-01', '2026-06-30', true]],
  ])('%s', (_case, lapsed, expected) => {
    const d = exceptionExpiredDeviation(exception, lapsed, period);
    expect(d ? [d.from, d.to, d.open] : undefined).toEqual(expected);
    if (d) expect(d.evidence).toContain('notes/exc.md');
  });

  it('an exception that lapses outside the period is not one of its deviations', () => {
    expect(exceptionExpiredDeviation({ ...exception, expires: '2026-08-01' }, condition, period)).toBeUndefined();
    expect(exceptionExpiredDeviation({ ...exception, expires: '2025-11-01' }, condition, period)).toBeUndefined();
  });
});

describe('deviations within an active exception are accepted, not hidden', () => {
  const exception = noteRecord({ kind: 'exception', title: 'Legacy gateway', date: '2026-02-01', expires: '2026-03-31', file: 'notes/exc.md' });
  const failing: Deviation = { kind: 'check-failed', from: '2026-01-15', to: '2026-04-20', open: false, check: 'c', reason: 'r', evidence: [] };
  it('splits a deviation at the exception\'s dates and names it for the days inside', () => {
    expect(splitByExceptions(failing, [exception]).map((d) => [d.from, d.to, d.accepted?.title])).toEqual([
      ['2026-01-15', '2026-01-31', undefined],
      ['2026-02-01', '2026-03-31', 'Legacy gateway'],
      ['2026-04-01', '2026-04-20', undefined],
    ]);
  });
  it('accepts only the findings an exception names, when it names them, and never a gap in check reports', () => {
    const named = { ...exception, covers: ['arn:aws:iam::*:user/breakglass-*'] };
    expect(splitByExceptions({ ...failing, resource: 'arn:aws:iam::1:user/breakglass-admin' }, [named]).some((d) => d.accepted)).toBe(true);
    expect(splitByExceptions({ ...failing, check: 'tests.authz.refund_scope', resource: 'checkout-api' }, [named]).some((d) => d.accepted)).toBe(false);
    expect(splitByExceptions({ ...failing, kind: 'not-observed' }, [exception]).some((d) => d.accepted)).toBe(false);
    expect(splitByExceptions({ ...failing, kind: 'cadence-missed' }, [exception]).some((d) => d.accepted)).toBe(true);
  });

  it('keeps a deviation outside every exception as it was', () => {
    expect(splitByExceptions({ ...failing, from: '2026-05-01', to: '2026-05-03' }, [exception])).toHaveLength(1);
  });
});

describe('a control\'s status over the period', () => {
  const evidence = (over: Partial<PeriodEvidence> = {}): PeriodEvidence => ({ period, deviations: [], deviationCount: 0, practicesInPeriod: 2, checkOccurrencesInPeriod: 10, timeline: [], ...over });
  const deviation: Deviation = { kind: 'cadence-missed', from: '2026-03-16', to: '2026-05-20', open: false, reason: 'r', evidence: [] };
  it.each<[string, PeriodEvidence, string, RegExp]>([
    ['operated with no deviation', evidence(), 'effective', /^Operated throughout 2026-01-01 to 2026-06-30: 12 dated occurrences of operation in the period \(2 practice notes, 10 check observations\), and no deviation\.$/],
    ['a deviation', evidence({ deviations: [deviation], deviationCount: 1 }), 'deviations', /^1 deviation in 2026-01-01 to 2026-06-30: 1 missed cadence\.$/],
    ['evidence only before the period', evidence({ practicesInPeriod: 0, checkOccurrencesInPeriod: 0, before: '2025-11-02' }), 'no-evidence', /Nothing dated inside 2026-01-01 to 2026-06-30 shows the control operating: the newest before it is from 2025-11-02/],
    ['excluded', evidence({ excluded: { justification: 'No own facilities.' }, deviations: [deviation], deviationCount: 1 }), 'not-applicable', /^Excluded from scope: No own facilities\.$/],
  ])('%s', (_case, e, status, reason) => {
    const judged = judgePeriod(e);
    expect(judged.status).toBe(status);
    expect(judged.reasons[0]).toMatch(reason);
    expect(judged.population).toBe(e.practicesInPeriod + e.checkOccurrencesInPeriod);
  });

  it('says how many deviations it does not list', () => {
    expect(judgePeriod(evidence({ deviations: [deviation], deviationCount: 250 })).reasons[0]).toMatch(/^250 deviations in .*\(the 1 most serious listed\)/);
  });
});

describe('the period day by day', () => {
  it('marks each stretch with the worst of what is known of it', () => {
    const q2 = new PeriodDays({ from: '2026-04-01', to: '2026-06-30' });
    const failing = q2.blank();
    q2.mark(failing, '2026-05-10', '2026-05-20', 'failing');
    q2.mark(failing, '2026-05-15', '2026-05-31', 'accepted');
    const cadence: Deviation = { kind: 'cadence-missed', from: '2026-06-20', to: '2026-06-30', open: true, reason: 'r', evidence: [] };
    const gap: Deviation = { kind: 'not-observed', from: '2026-04-01', to: '2026-04-09', open: false, reason: 'r', evidence: [] };
    const segments = timelineOf(q2, failing, [cadence, gap], { checkDays: ['2026-04-10', '2026-05-01'], practiceDays: [], checksWindow: 30, notesWindow: 365 });
    expect(segments.map((s) => [s.from, s.to, s.state])).toEqual([
      ['2026-04-01', '2026-04-09', 'not-observed'],
      ['2026-04-10', '2026-05-09', 'operating'],
      ['2026-05-10', '2026-05-20', 'failing'],
      ['2026-05-21', '2026-05-31', 'accepted'],
      ['2026-06-01', '2026-06-19', 'unknown'],
      ['2026-06-20', '2026-06-30', 'cadence-missed'],
    ]);
  });
});

describe('evidence cited for a control that the period does not count', () => {
  const cited = (file: string, over: Parameters<typeof noteRecord>[0] = {}) => ({ record: noteRecord({ file, ...over }), mappings: [], fresh: true });
  const control = {
    practices: [cited('notes/old-review.md', { date: '2025-11-05' }), cited('notes/review.md', { date: '2026-03-01' }), cited('notes/later.md', { date: '2026-07-02' })],
    policies: [cited('notes/policy.md', { kind: 'policy', date: '2024-01-01' })],
    exceptions: [cited('notes/exception.md', { kind: 'exception', date: '2026-08-01' })],
    checks: {
      files: [
        { file: 'checks/may-2025.json', mappings: [], newest: '2025-05-20T08:00:00.000Z' },
        { file: 'checks/march.json', mappings: [], newest: '2026-03-20T08:00:00.000Z' },
        { file: 'checks/daily.jsonl', mappings: [], newest: '2026-11-20T08:00:00.000Z' },
        { file: 'scans/november.json', mappings: [], newest: '2026-11-21T08:00:00.000Z' },
        { file: 'scans/undated.json', mappings: [] },
      ],
    },
    evidence: ['checks/daily.jsonl', 'checks/march.json', 'checks/may-2025.json', 'notes/exception.md', 'notes/later.md', 'notes/old-review.md', 'notes/policy.md', 'notes/review.md', 'scans/november.json', 'scans/undated.json'],
  } as unknown as ControlEvaluation;

  it('tells notes and older check results by their dates, and leaves newer ones to the store', () => {
    expect(evidenceOutsidePeriod(control, period)).toEqual({
      outside: ['checks/may-2025.json', 'notes/later.md', 'notes/old-review.md'],
      undecided: ['checks/daily.jsonl', 'scans/november.json', 'scans/undated.json'],
    });
  });

  it('names those with no verdict dated in the period, as the store counts them', () => {
    expect(evidenceOutsidePeriod(control, period, new Set(['checks/daily.jsonl', 'checks/march.json'])).outside).toEqual([
      'checks/may-2025.json',
      'notes/later.md',
      'notes/old-review.md',
      'scans/november.json',
      'scans/undated.json',
    ]);
  });
});
