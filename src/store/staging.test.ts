import { existsSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRecord as check } from '../../test/helpers/records.js';
import { latestOf, withStore } from '../../test/helpers/store.js';
import type { CheckRecord } from '../model/types.js';
import { BundleStaging, releaseStaged, StagingWriter, type StagedRows } from './staging.js';
import type { Store } from './store.js';

/** Stage each file's records in one bundle, as a parse worker reads a bundle of small files. */
function stageBundle(store: Store, files: Record<string, CheckRecord[]>): { bundle: BundleStaging; staged: Record<string, StagedRows> } {
  const bundle = new BundleStaging(store.stagingDir);
  const staged: Record<string, StagedRows> = {};
  for (const [path, records] of Object.entries(files)) {
    const writer = new StagingWriter(store.stagingDir, bundle);
    records.forEach((r, seq) => writer.add({ ...r, file: path }, seq));
    staged[path] = writer.finish()!;
  }
  bundle.close(Object.values(staged));
  return { bundle, staged };
}

const put = (store: Store, path: string, staged: StagedRows) =>
  store.put({ path, sha256: path, settings: 'test', asOf: '2026-11-23', setAside: 0, result: new Uint8Array(), staged });

/** A failing result of `name`, and `n` of them on resources r0, r1, … */
const failing = (name: string) => check({ check: name, status: 'fail', observedAt: '2026-06-02T00:00:00.000Z' });
const rows = (n: number, name: string) => Array.from({ length: n }, (_, i) => ({ ...failing(name), resource: `r${i}` }));

describe('a bundle of files staged together', () => {
  it('is one staging file whose rows each reach their own file in the store, removed when all are loaded', async () => {
    const found = await withStore(async (store) => {
      const { bundle, staged } = stageBundle(store, { 'scans/a.json': rows(2, 'a'), 'scans/b.json': rows(3, 'b') });
      expect(readdirSync(store.stagingDir)).toEqual([basename(bundle.path)]);
      expect(Object.values(staged).map((s) => [s.path, s.shared, s.parts, s.rows])).toEqual([
        [bundle.path, true, 2, 2],
        [bundle.path, true, 2, 3],
      ]);
      // The first file is loaded alone (a query loads what was put): the second's rows stay staged.
      await put(store, 'scans/a.json', staged['scans/a.json']!);
      expect((await latestOf(store)).map((o) => [o.file, o.check])).toEqual([
        ['scans/a.json', 'a'],
        ['scans/a.json', 'a'],
      ]);
      expect(existsSync(bundle.path)).toBe(true);
      await put(store, 'scans/b.json', staged['scans/b.json']!);
      const all = await latestOf(store);
      expect(existsSync(bundle.path)).toBe(false);
      return all;
    });
    expect(found.map((o) => `${o.file} ${o.check} ${o.resource}`).sort()).toEqual([
      'scans/a.json a r0',
      'scans/a.json a r1',
      'scans/b.json b r0',
      'scans/b.json b r1',
      'scans/b.json b r2',
    ]);
  });

  it('leaves out a file dropped while it was read, and a file with more rows than a buffer stages them apart', async () => {
    await withStore(async (store) => {
      const bundle = new BundleStaging(store.stagingDir);
      const dropped = new StagingWriter(store.stagingDir, bundle);
      dropped.add(failing('dropped'), 0);
      dropped.discard();
      // About 200 bytes a row: 10,000 rows are more than the 1 MiB buffer.
      const big = new StagingWriter(store.stagingDir, bundle);
      rows(10_000, 'big').forEach((r, seq) => big.add(r, seq));
      const bigRows = big.finish()!;
      const small = new StagingWriter(store.stagingDir, bundle);
      small.add(failing('small'), 0);
      const smallRows = small.finish()!;
      bundle.close([undefined, bigRows, smallRows]);
      expect(bigRows).toMatchObject({ shared: false, rows: 10_000 });
      expect(bigRows.path).not.toBe(bundle.path);
      expect(smallRows).toMatchObject({ path: bundle.path, shared: true, parts: 1 });
      await put(store, 'scans/big.json', bigRows);
      await put(store, 'scans/small.json', smallRows);
      const checks = new Set((await latestOf(store)).map((o) => o.check));
      expect([...checks].sort()).toEqual(['big', 'small']);
      expect(readdirSync(store.stagingDir)).toEqual([]);
    });
  });

  it('is removed when no file of the bundle staged anything there, and only when its last file is released', async () => {
    await withStore(async (store) => {
      const empty = new BundleStaging(store.stagingDir);
      empty.close([undefined]);
      expect(readdirSync(store.stagingDir)).toEqual([]);
      const { bundle, staged } = stageBundle(store, { 'a.json': rows(1, 'a'), 'b.json': rows(1, 'b'), 'c.json': rows(1, 'c') });
      releaseStaged(staged['a.json']!);
      releaseStaged(staged['b.json']!);
      expect(existsSync(bundle.path)).toBe(true);
      releaseStaged(staged['c.json']!);
      expect(existsSync(bundle.path)).toBe(false);
    });
  });
});
