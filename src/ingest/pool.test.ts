import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/catalog.js';
import { collect } from '../collect/collect.js';
import { ObservationIndex } from '../evaluate/observations.js';
import type { InputSummary } from '../model/types.js';
import { ingestAll } from './pool.js';
import { tempDir } from '../../test/helpers/temp.js';

/** Many small files and a few large ones, some rejected, the same checks seen in several files. */
function evidence(): string {
  const dir = join(tempDir('legible-pool-'), 'evidence');
  mkdirSync(join(dir, 'checks'), { recursive: true });
  for (let f = 0; f < 150; f++) {
    const rows = Array.from({ length: f % 10 === 0 ? 12_000 : 5 }, (_, i) =>
      JSON.stringify({ check: `c${i % 7}`, status: (i + f) % 4 ? 'pass' : 'fail', observed_at: `2026-11-${String(10 + (f % 9)).padStart(2, '0')}T00:00:00.000Z`, controls: ['A.8.13'], resource: `r${i % 50}` }),
    );
    writeFileSync(join(dir, 'checks', `f${String(f).padStart(3, '0')}.jsonl`), rows.join('\n'));
  }
  writeFileSync(join(dir, 'checks', 'broken.json'), '{"results": [');
  return dir;
}

async function run(dir: string, workers: number, cacheDir?: string) {
  const files = await collect({ evidenceDir: dir, maxFileBytes: 1 << 30 });
  const index = new ObservationIndex();
  const inputs: InputSummary[] = [];
  let cached = 0;
  const used = await ingestAll(files, { settings: { asOf: '2026-11-23', mappings: [], ...(cacheDir ? { cacheDir } : {}) }, catalog: loadCatalog(), workers }, (result, i) => {
    inputs[i] = result.summary;
    if (result.cached) cached++;
    if (result.summary.accepted) index.merge(result.observations);
  });
  const observations = [...index.values()].sort((a, b) => a.check.localeCompare(b.check) || (a.resource ?? '').localeCompare(b.resource ?? ''));
  return { used, inputs, observations, cached };
}

describe('reading every file', () => {
  it('gives the same inputs and observations in parse workers as in this thread, and from the cache', async () => {
    const dir = evidence();
    const alone = await run(dir, 0);
    const pooled = await run(dir, 2);
    expect(pooled.used.workers).toBe(2);
    expect(pooled.inputs).toEqual(alone.inputs);
    expect(pooled.observations).toEqual(alone.observations);
    expect(alone.inputs.filter((i) => !i.accepted).map((i) => i.file.path)).toEqual(['checks/broken.json']);

    const cacheDir = tempDir('legible-pool-cache-');
    const cold = await run(dir, 2, cacheDir);
    expect(cold.cached).toBe(0);
    const warm = await run(dir, 2, cacheDir);
    // Known hashes are the pipeline's; without them every file is hashed, then found in the cache.
    expect(warm.cached).toBe(151);
    expect(warm.inputs).toEqual(alone.inputs);
    expect(warm.observations).toEqual(alone.observations);
  });
});
