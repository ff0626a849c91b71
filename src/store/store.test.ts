import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkRecord as check, iso } from '../../test/helpers/records.js';
import { latestAndPasses, latestOf, putRecords, withStore } from '../../test/helpers/store.js';
import type { Observation } from '../model/evaluation.js';
import type { CheckRecord } from '../model/types.js';
import { SCHEMA, SCHEMA_VERSION } from './store.js';

const byPair = (a: Observation, b: Observation) => a.check.localeCompare(b.check) || (a.resource ?? '').localeCompare(b.resource ?? '') || a.file.localeCompare(b.file);
const latest = (records: CheckRecord[]) =>
  withStore(async (store) => {
    await putRecords(store, records);
    return (await latestOf(store)).sort(byPair);
  });
const latestWithPasses = (records: CheckRecord[]) =>
  withStore(async (store) => {
    await putRecords(store, records);
    const found = await latestAndPasses(store);
    return { observations: found.observations.sort(byPair), passes: found.passes.sort((a, b) => a.check.localeCompare(b.check) || a.file.localeCompare(b.file) || (a.day ?? '').localeCompare(b.day ?? '')) };
  });

describe('the newest observation of each check on each resource', () => {
  it('names what does not pass and only counts what passes, by check, controls, file and day', async () => {
    const { observations, passes } = await latestWithPasses([
      check({ check: 'a', resource: 'r1', status: 'pass', message: 'fine', title: 'A check', severity: 'low' }),
      check({ check: 'a', resource: 'r3', status: 'pass', observedAt: '2026-11-20T09:00:00.000Z' }),
      check({ check: 'a', resource: 'r4', status: 'pass', observedAt: '2026-11-19T09:00:00.000Z' }),
      check({ check: 'b', resource: 'r2', status: 'fail', message: 'broken', severity: 'high' }),
    ]);
    expect(passes).toEqual([
      { check: 'a', controls: check().controls, file: 'checks/backup.json', day: '2026-11-19', newest: '2026-11-19T09:00:00.000Z', count: 1 },
      { check: 'a', controls: check().controls, file: 'checks/backup.json', day: '2026-11-20', newest: '2026-11-20T09:00:00.000Z', count: 2 },
    ]);
    expect(observations).toEqual([{ check: 'b', resource: 'r2', status: 'fail', message: 'broken', severity: 'high', seq: 3, file: 'checks/backup.json', controls: check().controls, earlier: 0, observedAt: '2026-11-20T08:00:00.000Z' }]);
  });

  it('keeps an observation time as it was written, and none for an undated one', async () => {
    const [odd, undated] = await latest([check({ check: 'odd', status: 'fail', observedAt: '2026-11-20T08:00:00+01:00' }), check({ check: 'undated', status: 'fail', observedAt: undefined })]);
    expect(odd?.observedAt).toBe('2026-11-20T08:00:00+01:00');
    expect(undated).not.toHaveProperty('observedAt');
    const { passes } = await latestWithPasses([check({ check: 'undated', observedAt: undefined })]);
    expect(passes).toEqual([{ check: 'undated', controls: check().controls, file: 'checks/backup.json', count: 1 }]);
  });

  it('ranks an undated observation oldest, and breaks ties by the later file, then the later record', async () => {
    const undated = await latest([check({ status: 'fail', resource: 'r' }), check({ status: 'error', resource: 'r', observedAt: undefined, file: 'z.json' })]);
    expect(undated).toMatchObject([{ status: 'fail', earlier: 1 }]);
    const sameFile = await latest([check({ status: 'fail', resource: 'r' }), check({ status: 'error', resource: 'r' })]);
    expect(sameFile).toMatchObject([{ status: 'error', seq: 1, earlier: 1 }]);
    const laterFile = await latest([check({ status: 'skip', resource: 'r', file: 'checks/zz.json' }), check({ status: 'error', resource: 'r' })]);
    expect(laterFile).toMatchObject([{ status: 'skip', file: 'checks/zz.json', earlier: 1 }]);
  });

  it('gives the same answer whatever order the files are put in', async () => {
    const files = [0, 1, 2].flatMap((f) =>
      Array.from({ length: 30 }, (_, i) =>
        check({
          file: `checks/f${f}.json`,
          check: `c${i % 4}`,
          resource: `r${i % 7}`,
          status: (['pass', 'fail', 'error'] as const)[(i + f) % 3],
          observedAt: `2026-11-${String(10 + ((i * (f + 1)) % 9)).padStart(2, '0')}T00:00:00.000Z`,
          message: `m${f}-${i}`,
        }),
      ),
    );
    const inOrder = await latestWithPasses(files);
    expect(inOrder.observations.length + inOrder.passes.reduce((n, g) => n + g.count, 0)).toBe(4 * 7);
    for (const order of [[2, 0, 1], [1, 2, 0]]) {
      const reordered = order.flatMap((f) => files.filter((r) => r.file === `checks/f${f}.json`));
      expect(await latestWithPasses(reordered)).toEqual(inOrder);
    }
  });

  it('shares one list of controls between observations mapped the same way', async () => {
    const [a, b] = await latest([check({ resource: 'r1', status: 'fail', controls: iso('A.8.13') }), check({ resource: 'r2', status: 'fail', controls: iso('A.8.13') })]);
    expect(a!.controls).toEqual(iso('A.8.13'));
    expect(a!.controls).toBe(b!.controls);
  });

  it('cuts a long message to a report line', async () => {
    const [o] = await latest([check({ status: 'fail', message: 'x'.repeat(1000) })]);
    expect(o!.message).toBe(`${'x'.repeat(400)}…`);
  });
});

describe('findings across snapshots', () => {
  const scan = (month: number, over: Partial<CheckRecord>): CheckRecord =>
    check({ file: `scans/2026-0${month}.json`, format: 'trivy', target: 'registry.example.com/checkout-api', scope: 'trivy:os-pkgs', status: 'fail', observedAt: `2026-0${month}-05T00:00:00.000Z`, ...over });

  it('is one finding across image tags: the identity, not the tagged resource, names it', async () => {
    const found = await latest([
      scan(1, { check: 'CVE-2026-1', resource: 'checkout-api:2026.01 (debian 12):openssl', identity: 'registry.example.com/checkout-api:openssl' }),
      scan(2, { check: 'CVE-2026-1', resource: 'checkout-api:2026.02 (debian 12):openssl', identity: 'registry.example.com/checkout-api:openssl' }),
    ]);
    expect(found).toMatchObject([{ check: 'CVE-2026-1', resource: 'checkout-api:2026.02 (debian 12):openssl', earlier: 1, target: 'registry.example.com/checkout-api' }]);
  });

  it('gives every snapshot of a target with its time, and the checks it ran when it reports passes', async () => {
    const snapshots = await withStore(async (store) => {
      await putRecords(store, [
        scan(1, { check: 'CVE-1', resource: 'a' }),
        scan(2, { check: 'CVE-2', resource: 'a' }),
        check({ file: 'scans/prowler.json', target: 'aws 1 eu-west-1', scope: 'prowler-ocsf', check: 'iam_mfa', status: 'pass', resource: 'u1' }),
        check({ file: 'scans/prowler.json', target: 'aws 1 eu-west-1', scope: 'prowler-ocsf', check: 'iam_mfa', status: 'fail', resource: 'u2' }),
        check({ file: 'checks/native.json', check: 'backup', resource: 'db' }),
      ]);
      return store.snapshots(Date.parse('2026-12-31T00:00:00Z'));
    });
    expect(snapshots.map((s) => [s.target, s.scope, new Date(s.at).toISOString().slice(0, 10), s.file, s.checks ? [...s.checks] : undefined])).toEqual([
      ['aws 1 eu-west-1', 'prowler-ocsf', '2026-11-20', 'scans/prowler.json', ['iam_mfa']],
      ['registry.example.com/checkout-api', 'trivy:os-pkgs', '2026-01-05', 'scans/2026-01.json', undefined],
      ['registry.example.com/checkout-api', 'trivy:os-pkgs', '2026-02-05', 'scans/2026-02.json', undefined],
    ]);
  });

  it('gives the history of each finding that ever failed, oldest first, and what each control\'s checks did day by day', async () => {
    const { histories, activity } = await withStore(async (store) => {
      await putRecords(store, [
        scan(1, { check: 'CVE-1', resource: 'a', severity: 'high' }),
        scan(3, { check: 'CVE-1', resource: 'a', status: 'pass' }),
        scan(2, { check: 'CVE-2', resource: 'b', status: 'pass' }),
        scan(2, { check: 'CVE-1', resource: 'a' }),
      ]);
      const found: unknown[] = [];
      for await (const h of store.failingHistories(Date.parse('2026-12-31T00:00:00Z'))) found.push([h.check, h.entries.map((e) => [new Date(e.at).toISOString().slice(0, 10), e.status, e.file])]);
      return { histories: found, activity: await store.controlActivity(Date.parse('2026-12-31T00:00:00Z')) };
    });
    expect(histories).toEqual([
      [
        'CVE-1',
        [
          ['2026-01-05', 'fail', 'scans/2026-01.json'],
          ['2026-02-05', 'fail', 'scans/2026-02.json'],
          ['2026-03-05', 'pass', 'scans/2026-03.json'],
        ],
      ],
    ]);
    expect(activity.activity).toEqual([{ framework: 'iso27001-2022', id: 'A.8.13', days: new Map([['2026-01-05', 1], ['2026-02-05', 2], ['2026-03-05', 1]]) }]);
    expect([...activity.withChecks]).toEqual(['iso27001-2022:A.8.13']);
  });
});

describe('a control\'s population', () => {
  it('lists each verdict once per finding and time, oldest first, with the file, its hash and the place', async () => {
    const rows = await withStore(async (store) => {
      await putRecords(store, [
        check({ check: 'b', resource: 'r1', observedAt: '2026-06-02T00:00:00.000Z', place: { line: 3 } }),
        check({ check: 'a', resource: 'r1', status: 'fail', observedAt: '2026-06-02T00:00:00.000Z', place: { line: 1 } }),
        check({ check: 'a', resource: 'r1', status: 'skip', observedAt: '2026-06-03T00:00:00.000Z' }),
        check({ check: 'a', resource: 'r1', observedAt: '2026-05-01T00:00:00.000Z' }),
        check({ check: 'a', resource: 'r1', status: 'fail', observedAt: '2026-06-02T00:00:00.000Z', file: 'checks/copy.json' }),
        check({ check: 'c', resource: 'r2', observedAt: '2026-06-04T00:00:00.000Z', controls: iso('A.8.9') }),
      ]);
      const found = [];
      for await (const chunk of store.population('iso27001-2022', 'A.8.13', Date.parse('2026-06-01T00:00:00Z'), Date.parse('2026-06-30T23:59:59.999Z'))) found.push(...chunk);
      return found;
    });
    expect(rows.map((r) => [r.observedAt.slice(0, 10), r.check, r.status, r.file, r.sha256, r.place?.line])).toEqual([
      ['2026-06-02', 'a', 'fail', 'checks/backup.json', 'test', 1],
      ['2026-06-02', 'b', 'pass', 'checks/backup.json', 'test', 3],
    ]);
  });
});

describe('the files a control\'s population cites', () => {
  it('are those with a verdict in the period that no file before them holds as well', async () => {
    const cited = await withStore(async (store) => {
      await putRecords(store, [
        check({ check: 'a', resource: 'r1', status: 'fail', observedAt: '2026-06-02T00:00:00.000Z' }),
        check({ check: 'a', resource: 'r1', status: 'fail', observedAt: '2026-06-02T00:00:00.000Z', file: 'checks/copy.json' }),
        check({ check: 'a', resource: 'r2', observedAt: '2026-06-05T00:00:00.000Z', file: 'checks/later.json' }),
        check({ check: 'a', resource: 'r1', observedAt: '2026-07-02T00:00:00.000Z', file: 'checks/july.json' }),
        check({ check: 'a', resource: 'r3', status: 'skip', observedAt: '2026-06-03T00:00:00.000Z', file: 'checks/skipped.json' }),
      ]);
      const june: [number, number] = [Date.parse('2026-06-01T00:00:00Z'), Date.parse('2026-06-30T23:59:59.999Z')];
      const paths = ['checks/backup.json', 'checks/copy.json', 'checks/later.json', 'checks/july.json', 'checks/skipped.json', 'checks/absent.json'];
      return {
        all: await store.populationFiles('iso27001-2022', 'A.8.13', ...june, paths),
        none: await store.populationFiles('iso27001-2022', 'A.8.13', ...june, ['checks/july.json', 'checks/skipped.json']),
        otherControl: await store.populationFiles('iso27001-2022', 'A.8.9', ...june, paths),
      };
    });
    expect([...cited.all].sort()).toEqual(['checks/backup.json', 'checks/later.json']);
    expect(cited.none.size).toBe(0);
    expect(cited.otherControl.size).toBe(0);
  });
});

describe('a clean scan', () => {
  it('is a snapshot though it reports nothing, and a file of errors alone is none', async () => {
    const snapshots = await withStore(async (store) => {
      await putRecords(store, [
        check({ file: 'scans/jan.json', target: 'img', scope: 'trivy:os-pkgs', check: 'CVE-1', status: 'fail', observedAt: '2026-01-05T00:00:00.000Z' }),
        check({ file: 'scans/failed-run.sarif', target: 'repo', scope: 'sarif:semgrep', check: 'semgrep:run-failed', status: 'error', observedAt: '2026-02-01T00:00:00.000Z' }),
      ]);
      await store.put({ path: 'scans/feb.json', sha256: 'x', settings: 'test', asOf: '2026-11-23', setAside: 0, result: new Uint8Array(), snapshots: [{ target: 'img', scope: 'trivy:os-pkgs', at: Date.parse('2026-02-05T00:00:00Z') }] });
      return store.snapshots(Date.parse('2026-12-31T00:00:00Z'));
    });
    expect(snapshots.map((s) => [s.target, s.file, new Date(s.at).toISOString().slice(0, 10), s.checks])).toEqual([
      ['img', 'scans/feb.json', '2026-02-05', undefined],
      ['img', 'scans/jan.json', '2026-01-05', undefined],
    ].sort((a, b) => String(a[2]).localeCompare(String(b[2]))));
  });
});

describe('the store\'s tables', () => {
  // A store kept by an older legible is emptied and filled again only when the version differs: two
  // branches that each changed the tables under the same version left old stores unreadable.
  it('change only with a new schema version (update both lines together)', () => {
    const tables = createHash('sha256').update(SCHEMA.join('\n')).digest('hex');
    expect({ version: SCHEMA_VERSION, tables }).toEqual({ version: '5', tables: '5ede92ab223cc7d8b79efb0d46dabd15e787e1aa87a0a0750fa7512a2298ba3e' });
  });
});
