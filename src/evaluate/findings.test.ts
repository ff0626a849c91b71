import { describe, expect, it } from 'vitest';
import type { FindingHistory, HistoryEntry, Observation, Snapshot } from '../model/evaluation.js';
import { iso } from '../../test/helpers/records.js';
import { failingIntervals, resolutionOf, SnapshotIndex } from './findings.js';

const ms = (day: string) => Date.parse(`${day}T00:00:00Z`);
const entry = (day: string, status: HistoryEntry['status'], over: Partial<HistoryEntry> = {}): HistoryEntry => ({
  at: ms(day),
  status,
  file: `scans/${day}.json`,
  seq: 0,
  controls: iso('A.8.8'),
  ...over,
});
const snapshot = (day: string, over: Partial<Snapshot> = {}): Snapshot => ({ target: 'img', scope: 'trivy:os-pkgs', at: ms(day), file: `scans/${day}.json`, ...over });
const finding = (entries: HistoryEntry[], over: Partial<FindingHistory> = {}): FindingHistory => ({ target: 'img', scope: 'trivy:os-pkgs', check: 'CVE-1', resource: 'img:openssl', entries, ...over });
const spans = (history: FindingHistory, snapshots: Snapshot[]) =>
  failingIntervals(history, new SnapshotIndex(snapshots)).map((i) => [new Date(i.from).toISOString().slice(0, 10), i.resolution ? `${i.resolution.by} ${new Date(i.resolution.at).toISOString().slice(0, 10)}` : 'open']);

describe('when a finding failed, and what ended it', () => {
  const monthly = ['2026-01-05', '2026-02-05', '2026-03-05', '2026-04-05'].map((d) => snapshot(d));
  it.each<[string, FindingHistory, Snapshot[], string[][]]>([
    ['a later pass', finding([entry('2026-01-05', 'fail'), entry('2026-03-05', 'pass')]), [], [['2026-01-05', 'pass 2026-03-05']]],
    ['a newer scan of the same target that no longer reports it', finding([entry('2026-01-05', 'fail'), entry('2026-02-05', 'fail')]), monthly, [['2026-01-05', 'absent 2026-03-05']]],
    ['a newer scan of another target', finding([entry('2026-01-05', 'fail')]), [snapshot('2026-01-05'), snapshot('2026-02-05', { target: 'other-img' })], [['2026-01-05', 'open']]],
    ['a newer scan of the same target with another scope', finding([entry('2026-01-05', 'fail')]), [snapshot('2026-01-05'), snapshot('2026-02-05', { scope: 'trivy:config' })], [['2026-01-05', 'open']]],
    ['a newer scan that reports passes but did not run the check', finding([entry('2026-01-05', 'fail')]), [snapshot('2026-01-05'), snapshot('2026-02-05', { checks: new Set(['CVE-2']) })], [['2026-01-05', 'open']]],
    ['a newer scan that reports passes and ran the check on other things', finding([entry('2026-01-05', 'fail')]), [snapshot('2026-01-05'), snapshot('2026-02-05', { checks: new Set(['CVE-1']) })], [['2026-01-05', 'absent 2026-02-05']]],
    ['the tool closing it', finding([entry('2026-01-05', 'fail'), entry('2026-02-05', 'skip', { closed: 'archived (RecordState ARCHIVED)' })]), [], [['2026-01-05', 'closed 2026-02-05']]],
    ['nothing: a skipped result says nothing of it', finding([entry('2026-01-05', 'fail'), entry('2026-02-05', 'skip'), entry('2026-03-05', 'fail')]), [], [['2026-01-05', 'open']]],
    ['a pass, then a new failure', finding([entry('2026-01-05', 'fail'), entry('2026-02-05', 'pass'), entry('2026-03-05', 'fail')]), [], [['2026-01-05', 'pass 2026-02-05'], ['2026-03-05', 'open']]],
    [
      'nothing while every newer scan reports it, though a little after the scan began',
      finding([entry('2026-01-05', 'fail', { at: ms('2026-01-05') + 9000 }), entry('2026-02-05', 'fail', { at: ms('2026-02-05') + 9000 })]),
      monthly.slice(0, 2),
      [['2026-01-05', 'open']],
    ],
    ['nothing for an observation that is no snapshot (native rows)', finding([entry('2026-01-05', 'fail')], { target: undefined }), monthly, [['2026-01-05', 'open']]],
  ])('%s', (_case, history, snapshots, expected) => {
    expect(spans(history, snapshots)).toEqual(expected);
  });

  it('keeps the files of the failing observations and of what ended the failure, and the latest severity', () => {
    const [interval] = failingIntervals(finding([entry('2026-01-05', 'fail', { severity: 'high' }), entry('2026-02-05', 'fail', { severity: 'critical' })]), new SnapshotIndex(monthly));
    expect(interval).toMatchObject({ severity: 'critical', files: ['scans/2026-01-05.json', 'scans/2026-02-05.json', 'scans/2026-03-05.json'] });
  });
});

describe('a finding that failed when last observed, at a point in time', () => {
  const latest = (over: Partial<Observation> = {}): Observation => ({ check: 'CVE-1', status: 'fail', file: 'scans/a.json', seq: 0, controls: iso('A.8.8'), earlier: 0, observedAt: '2026-01-05T00:00:00.000Z', target: 'img', scope: 'trivy:os-pkgs', ...over });
  const index = new SnapshotIndex([snapshot('2026-01-05'), snapshot('2026-02-05', { file: 'scans/b.json' })]);
  it('is resolved by a newer snapshot of its target that no longer reports it', () => {
    expect(resolutionOf(latest(), index)).toEqual({ at: ms('2026-02-05'), by: 'absent', file: 'scans/b.json' });
  });
  it('is resolved when its tool closed it', () => {
    expect(resolutionOf(latest({ status: 'skip', closed: 'resolved (Workflow.Status RESOLVED)' }), index)).toMatchObject({ by: 'closed', closed: 'resolved (Workflow.Status RESOLVED)' });
  });
  it('still fails with no newer snapshot, and a pass is never resolved', () => {
    expect(resolutionOf(latest({ observedAt: '2026-02-05T00:00:00.000Z' }), index)).toBeUndefined();
    expect(resolutionOf(latest({ status: 'pass' }), index)).toBeUndefined();
    expect(resolutionOf(latest({ target: undefined }), index)).toBeUndefined();
  });
});
