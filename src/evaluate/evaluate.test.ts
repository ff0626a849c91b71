import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/catalog.js';
import type { ControlMapping, EvidenceRecord } from '../model/types.js';
import { isFutureDated } from './evaluate.js';
import { evaluateRecords, latestAndPasses, putRecords, withStore } from '../../test/helpers/store.js';
import { checkRecord, noteRecord } from '../../test/helpers/records.js';

const catalog = loadCatalog();
const asOf = '2026-11-23';
const freshness = { checksDays: 30, notesDays: 365 };
const to = (id = 'A.8.13', source: ControlMapping['source'] = 'explicit'): ControlMapping[] => [{ framework: 'iso27001-2022', id, source }];

const check = checkRecord;
const note = noteRecord;

async function statusOf(records: EvidenceRecord[], options: { id?: string; exclusions?: Map<string, { justification: string }> } = {}) {
  const evaluation = await evaluateRecords(records, { catalog, asOf, freshness, exclusions: options.exclusions ?? new Map() });
  const control = evaluation.controls.find((c) => c.framework === 'iso27001-2022' && c.id === (options.id ?? 'A.8.13'))!;
  return control;
}

describe('evaluate: one status per control, with reasons', () => {
  it.each<[string, EvidenceRecord[], string, RegExp]>([
    ['nothing maps to it', [], 'no-evidence', /No evidence maps to this control/],
    ['a fresh passing check', [check()], 'effective', /Fresh evidence of operation: 1 passing check, newest from 2026-11-20/],
    ['a fresh practice note', [note()], 'effective', /1 practice note/],
    ['a check failing in its latest observation', [check({ status: 'fail', resource: 'db-1' })], 'deficient', /fails in its latest observation: backup\.restore-test on db-1/],
    ['an earlier failure remediated by a later pass', [check({ status: 'fail', observedAt: '2026-11-01T00:00:00Z' }), check()], 'effective', /passing check/],
    ['a pass superseded by a later failure', [check(), check({ status: 'fail', observedAt: '2026-11-22T00:00:00Z' })], 'deficient', /fails/],
    ['only old evidence', [check({ observedAt: '2026-09-01T00:00:00Z' }), note({ date: '2024-06-01' })], 'stale', /newest is from 2026-09-01, 83 days before 2026-11-23/],
    ['a policy alone', [note({ kind: 'policy' })], 'no-evidence', /Only policy \(work as imagined\)/],
    ['an active exception alone', [note({ kind: 'exception', expires: '2027-03-01' })], 'no-evidence', /Only an accepted exception/],
    ['an expired exception', [check(), note({ kind: 'exception', title: 'Legacy NAS', expires: '2026-09-30' })], 'deficient', /Exception "Legacy NAS" expired on 2026-09-30/],
    ['skipped and manual results only', [check({ status: 'skip' }), check({ status: 'manual', resource: 'x' })], 'no-evidence', /Only skipped, errored or manual/],
    ['a missed policy cadence', [note({ kind: 'policy', title: 'Backup policy', cadenceDays: 90 }), note({ date: '2026-06-01' })], 'deficient', /every 90 days; the newest practice or check evidence is from 2026-06-01, 175 days/],
    ['a policy cadence never carried out', [note({ kind: 'policy', title: 'Backup policy', cadenceDays: 90 })], 'deficient', /no practice note or check shows it was ever done/],
    ['a kept policy cadence', [note({ kind: 'policy', cadenceDays: 90 }), note({ date: '2026-10-01' })], 'effective', /practice note/],
    ['an undated passing check', [check({ observedAt: undefined })], 'no-evidence', /no observation date/],
    ['crosswalked evidence', [check({ controls: to('A.8.13', 'crosswalk') })], 'effective', /through the SOC 2 ↔ ISO\/IEC 27001 crosswalk/],
  ])('%s', async (_case, records, status, reason) => {
    const control = await statusOf(records);
    expect(control.status).toBe(status);
    expect(control.reasons.join('\n')).toMatch(reason);
  });

  it('freshness windows are inclusive at their edge', async () => {
    expect((await statusOf([check({ observedAt: '2026-10-24T23:59:00Z' })])).status).toBe('effective');
    expect((await statusOf([check({ observedAt: '2026-10-23T00:00:00Z' })])).status).toBe('stale');
    expect((await statusOf([note({ date: '2025-11-23' })])).status).toBe('effective');
    expect((await statusOf([note({ date: '2025-11-22' })])).status).toBe('stale');
  });

  it('an exclusion wins, keeps its justification and still reports failures', async () => {
    const control = await statusOf([check({ status: 'fail' })], { exclusions: new Map([['iso27001-2022:A.8.13', { justification: 'No backups are kept: stateless service.' }]]) });
    expect(control.status).toBe('not-applicable');
    expect(control.reasons[0]).toBe('Excluded from scope: No backups are kept: stateless service.');
    expect(control.reasons[1]).toMatch(/Evidence still mapped here shows problems/);
  });

  it('an active exception does not hide a failing check', async () => {
    const control = await statusOf([check({ status: 'fail' }), note({ kind: 'exception', title: 'Known gap', expires: '2027-01-01' })]);
    expect(control.status).toBe('deficient');
    expect(control.reasons.join(' ')).toMatch(/Accepted risk "Known gap" .* applies until 2027-01-01/);
  });

  it('evaluates every control of both frameworks, each exactly once', async () => {
    const evaluation = await evaluateRecords([], { catalog, asOf, freshness, exclusions: new Map() });
    const total = catalog.frameworks.reduce((n, f) => n + f.controls.length, 0);
    expect(evaluation.controls).toHaveLength(total);
    expect(new Set(evaluation.controls.map((c) => `${c.framework}:${c.id}`)).size).toBe(total);
  });

  it('sets aside evidence dated after the as-of date', () => {
    expect(isFutureDated(check(), asOf)).toBe(false);
    expect(isFutureDated(check({ observedAt: '2026-11-24T00:00:00Z' }), asOf)).toBe(true);
    expect(isFutureDated(note({ date: '2026-11-23' }), asOf)).toBe(false);
  });

  it('keeps only the newest observation per check and resource, whatever order they arrive in', async () => {
    const records = [
      check({ check: 'backup.a', resource: 'a', status: 'fail', observedAt: '2026-11-01T00:00:00Z' }),
      check({ check: 'backup.a', resource: 'a', status: 'pass', observedAt: '2026-11-02T00:00:00Z' }),
      check({ check: 'backup.b', resource: 'b', status: 'fail' }),
      check({ check: 'backup.b', resource: 'b', status: 'pass', file: 'checks/a-earlier-file.json' }),
    ];
    for (const order of [records, [...records].reverse()]) {
      const latest = await withStore(async (store) => {
        await putRecords(store, order);
        return latestAndPasses(store);
      });
      expect(latest.observations.map((o) => [o.check, o.status, o.earlier])).toEqual([['backup.b', 'fail', 1]]);
      expect(latest.passes.map((g) => [g.check, g.count, g.day])).toEqual([['backup.a', 1, '2026-11-02']]);
    }
  });

  it('counts every failing observation but names only the worst as examples', async () => {
    const many = Array.from({ length: 40 }, (_, i) => check({ status: 'fail', resource: `r${String(i).padStart(2, '0')}`, severity: i === 37 ? 'critical' : 'low' }));
    const control = await statusOf(many);
    expect(control.checks.counts.fail).toBe(40);
    expect(control.checks.failing).toHaveLength(25);
    expect(control.checks.failing[0]?.resource).toBe('r37');
    expect(control.reasons[0]).toMatch(/^40 automated checks of 40 fail in their latest observation: backup\.restore-test on r37 .*; and 35 more\.$/);
  });
});

describe('crosswalked policies', () => {
  it('a cadence applies only where the policy names the control', async () => {
    const policy = note({ kind: 'policy', cadenceDays: 90, controls: to('A.8.13', 'crosswalk') });
    const control = await statusOf([policy, note({ date: '2026-01-01' })]);
    expect(control.status).toBe('effective');
    const named = await statusOf([{ ...policy, controls: to('A.8.13') }, note({ date: '2026-01-01' })]);
    expect(named.status).toBe('deficient');
  });
});

describe('policy and practice divergence', () => {
  it('names a gap in the recorded activity wider than the cadence, without changing a kept cadence', async () => {
    const policy = note({ kind: 'policy', title: 'Review standard', cadenceDays: 30 });
    const control = await statusOf([policy, note({ date: '2026-07-21' }), note({ date: '2026-09-14' }), note({ date: '2026-11-03' })]);
    expect(control.status).toBe('effective');
    expect(control.reasons.join(' ')).toMatch(/Policy and practice diverge: "Review standard" requires this every 30 days, but the recorded activity has a gap of 55 days \(2026-07-21 to 2026-09-14\)/);
  });
});

describe('work as done is a history', () => {
  const scan = (month: number, cves: string[]) =>
    cves.map((cve) =>
      check({
        file: `scans/trivy-2026-0${month}.json`,
        format: 'trivy',
        check: cve,
        status: 'fail',
        severity: 'high',
        observedAt: `2026-0${month}-05T00:00:00.000Z`,
        resource: `registry.example.com/checkout-api:2026.0${month} (debian 12):pkg-${cve}`,
        identity: `registry.example.com/checkout-api:pkg-${cve}`,
        target: 'registry.example.com/checkout-api',
        scope: 'trivy:os-pkgs',
        controls: to('A.8.8'),
      }),
    );

  it('monthly scans of one image tagged anew: a finding the newest scan no longer reports is resolved, not failing', async () => {
    const records = [...scan(1, ['CVE-A', 'CVE-B', 'CVE-C']), ...scan(2, ['CVE-B', 'CVE-C']), ...scan(3, ['CVE-C', 'CVE-D'])];
    const evaluation = await evaluateRecords(records, { catalog, asOf: '2026-03-20', freshness, exclusions: new Map() });
    const a88 = evaluation.controls.find((c) => c.id === 'A.8.8')!;
    expect(a88.checks.counts.fail).toBe(2);
    expect(a88.checks.failing.map((f) => f.check)).toEqual(['CVE-C', 'CVE-D']);
    expect(a88.checks.resolved.count).toBe(2);
    expect(a88.reasons.join(' ')).toMatch(/2 findings that failed when last observed are resolved since .*CVE-A on .* no longer reported by a newer scan of the same target on 2026-02-05/);
    expect(evaluation.findings).toMatchObject({ resolved: 2, failingBySeverity: { high: 2 } });
  });

  it('an MFA check that failed for two months of the period is not effective over it, though it passes now', async () => {
    const mfa = (month: string, status: 'pass' | 'fail') =>
      check({ file: `scans/prowler-${month}.json`, format: 'prowler-ocsf', check: 'iam_user_mfa_enabled_console_access', resource: 'arn:aws:iam::1:user/admin', status, observedAt: `${month}-03T00:00:00.000Z`, target: 'aws 1 eu-west-1', scope: 'prowler-ocsf', severity: 'high', controls: to('A.8.5') });
    const records = [mfa('2025-12', 'pass'), mfa('2026-01', 'pass'), mfa('2026-02', 'fail'), mfa('2026-03', 'fail'), mfa('2026-04', 'pass'), mfa('2026-05', 'pass'), mfa('2026-06', 'pass')];
    const evaluation = await evaluateRecords(records, { catalog, asOf: '2026-06-30', period: { from: '2026-01-01', to: '2026-06-30' }, freshness, exclusions: new Map() });
    const a85 = evaluation.controls.find((c) => c.id === 'A.8.5')!;
    expect(a85.status).toBe('effective');
    expect(a85.period?.status).toBe('deviations');
    expect(a85.period?.deviations).toMatchObject([{ kind: 'check-failed', from: '2026-02-03', to: '2026-04-03', open: false, check: 'iam_user_mfa_enabled_console_access', severity: 'high' }]);
    expect(a85.period?.deviations[0]?.reason).toMatch(/failed from 2026-02-03; passes since 2026-04-03/);
    expect(a85.period?.population).toBe(6);
    expect(evaluation.remediation.bySeverity.high).toEqual({ opened: 1, resolved: 1, withinSla: 0, breached: 1, open: 0 });
    // The monthly trend is for documents: evaluated only when asked for.
    expect(evaluation.trend).toBeUndefined();
    const withTrend = await evaluateRecords(records, { catalog, asOf: '2026-06-30', period: { from: '2026-01-01', to: '2026-06-30' }, freshness, exclusions: new Map(), trend: true });
    expect(withTrend.trend?.map((p) => p.asOf)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30']);
    expect({ ...withTrend, trend: undefined }).toEqual({ ...evaluation, trend: undefined });
  });
});

describe('the days checks ran', () => {
  it('lists every day a check mapped here ran to a verdict, over the whole history, not only the newest observations', async () => {
    const run = (day: string, status: 'pass' | 'fail' | 'skip') => check({ file: `checks/${day}.json`, status, observedAt: `${day}T08:00:00.000Z` });
    const records = [run('2026-09-02', 'pass'), run('2026-10-07', 'fail'), run('2026-10-07', 'pass'), run('2026-11-04', 'pass'), run('2026-11-11', 'skip'), run('2026-12-01', 'pass')];
    const evaluation = await evaluateRecords(records, { catalog, asOf, freshness, exclusions: new Map() });
    const control = (id: string) => evaluation.controls.find((c) => c.framework === 'iso27001-2022' && c.id === id)!;
    // A skipped check is no verdict, and evidence after the as-of date did not exist then.
    expect(control('A.8.13').checkDays).toEqual(['2026-09-02', '2026-10-07', '2026-11-04']);
    expect(control('A.8.8').checkDays).toBeUndefined();
  });

  it('are not read for a point-in-time status alone (a trend point)', async () => {
    const evaluation = await evaluateRecords([check()], { catalog, asOf, freshness, exclusions: new Map(), statusOnly: true });
    expect(evaluation.controls.find((c) => c.id === 'A.8.13')!.checkDays).toBeUndefined();
  });
});
