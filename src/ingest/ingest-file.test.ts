import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/catalog.js';
import type { CollectedFile } from '../collect/collect.js';
import { ObservationIndex } from '../evaluate/observations.js';
import { createIngester, type IngestSettings } from './ingest-file.js';
import { tempDir } from '../../test/helpers/temp.js';

const catalog = loadCatalog();
const row = (i: number, over: Record<string, unknown> = {}) =>
  JSON.stringify({ check: 'backup.restore-test', status: i % 3 ? 'pass' : 'fail', observed_at: '2026-11-20T08:00:00.000Z', controls: ['A.8.13'], resource: `db-${i}`, message: `run ${i}`, ...over });

/** A file on disk as collect describes it: not hashed yet. */
function collected(name: string, content: string): CollectedFile {
  const dir = tempDir('legible-ingest-');
  const absolutePath = join(dir, name.replace(/\//g, '_'));
  writeFileSync(absolutePath, content);
  return { file: { path: name, absolutePath, sha256: '', bytes: Buffer.byteLength(content) } };
}

const settings = (over: Partial<IngestSettings> = {}): IngestSettings => ({ asOf: '2026-11-23', mappings: [], ...over });
const observations = (batch: Parameters<ObservationIndex['merge']>[0]) => {
  const index = new ObservationIndex();
  index.merge(batch);
  return [...index.values()];
};

describe('ingesting one file', () => {
  it('hashes it, and reads a small file read whole as it reads a large one streamed', async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => row(i)).join('\n');
    const large = collected('checks/large.jsonl', lines);
    expect(large.file.bytes).toBeGreaterThan(1024 * 1024);
    const ingest = createIngester(settings(), catalog);
    const big = await ingest(large);
    expect(big.summary.file.sha256).toBe(createHash('sha256').update(lines).digest('hex'));
    expect(big.hashedAt).toEqual(expect.any(Number));
    const small = await ingest(collected('checks/large.jsonl', lines.split('\n').slice(0, 3000).join('\n')));
    expect(small.summary).toMatchObject({ accepted: true, records: 3000 });
    // The first 3,000 rows read the same whichever way the file was read.
    expect(observations(small.observations)).toEqual(observations(big.observations).filter((o) => o.seq < 3000));
  });

  it('keeps a known hash instead of hashing again', async () => {
    const file = collected('checks/a.jsonl', row(1));
    const result = await createIngester(settings(), catalog)({ ...file, file: { ...file.file, sha256: 'f'.repeat(64) } });
    expect(result.summary.file.sha256).toBe('f'.repeat(64));
    expect(result.hashedAt).toBeUndefined();
  });

  it('sets aside what is dated after the as-of date, and says how new the file is', async () => {
    const result = await createIngester(settings(), catalog)(collected('checks/b.jsonl', [row(1), row(2, { observed_at: '2026-12-24T00:00:00.000Z' })].join('\n')));
    expect(result.setAside).toBe(1);
    expect(result.newest).toBe('2026-12-24T00:00:00.000Z');
    expect(result.observations.size).toBe(1);
    expect(result.summary.diagnostics.map((d) => d.code)).toEqual(['evidence/future-dated']);
  });

  it('gives a rejected file no records, and its reasons with secrets cut out', async () => {
    const result = await createIngester(settings(), catalog)(collected('checks/c.json', '{"tool": "x", "results": [ {"check": "a", "password": "hunter2hunter2"'));
    expect(result.summary.accepted).toBe(false);
    expect(result.observations.size).toBe(0);
    expect(JSON.stringify(result.summary)).not.toContain('hunter2');
  });
});

describe('the parse cache', () => {
  const cacheDir = () => tempDir('legible-cache-');

  it('gives back what the file gave, for its path and content only', async () => {
    const dir = cacheDir();
    const ingest = createIngester(settings({ cacheDir: dir }), catalog);
    const file = collected('checks/d.jsonl', [row(0), row(1)].join('\n'));
    const first = await ingest(file);
    expect(first.cached).toBe(false);
    const again = await ingest(file);
    expect(again.cached).toBe(true);
    expect(observations(again.observations)).toEqual(observations(first.observations));
    expect(again.summary).toEqual(first.summary);
    // The same bytes under another name, or other bytes under this name, are read afresh.
    expect((await ingest(collected('checks/e.jsonl', [row(0), row(1)].join('\n')))).cached).toBe(false);
    expect((await ingest(collected('checks/d.jsonl', row(5)))).cached).toBe(false);
  });

  it('does not give a result that depended on the as-of date for another date', async () => {
    const dir = cacheDir();
    const file = collected('checks/f.jsonl', [row(0), row(1, { observed_at: '2026-12-24T00:00:00.000Z' })].join('\n'));
    expect((await createIngester(settings({ cacheDir: dir }), catalog)(file)).setAside).toBe(1);
    const later = await createIngester(settings({ cacheDir: dir, asOf: '2026-12-31' }), catalog)(file);
    expect(later).toMatchObject({ cached: false, setAside: 0 });
    // A result that set nothing aside holds for any date from its newest record on.
    const plain = collected('checks/g.jsonl', row(0));
    await createIngester(settings({ cacheDir: dir }), catalog)(plain);
    expect((await createIngester(settings({ cacheDir: dir, asOf: '2027-06-01' }), catalog)(plain)).cached).toBe(true);
    expect((await createIngester(settings({ cacheDir: dir, asOf: '2026-11-01' }), catalog)(plain)).cached).toBe(false);
  });

  it('is not shared between different mapping rules', async () => {
    const dir = cacheDir();
    const file = collected('checks/h.jsonl', row(0));
    await createIngester(settings({ cacheDir: dir }), catalog)(file);
    const rule = { check: 'backup.*', controls: [{ framework: 'soc2-2017' as const, id: 'A1.2' }], label: 'config rule 1' };
    const mapped = await createIngester(settings({ cacheDir: dir, mappings: [rule] }), catalog)(file);
    expect(mapped.cached).toBe(false);
    expect(observations(mapped.observations)[0]?.controls.map((c) => c.id)).toContain('A1.2');
  });

  it('treats an entry it cannot read as a miss', async () => {
    const dir = cacheDir();
    const ingest = createIngester(settings({ cacheDir: dir }), catalog);
    const file = collected('checks/i.jsonl', row(0));
    await ingest(file);
    const parsed = join(dir, 'parsed');
    for (const name of readdirSync(parsed)) writeFileSync(join(parsed, name), 'not an entry');
    const again = await ingest(file);
    expect(again).toMatchObject({ cached: false, summary: { accepted: true, records: 1 } });
  });

  it('still builds when the cache cannot be written', async () => {
    const dir = cacheDir();
    mkdirSync(join(dir, 'parsed'));
    writeFileSync(join(dir, 'parsed', 'x'), '');
    const blocked = join(dir, 'parsed', 'x');
    const result = await createIngester(settings({ cacheDir: blocked }), catalog)(collected('checks/j.jsonl', row(0)));
    expect(result.summary).toMatchObject({ accepted: true, records: 1 });
  });
});

describe('hashing a large file as it is parsed (no cache to look in first)', () => {
  it('gives the hash of the whole file, whether the parser read it all or stopped early', async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => row(i)).join('\n');
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const whole = await createIngester(settings(), catalog)(collected('checks/whole.jsonl', lines));
    expect(whole.summary).toMatchObject({ accepted: true, records: 30_000, file: { sha256: sha(lines) } });
    // A large JSON document broken near its start: the parser gives up, the hash still covers every byte.
    const broken = `{"results": [${lines.split('\n').slice(0, 10).join(',')}, oops ${' '.repeat(1_200_000)}]}`;
    const rejected = await createIngester(settings(), catalog)(collected('checks/broken.json', broken));
    expect(rejected.summary).toMatchObject({ accepted: false, file: { sha256: sha(broken) } });
  });
});
