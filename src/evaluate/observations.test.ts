import { describe, expect, it } from 'vitest';
import { checkRecord as check } from '../../test/helpers/records.js';
import { ObservationIndex, pairKey } from './observations.js';

const rows = (index: ObservationIndex) => [...index.values()].sort((a, b) => a.check.localeCompare(b.check) || (a.resource ?? '').localeCompare(b.resource ?? ''));

describe('ObservationIndex', () => {
  it('names what does not pass and only counts what passes', () => {
    const index = new ObservationIndex();
    index.add(check({ check: 'a', resource: 'r1', status: 'pass', message: 'fine', title: 'A check', severity: 'low' }), 0);
    index.add(check({ check: 'b', resource: 'r2', status: 'fail', message: 'broken', severity: 'high' }), 1);
    const [pass, fail] = rows(index);
    expect(pass).toEqual({ check: 'a', title: 'A check', status: 'pass', file: 'checks/backup.json', seq: 0, controls: check().controls, earlier: 0, observedAt: '2026-11-20T08:00:00.000Z', severity: 'low' });
    expect(fail).toMatchObject({ check: 'b', resource: 'r2', status: 'fail', message: 'broken', severity: 'high', seq: 1 });
  });

  it('keeps an observation time it cannot hold as a number as it was written', () => {
    const index = new ObservationIndex();
    index.add(check({ check: 'odd', observedAt: '2026-11-20T08:00:00+01:00' }), 0);
    index.add(check({ check: 'undated', observedAt: undefined }), 1);
    const [odd, undated] = rows(index);
    expect(odd?.observedAt).toBe('2026-11-20T08:00:00+01:00');
    expect(undated).not.toHaveProperty('observedAt');
  });

  it('an undated observation never supersedes a dated one, and ties go to the later file, then record', () => {
    const index = new ObservationIndex();
    index.add(check({ status: 'fail', resource: 'r' }), 0);
    index.add(check({ status: 'pass', resource: 'r', observedAt: undefined, file: 'z.json' }), 0);
    expect(rows(index)[0]).toMatchObject({ status: 'fail', earlier: 1 });
    index.add(check({ status: 'error', resource: 'r', file: 'checks/backup.json' }), 5);
    expect(rows(index)[0]).toMatchObject({ status: 'error', seq: 5, earlier: 2 });
    index.add(check({ status: 'skip', resource: 'r', file: 'checks/zz.json' }), 0);
    expect(rows(index)[0]).toMatchObject({ status: 'skip', file: 'checks/zz.json', earlier: 3 });
  });

  it('merging per-file batches gives the same index in any order, as adding every record to one index does', () => {
    const files = [0, 1, 2].map((f) =>
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
    const whole = new ObservationIndex();
    files.forEach((records) => records.forEach((r, seq) => whole.add(r, seq)));
    const staged = files.map((records) => {
      const index = new ObservationIndex();
      records.forEach((r, seq) => index.add(r, seq));
      return index.toBatch();
    });
    for (const order of [[0, 1, 2], [2, 0, 1], [1, 2, 0]]) {
      const merged = new ObservationIndex();
      for (const i of order) merged.merge(staged[i]!);
      expect(rows(merged)).toEqual(rows(whole));
    }
    expect(whole.size).toBe(4 * 7);
  });

  it('shares one list of controls between observations mapped the same way', () => {
    const index = new ObservationIndex();
    index.add(check({ resource: 'r1', controls: [{ framework: 'iso27001-2022', id: 'A.8.13', source: 'explicit' }] }), 0);
    index.add(check({ resource: 'r2', controls: [{ framework: 'iso27001-2022', id: 'A.8.13', source: 'explicit' }] }), 1);
    const [a, b] = rows(index);
    expect(a!.controls).toBe(b!.controls);
  });

  it('tells pairs apart by check and resource', () => {
    expect(pairKey('a', 'b')).not.toBe(pairKey('a', 'c'));
    expect(pairKey('a\u0000b', undefined)).not.toBe(pairKey('a', 'b\u0000'));
    expect(pairKey('a', 'b')).toHaveLength(12);
  });
});
