import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp.js';
import { loadCatalog } from '../catalog/catalog.js';
import { collect } from '../collect/collect.js';
import type { InputSummary } from '../model/types.js';
import { Store } from '../store/store.js';
import { latestAndPasses } from '../../test/helpers/store.js';
import { ingestAll } from './pool.js';
import type { IngestSettings } from './result.js';

const scratch = tempDir('legible-pool-');
let folders = 0;
const folder = (name: string) => join(scratch, `${++folders}-${name}`);

const row = (check: string, status: string, day: number, resource: string) =>
  JSON.stringify({ check, status, observed_at: `2026-11-${String(day).padStart(2, '0')}T00:00:00.000Z`, controls: ['A.8.13'], resource });

/** Many small files and a few large ones, some rejected, the same checks seen in several files. */
function evidence(): string {
  const dir = folder('evidence');
  mkdirSync(join(dir, 'checks'), { recursive: true });
  for (let f = 0; f < 150; f++) {
    const rows = Array.from({ length: f % 10 === 0 ? 12_000 : 5 }, (_, i) => row(`c${i % 7}`, (i + f) % 4 ? 'pass' : 'fail', 10 + (f % 9), `r${i % 50}`));
    writeFileSync(join(dir, 'checks', `f${String(f).padStart(3, '0')}.jsonl`), rows.join('\n'));
  }
  writeFileSync(join(dir, 'checks', 'broken.json'), '{"results": [');
  return dir;
}

/** Read the folder into the store (in `storeDir`, or a temporary one) as a build does. */
async function run(dir: string, workers: number, storeDir?: string, over: Partial<IngestSettings> = {}) {
  const files = await collect({ evidenceDir: dir, maxFileBytes: 1 << 30 });
  const store = await Store.open(storeDir);
  try {
    const inputs: InputSummary[] = [];
    let cached = 0;
    const settings = { asOf: '2026-11-23', mappings: [], stagingDir: store.stagingDir, targets: [], ...over };
    const used = await ingestAll(files, { settings, catalog: loadCatalog(), store, workers }, (result, i) => {
      inputs[i] = result.summary;
      if (result.cached) cached++;
    });
    // Passes are not named: file, order in it and count tell them apart.
    const latest = await latestAndPasses(store);
    const observations = latest.observations.sort((a, b) => a.check.localeCompare(b.check) || (a.resource ?? '').localeCompare(b.resource ?? '') || a.file.localeCompare(b.file) || a.seq - b.seq || a.earlier - b.earlier);
    const passes = latest.passes.sort((a, b) => a.check.localeCompare(b.check) || a.file.localeCompare(b.file) || (a.day ?? '').localeCompare(b.day ?? ''));
    return { used, inputs, observations, passes, findings: observations.length + passes.reduce((n, g) => n + g.count, 0), cached };
  } finally {
    await store.close();
  }
}

describe('reading every file into the store', () => {
  it('gives the same inputs and observations in parse workers as in this thread, and from a kept store', async () => {
    const dir = evidence();
    const alone = await run(dir, 0);
    const pooled = await run(dir, 2);
    expect(pooled.used.workers).toBe(2);
    expect(pooled.inputs).toEqual(alone.inputs);
    expect(pooled.observations).toEqual(alone.observations);
    expect(pooled.passes).toEqual(alone.passes);
    expect(alone.findings).toBe(7 * 50);
    expect(alone.inputs.filter((i) => !i.accepted).map((i) => i.file.path)).toEqual(['checks/broken.json']);

    const storeDir = folder('store');
    const cold = await run(dir, 2, storeDir);
    expect(cold.cached).toBe(0);
    const warm = await run(dir, 2, storeDir);
    // Known hashes are the pipeline's; without them every file is hashed, then found unchanged in the store.
    expect(warm.cached).toBe(151);
    expect(warm.inputs).toEqual(alone.inputs);
    expect(warm.observations).toEqual(alone.observations);
    expect(warm.passes).toEqual(alone.passes);
  });

  it('replaces a changed file, forgets a removed one and keeps the rest', async () => {
    const dir = folder('evidence');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.jsonl'), row('a', 'fail', 20, 'r'));
    writeFileSync(join(dir, 'b.jsonl'), row('b', 'fail', 20, 'r'));
    const storeDir = folder('store');
    await run(dir, 0, storeDir);
    writeFileSync(join(dir, 'a.jsonl'), row('a', 'pass', 21, 'r'));
    rmSync(join(dir, 'b.jsonl'));
    writeFileSync(join(dir, 'c.jsonl'), row('c', 'fail', 20, 'r'));
    const next = await run(dir, 0, storeDir);
    expect(next.observations.map((o) => [o.check, o.status, o.earlier])).toEqual([['c', 'fail', 0]]);
    expect(next.passes.map((g) => [g.check, g.count, g.day])).toEqual([['a', 1, '2026-11-21']]);
  });

  it('takes a stored file only for the same settings, and for an as-of date its result holds for', async () => {
    const dir = folder('evidence');
    mkdirSync(dir);
    writeFileSync(join(dir, 'future.jsonl'), [row('a', 'pass', 20, 'r'), row('a', 'fail', 28, 'r')].join('\n'));
    writeFileSync(join(dir, 'plain.jsonl'), row('b', 'pass', 20, 'r'));
    const storeDir = folder('store');
    expect((await run(dir, 0, storeDir)).cached).toBe(0);
    // The first file set a record aside as dated after 2026-11-23: for another date it is read again.
    const later = await run(dir, 0, storeDir, { asOf: '2026-12-01' });
    expect(later.cached).toBe(1);
    expect(later.observations.find((o) => o.check === 'a')).toMatchObject({ status: 'fail', earlier: 1 });
    // Other mapping rules map the same records otherwise: nothing stored holds.
    const rule = { check: 'b', controls: [{ framework: 'soc2-2017' as const, id: 'A1.2' }], label: 'config rule 1' };
    const mapped = await run(dir, 0, storeDir, { asOf: '2026-12-01', mappings: [rule] });
    expect(mapped.cached).toBe(0);
    expect(mapped.passes.find((g) => g.check === 'b')?.controls.map((c) => c.id)).toContain('A1.2');
  });

  it('starts a store afresh that cannot be opened, and builds without one that cannot be made', async () => {
    const dir = folder('evidence');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.jsonl'), row('a', 'pass', 20, 'r'));
    const storeDir = folder('store');
    mkdirSync(storeDir);
    writeFileSync(join(storeDir, 'legible.duckdb'), 'not a database');
    expect((await run(dir, 0, storeDir)).findings).toBe(1);
    expect((await run(dir, 0, storeDir)).cached).toBe(1);
    const blocked = folder('blocked');
    writeFileSync(blocked, 'a file where the store folder should be');
    expect((await run(dir, 0, join(blocked, 'store'))).findings).toBe(1);
  });
});
