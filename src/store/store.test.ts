import { describe, expect, it } from 'vitest';
import { checkRecord as check, iso } from '../../test/helpers/records.js';
import { latestOf, putRecords, withStore } from '../../test/helpers/store.js';
import type { Observation } from '../model/evaluation.js';
import type { CheckRecord } from '../model/types.js';

const byPair = (a: Observation, b: Observation) => a.check.localeCompare(b.check) || (a.resource ?? '').localeCompare(b.resource ?? '') || a.file.localeCompare(b.file);
const latest = (records: CheckRecord[]) =>
  withStore(async (store) => {
    await putRecords(store, records);
    return (await latestOf(store)).sort(byPair);
  });

describe('the newest observation of each check on each resource', () => {
  it('names what does not pass and only counts what passes', async () => {
    const [pass, fail] = await latest([
      check({ check: 'a', resource: 'r1', status: 'pass', message: 'fine', title: 'A check', severity: 'low' }),
      check({ check: 'b', resource: 'r2', status: 'fail', message: 'broken', severity: 'high' }),
    ]);
    expect(pass).toEqual({ check: 'a', title: 'A check', status: 'pass', file: 'checks/backup.json', seq: 0, controls: check().controls, earlier: 0, observedAt: '2026-11-20T08:00:00.000Z', severity: 'low' });
    expect(fail).toMatchObject({ check: 'b', resource: 'r2', status: 'fail', message: 'broken', severity: 'high', seq: 1 });
  });

  it('keeps an observation time as it was written, and none for an undated one', async () => {
    const [odd, undated] = await latest([check({ check: 'odd', observedAt: '2026-11-20T08:00:00+01:00' }), check({ check: 'undated', observedAt: undefined })]);
    expect(odd?.observedAt).toBe('2026-11-20T08:00:00+01:00');
    expect(undated).not.toHaveProperty('observedAt');
  });

  it('ranks an undated observation oldest, and breaks ties by the later file, then the later record', async () => {
    const undated = await latest([check({ status: 'fail', resource: 'r' }), check({ status: 'pass', resource: 'r', observedAt: undefined, file: 'z.json' })]);
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
    const inOrder = await latest(files);
    expect(inOrder).toHaveLength(4 * 7);
    for (const order of [[2, 0, 1], [1, 2, 0]]) {
      const reordered = order.flatMap((f) => files.filter((r) => r.file === `checks/f${f}.json`));
      expect(await latest(reordered)).toEqual(inOrder);
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
