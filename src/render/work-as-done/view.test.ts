import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog/catalog.js';
import type { Period } from '../../config/load.js';
import type { ControlMapping, EvidenceRecord, NoteRecord } from '../../model/types.js';
import { checkRecord, iso, noteRecord, soc2 } from '../../../test/helpers/records.js';
import { evaluateRecords } from '../../../test/helpers/store.js';
import { intervalsOf, median, workAsDoneView, type PolicyControl, type WorkAsDoneView } from './view.js';

const catalog = loadCatalog();
const freshness = { checksDays: 30, notesDays: 365 };

async function viewOf(records: EvidenceRecord[], asOf = '2026-11-23', period?: Period): Promise<WorkAsDoneView> {
  const evaluation = await evaluateRecords(records, { catalog, asOf, freshness, exclusions: new Map(), ...(period ? { period } : {}) });
  const notes = records.filter((r): r is NoteRecord => r.type === 'note');
  return workAsDoneView({ evaluation, notes, catalog, organization: 'Testbank ASA', freshness, version: 'test' });
}

const policy = (over: Partial<NoteRecord>) => noteRecord({ kind: 'policy', title: 'Standard', date: '2026-03-03', file: 'notes/policy.md', ...over });
const practice = (date: string, author: string, controls: ControlMapping[] = iso('A.8.2')) => noteRecord({ date, author, controls, file: `notes/${date}-${author}.md` });
const allPolicies = (v: WorkAsDoneView) => [...v.drift.cadences, ...v.imagined, ...v.kept];
const row = (v: WorkAsDoneView, title: string, id: string): PolicyControl => allPolicies(v).find((p) => p.title === title)!.controls.find((c) => c.id === id)!;
/** Days from..to, every `step` days. */
const every = (from: string, to: string, step: number) => {
  const days: string[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += step * 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
};

describe('intervals', () => {
  it('the median of an even count is the rounded mean of the middle two', () => {
    expect(median([55, 50])).toBe(53);
    expect(median([7, 1, 30])).toBe(7);
    expect(median([])).toBeUndefined();
    expect(intervalsOf(['2026-07-21', '2026-09-14', '2026-11-03']).map((i) => i.days)).toEqual([55, 50]);
  });
});

describe('policy against practice, without a period', () => {
  const records = [
    policy({ title: 'Privileged Access Standard', cadenceDays: 30, controls: [...iso('A.8.2'), { framework: 'soc2-2017', id: 'CC6.1', source: 'crosswalk' }] }),
    practice('2026-07-21', '陈伟'),
    practice('2026-09-14', 'Magnus Haugen'),
    practice('2026-11-03', '陈伟'),
  ];

  it('counts occurrences, the typical and longest interval, the misses and who did the work', async () => {
    const v = await viewOf(records);
    expect(v.window).toEqual({ from: '2025-11-23', to: '2026-11-23', kind: 'recent' });
    const pas = allPolicies(v).find((p) => p.title === 'Privileged Access Standard')!;
    expect(pas.state).toBe('missed');
    // A cadence binds the control the policy names, not the one the crosswalk pairs it with.
    expect(pas.controls.map((c) => c.id)).toEqual(['A.8.2']);
    const a82 = pas.controls[0]!;
    expect(a82).toMatchObject({ occurrences: 3, practiceNotes: 3, checkDays: 0, typicalInterval: 53, longestInterval: { days: 55, from: '2026-07-21', to: '2026-09-14' }, lastActivity: '2026-11-03', sinceLast: 20, overdue: false });
    // Bound from the policy's date: 2026-04-03 to the first review, then the two late ones.
    expect(a82.misses).toMatchObject({ count: 3, open: false, stretches: [{ from: '2026-04-03', to: '2026-07-21' }, { from: '2026-08-21', to: '2026-09-14' }, { from: '2026-10-15', to: '2026-11-03' }] });
    expect(a82.authors).toEqual([{ name: '陈伟', notes: 2 }, { name: 'Magnus Haugen', notes: 1 }]);
    expect(v.drift.cadences[0]?.title).toBe('Privileged Access Standard');
  });

  it('is overdue when longer than the cadence has passed since the last activity', async () => {
    const v = await viewOf(records, '2026-12-10');
    expect(row(v, 'Privileged Access Standard', 'A.8.2')).toMatchObject({ overdue: true, sinceLast: 37, misses: { count: 4, open: true } });
  });

  it('tells a kept cadence from one that stretches to within a fifth of it, and from a policy never practised', async () => {
    const checks = (id: string, days: string[]) => days.map((day) => checkRecord({ file: `checks/${id}-${day}.json`, observedAt: `${day}T06:00:00.000Z`, controls: iso(id) }));
    const v = await viewOf([
      policy({ title: 'Weekly', cadenceDays: 30, date: '2026-05-30', file: 'notes/weekly.md', controls: iso('A.8.13') }),
      ...checks('A.8.13', every('2026-06-01', '2026-11-20', 7)),
      policy({ title: 'Stretched', cadenceDays: 30, date: '2026-05-30', file: 'notes/stretched.md', controls: iso('A.8.15') }),
      ...checks('A.8.15', every('2026-06-01', '2026-11-20', 26)),
      policy({ title: 'Imagined', cadenceDays: 30, file: 'notes/imagined.md', controls: iso('A.8.7') }),
    ]);
    expect(allPolicies(v).map((p) => [p.title, p.state])).toEqual([
      ['Stretched', 'stretching'],
      ['Imagined', 'imagined'],
      ['Weekly', 'kept'],
    ]);
    expect(v.drift.cadences.map((p) => p.title)).toEqual(['Stretched']);
    expect(v.imagined.map((p) => p.title)).toEqual(['Imagined']);
    expect(row(v, 'Weekly', 'A.8.13')).toMatchObject({ typicalInterval: 7, longestInterval: { days: 7 }, checkDays: 25, misses: { count: 0 } });
    expect(row(v, 'Stretched', 'A.8.15')).toMatchObject({ typicalInterval: 26, misses: { count: 0 } });
  });
});

describe('policy against practice, over a period', () => {
  it('takes the misses from the period\'s deviations, with the exceptions that accepted them', async () => {
    const period = { from: '2026-05-01', to: '2026-10-31' };
    const v = await viewOf(
      [
        policy({ title: 'Privileged Access Standard', cadenceDays: 30, controls: iso('A.8.2') }),
        practice('2026-07-21', '陈伟'),
        practice('2026-09-14', 'Magnus Haugen'),
        practice('2026-11-03', '陈伟'),
        noteRecord({ kind: 'exception', title: 'Reviewer on leave', date: '2026-08-15', expires: '2026-09-30', file: 'notes/exc.md', controls: iso('A.8.2') }),
      ],
      '2026-11-23',
      period,
    );
    expect(v.window).toEqual({ ...period, kind: 'period' });
    const a82 = row(v, 'Privileged Access Standard', 'A.8.2');
    // The note after the period is the last activity, not an occurrence in it.
    expect(a82).toMatchObject({ occurrences: 2, lastActivity: '2026-11-03', typicalInterval: 55 });
    expect(a82.misses).toMatchObject({ count: 3, open: true, accepted: 1, atLeast: false });
    expect(a82.misses.stretches).toEqual([
      { from: '2026-05-01', to: '2026-07-21' },
      { from: '2026-08-21', to: '2026-09-14' },
      { from: '2026-10-15', to: '2026-10-31' },
    ]);
    expect(a82.authors.map((a) => a.name)).toEqual(['Magnus Haugen', '陈伟']);
  });

  it('lists checks that stopped and started again, grouped by when, and not those that only began late', async () => {
    const daily = (id: string, days: string[]) => days.map((day) => checkRecord({ file: `checks/${day}.json`, check: `backup.${id}`, observedAt: `${day}T06:00:00.000Z`, controls: [...iso('A.8.13'), ...soc2('A1.2')] }));
    const late = every('2026-07-01', '2026-11-20', 1).map((day) => checkRecord({ file: `checks/edr-${day}.json`, check: 'edr', observedAt: `${day}T06:00:00.000Z`, controls: iso('A.8.7') }));
    const v = await viewOf([...daily('copy', [...every('2026-05-01', '2026-07-14', 1), ...every('2026-10-01', '2026-11-22', 1)]), ...late], '2026-11-23', { from: '2026-05-01', to: '2026-10-31' });
    expect(v.drift.gaps).toEqual([
      {
        lastReport: '2026-07-14',
        resumed: '2026-10-01',
        silentDays: 79,
        uncovered: { from: '2026-08-14', to: '2026-09-30' },
        controls: [
          { framework: 'iso27001-2022', id: 'A.8.13', title: 'Information backup' },
          { framework: 'soc2-2017', id: 'A1.2', title: 'Environmental protections, data backup and recovery infrastructure' },
        ],
      },
    ]);
  });
});

describe('drift at the as-of date', () => {
  it('lists checks silent at the as-of date, and accepted risks expired or expiring within 60 days, lapsed first', async () => {
    const exception = (title: string, expires: string) => noteRecord({ kind: 'exception', title, date: '2026-01-10', expires, file: `notes/${title}.md`, controls: iso('A.8.5') });
    const v = await viewOf([
      checkRecord({ observedAt: '2026-09-01T06:00:00.000Z', controls: [...iso('A.8.13'), ...soc2('A1.2')] }),
      exception('lapsed', '2026-11-13'),
      exception('at the horizon', '2027-01-22'),
      exception('beyond it', '2027-01-23'),
      exception('soon', '2026-12-01'),
    ]);
    expect(v.drift.gaps).toEqual([{ lastReport: '2026-09-01', silentDays: 83, uncovered: { from: '2026-10-02', to: '2026-11-23' }, controls: [expect.objectContaining({ id: 'A.8.13' }), expect.objectContaining({ id: 'A1.2' })] }]);
    expect(v.drift.exceptions.map((e) => [e.title, e.state, e.days, e.controls.map((c) => `${c.id} ${c.status}`)])).toEqual([
      ['lapsed', 'expired', 10, ['A.8.5 deficient']],
      ['soon', 'expiring', 8, ['A.8.5 deficient']],
      ['at the horizon', 'expiring', 60, ['A.8.5 deficient']],
    ]);
    expect(v.glance.find((g) => g.key === 'checks-silent')).toEqual({ key: 'checks-silent', count: 2, text: 'controls whose checks are silent at the as-of date' });
  });
});

describe('evidence requests and whom to ask', () => {
  it('groups controls without evidence by theme, naming who wrote the newest notes there, for the control or else its theme', async () => {
    const v = await viewOf([
      practice('2024-09-12', 'Magnus Haugen', iso('A.5.30')),
      practice('2026-10-02', 'Zoë Ødegård', iso('A.5.18')),
      practice('2026-07-03', 'Sofie Nyström', iso('A.5.18')),
      practice('2026-09-29', 'Magnus Haugen', iso('A.5.24')),
      practice('2026-03-17', 'Sofie Nyström', iso('A.5.19')),
      policy({ title: 'Physical security', author: 'Ingrid Solberg', controls: iso('A.7.4') }),
    ]);
    const organizational = v.evidenceRequests.find((t) => t.framework === 'iso27001-2022' && t.theme === 'Organizational')!;
    expect(organizational.people.map((p) => `${p.name} ${p.control} ${p.date}`)).toEqual(['Zoë Ødegård A.5.18 2026-10-02', 'Magnus Haugen A.5.24 2026-09-29', 'Sofie Nyström A.5.18 2026-07-03']);
    const a530 = organizational.requests.find((r) => r.id === 'A.5.30')!;
    expect(a530).toMatchObject({ askBasis: 'control', onRecord: 'newest evidence of operation 2024-09-12 (not fresh)', ask: [{ name: 'Magnus Haugen', date: '2024-09-12', control: 'A.5.30' }] });
    expect(organizational.requests.find((r) => r.id === 'A.5.7')).toMatchObject({ askBasis: 'theme', onRecord: 'nothing', ask: organizational.people });
    // Fresh practice is no request.
    expect(organizational.requests.map((r) => r.id)).not.toContain('A.5.18');
    const physical = v.evidenceRequests.find((t) => t.theme === 'Physical')!;
    expect(physical.requests.find((r) => r.id === 'A.7.4')).toMatchObject({ askBasis: 'policy', onRecord: 'a policy only', ask: [{ name: 'Ingrid Solberg' }] });
    expect(physical.requests.find((r) => r.id === 'A.7.1')).toMatchObject({ askBasis: 'none', ask: [] });
  });
});

describe('practice no policy describes', () => {
  it('lists controls with practice notes or checks and no policy, people\'s routines first, with the rhythm they keep', async () => {
    const v = await viewOf([
      ...every('2026-05-04', '2026-11-16', 14).map((day) => checkRecord({ file: `checks/${day}.json`, observedAt: `${day}T06:00:00.000Z`, controls: iso('A.8.7') })),
      practice('2026-08-14', 'Kristin Bakke', iso('9.2')),
      practice('2026-10-02', 'Zoë Ødegård', iso('A.5.18')),
      policy({ title: 'Access Control Policy', cadenceDays: 90, controls: iso('A.5.18') }),
    ]);
    expect(v.unwritten.map((u) => [u.id, u.practiceNotes, u.authors, u.occurrences, u.rhythm])).toEqual([
      ['9.2', 1, ['Kristin Bakke'], 1, undefined],
      ['A.8.7', 0, [], 15, 14],
    ]);
  });
});
