import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/catalog.js';
import type { FindingHistory } from '../model/evaluation.js';
import type { FindingSeverity } from '../model/types.js';
import { iso, noteRecord } from '../../test/helpers/records.js';
import type { FailingInterval } from './findings.js';
import { CONTROL_ITEMS, historyJudge, type HistoryContext } from './history.js';

const catalog = loadCatalog();
const sla = { critical: 15, high: 30, medium: 90, low: 180 };
const at = (day: string) => Date.parse(`${day}T12:00:00Z`);
const context = (over: Partial<HistoryContext> = {}): HistoryContext => ({ catalog, asOf: '2026-06-30', freshness: { checksDays: 30, notesDays: 365 }, sla, notes: [], exclusions: new Map(), ...over });
const history = (check: string): FindingHistory => ({ check, resource: `r-${check}`, entries: [] });
const failing = (from: string, severity: FindingSeverity | undefined, fixed?: string, controls = iso('A.8.8')): FailingInterval => ({
  from: at(from),
  ...(severity ? { severity } : {}),
  ...(fixed ? { resolution: { at: at(fixed), by: 'pass' as const, file: 'scans/fixed.json' } } : {}),
  controls,
  files: ['scans/found.json'],
});

function judged(intervals: [string, FailingInterval][], over: Partial<HistoryContext> = {}) {
  const judge = historyJudge(context(over));
  for (const [check, interval] of intervals) judge.add(history(check), [interval]);
  return judge.finish();
}

describe('remediation against the SLA', () => {
  const period = { from: '2026-01-01', to: '2026-06-30' };
  const verdicts = judged(
    [
      ['fixed-fast', failing('2026-02-01', 'critical', '2026-02-10')],
      ['fixed-late', failing('2026-02-01', 'critical', '2026-03-01')],
      ['open-overdue', failing('2026-05-01', 'critical')],
      ['open-in-time', failing('2026-06-25', 'critical')],
      ['carried-in', failing('2025-12-20', 'high', '2026-01-05')],
      ['fixed-before', failing('2025-10-01', 'high', '2025-11-01')],
      ['after-the-end', failing('2026-07-02', 'low')],
      ['no-severity', failing('2026-03-01', undefined)],
      ['informational', failing('2026-03-01', 'info', '2026-03-02')],
    ],
    { period },
  );
  const { remediation } = verdicts;

  it('counts per severity what opened, was fixed in time, breached its deadline and is still open', () => {
    expect(remediation.bySeverity.critical).toEqual({ opened: 4, resolved: 2, withinSla: 1, breached: 2, open: 2 });
    // Opened before the period, fixed inside it within 30 days: fixed in time, not opened in the period.
    expect(remediation.bySeverity.high).toEqual({ opened: 0, resolved: 1, withinSla: 1, breached: 0, open: 0 });
    expect(remediation.bySeverity.low).toEqual({ opened: 0, resolved: 0, withinSla: 0, breached: 0, open: 0 });
    expect(remediation.unrated).toBe(2);
    expect(remediation.window).toEqual(period);
  });

  it('lists the breaches first, worst first, with the days each was open', () => {
    expect(remediation.itemCount).toBe(7);
    expect(remediation.items.slice(0, 2).map((i) => [i.check, i.daysOpen, i.open])).toEqual([
      ['open-overdue', 60, true],
      ['fixed-late', 28, false],
    ]);
    expect(remediation.items.find((i) => i.check === 'fixed-fast')).toMatchObject({ opened: '2026-02-01', resolved: '2026-02-10', by: 'pass', daysOpen: 9, slaDays: 15, withinSla: true, breached: false });
  });

  it('counts the same per control, from the findings mapped to it, breaches named worst first', () => {
    const split = judged(
      [
        ['both-late', failing('2026-02-01', 'critical', '2026-03-01', [...iso('A.8.8'), ...iso('A.5.15')])],
        ['vuln-fast', failing('2026-02-01', 'high', '2026-02-10')],
        ['access-open', failing('2026-01-10', 'medium', undefined, iso('A.5.15'))],
        ['fixed-before', failing('2025-10-01', 'high', '2025-11-01', iso('A.5.15'))],
      ],
      { period },
    );
    const a88 = split.remediationByControl?.get('iso27001-2022:A.8.8');
    const a515 = split.remediationByControl?.get('iso27001-2022:A.5.15');
    expect(a88?.bySeverity.critical).toEqual({ opened: 1, resolved: 1, withinSla: 0, breached: 1, open: 0 });
    expect(a88?.bySeverity.high).toEqual({ opened: 1, resolved: 1, withinSla: 1, breached: 0, open: 0 });
    expect(a515?.bySeverity.high).toEqual({ opened: 0, resolved: 0, withinSla: 0, breached: 0, open: 0 });
    expect(a515?.bySeverity.medium).toEqual({ opened: 1, resolved: 0, withinSla: 0, breached: 1, open: 1 });
    expect(a515?.items.map((i) => i.check)).toEqual(['access-open', 'both-late']);
    expect(a515?.window).toEqual(period);
    // The overall figures count a finding mapped to two controls once.
    expect(split.remediation.bySeverity.critical.opened).toBe(1);
    expect(split.remediationByControl?.has('iso27001-2022:A.5.1')).toBe(false);
  });

  it('lists a control\'s worst few and counts them all', () => {
    const many = judged(Array.from({ length: CONTROL_ITEMS + 5 }, (_, i): [string, FailingInterval] => [`c${String(i).padStart(2, '0')}`, i === 14 ? failing('2026-01-05', 'critical', '2026-01-25') : failing('2026-01-05', 'low', '2026-01-20')]), { period });
    const a88 = many.remediationByControl!.get('iso27001-2022:A.8.8')!;
    expect(a88.itemCount).toBe(CONTROL_ITEMS + 5);
    expect(a88.items).toHaveLength(CONTROL_ITEMS);
    expect(a88.items[0]).toMatchObject({ check: 'c14', breached: true });
    expect(many.remediation.items).toHaveLength(CONTROL_ITEMS + 5);
  });

  it('without a period, looks at every failure up to the as-of date', () => {
    const all = judged([['fixed-before', failing('2025-10-01', 'high', '2025-11-01')]]).remediation;
    expect(all.window).toEqual({ to: '2026-06-30' });
    expect(all.bySeverity.high).toMatchObject({ opened: 1, resolved: 1, breached: 1 });
  });

  it('from a given day without a period (a trend point inside one), with no period judged', () => {
    const since = judged([['fixed-before', failing('2025-10-01', 'high', '2025-11-01')], ['fixed-late', failing('2026-02-01', 'critical', '2026-03-01')]], { remediationSince: '2026-01-01' });
    expect(since.remediation.window).toEqual({ from: '2026-01-01', to: '2026-06-30' });
    expect(since.remediation.itemCount).toBe(1);
    expect(since.periods).toBeUndefined();
  });
});

describe('an expired exception whose condition the evidence shows fixed', () => {
  const exception = noteRecord({ kind: 'exception', title: 'Legacy gateway', date: '2026-01-10', expires: '2026-03-31', file: 'notes/exc.md', controls: iso('A.8.8') });
  it('is fixed when every finding that failed while it was active passes or was resolved by the as-of date', () => {
    const verdicts = judged([['a', failing('2026-01-05', 'high', '2026-04-20')], ['b', failing('2026-02-05', 'high', '2026-03-01')]], { notes: [exception] });
    expect(verdicts.fixedExceptions.get('iso27001-2022:A.8.8')?.get('notes/exc.md')).toBe('2026-04-20');
  });
  it('is not fixed while one of them still fails, nor when no check failed under it', () => {
    expect(judged([['a', failing('2026-01-05', 'high')]], { notes: [exception] }).fixedExceptions.size).toBe(0);
    expect(judged([['a', failing('2026-05-05', 'high')]], { notes: [exception] }).fixedExceptions.size).toBe(0);
  });
});

describe('a control\'s deviations over the period', () => {
  const period = { from: '2026-01-01', to: '2026-06-30' };
  const exception = noteRecord({ kind: 'exception', title: 'Legacy gateway', date: '2026-02-01', expires: '2026-03-31', file: 'notes/exc.md', controls: iso('A.8.8') });
  it('lists a failure dated and split where an exception accepted it, and counts the occurrences of operation', () => {
    const judge = historyJudge(context({ period, notes: [exception], activity: { activity: [{ framework: 'iso27001-2022', id: 'A.8.8', days: new Map(Array.from({ length: 200 }, (_, i) => [new Date(Date.UTC(2025, 11, 20 + i)).toISOString().slice(0, 10), 2])) }], withChecks: new Set(['iso27001-2022:A.8.8']) } }));
    judge.add(history('CVE-1'), [failing('2026-01-15', 'high', '2026-04-20')]);
    const a88 = judge.finish().periods!.get('iso27001-2022:A.8.8')!;
    expect(a88.status).toBe('deviations');
    expect(a88.deviations.map((d) => [d.kind, d.from, d.to, d.accepted?.title])).toEqual([
      ['check-failed', '2026-01-15', '2026-01-31', undefined],
      ['check-failed', '2026-02-01', '2026-03-31', 'Legacy gateway'],
      ['check-failed', '2026-04-01', '2026-04-20', undefined],
      ['exception-expired', '2026-04-01', '2026-04-20', undefined],
    ]);
    expect(a88.population).toBe(181 * 2);
    expect(a88.deviationCount).toBe(4);
  });
});
