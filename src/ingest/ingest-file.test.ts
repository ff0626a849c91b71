import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp.js';
import { loadCatalog } from '../catalog/catalog.js';
import type { CollectedFile } from '../collect/collect.js';
import type { StagedRow } from '../store/staging.js';
import type { CheckRecord } from '../model/types.js';
import { createIngester, withTarget } from './ingest-file.js';
import type { Ingested, IngestedFile, IngestSettings } from './result.js';

const catalog = loadCatalog();
const scratch = tempDir('legible-ingest-');
const stagingDir = join(scratch, 'staging');
mkdirSync(stagingDir);

const row = (i: number, over: Record<string, unknown> = {}) =>
  JSON.stringify({ check: 'backup.restore-test', status: i % 3 ? 'pass' : 'fail', observed_at: '2026-11-20T08:00:00.000Z', controls: ['A.8.13'], resource: `db-${i}`, message: `run ${i}`, ...over });

let files = 0;
/** A file on disk as collect describes it: not hashed yet. */
function collected(name: string, content: string): CollectedFile {
  const absolutePath = join(scratch, `${++files}-${name.replace(/\//g, '_')}`);
  writeFileSync(absolutePath, content);
  return { file: { path: name, absolutePath, sha256: '', bytes: Buffer.byteLength(content) } };
}

const settings = (over: Partial<IngestSettings> = {}): IngestSettings => ({ asOf: '2026-11-23', mappings: [], stagingDir, targets: [], ...over });
const read = (result: Ingested): IngestedFile & { hashedAt?: number } => {
  if (result.unchanged || result.parquet) throw new Error('expected the file to be read');
  return result;
};
/** The rows a file staged for the store, without the part number that tells them from other files' rows. */
const stagedRows = (result: Ingested): Omit<StagedRow, 'f'>[] => {
  const { staged } = read(result);
  if (!staged) return [];
  const rows = readFileSync(staged.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as StagedRow);
  return rows.filter((r) => r.f === staged.part).map(({ f: _part, ...row }) => row);
};

describe('ingesting one file', () => {
  it('hashes it, and reads a small file read whole as it reads a large one streamed', async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => row(i)).join('\n');
    const large = collected('checks/large.jsonl', lines);
    expect(large.file.bytes).toBeGreaterThan(1024 * 1024);
    const ingest = createIngester(settings(), catalog);
    const big = read(await ingest({ collected: large }));
    expect(big.summary.file.sha256).toBe(createHash('sha256').update(lines).digest('hex'));
    expect(big.hashedAt).toEqual(expect.any(Number));
    const small = read(await ingest({ collected: collected('checks/large.jsonl', lines.split('\n').slice(0, 3000).join('\n')) }));
    expect(small.summary).toMatchObject({ accepted: true, records: 3000 });
    // The first 3,000 rows read the same whichever way the file was read.
    expect(stagedRows(small)).toEqual(stagedRows(big).filter((o) => o.s < 3000));
  });

  it('keeps a known hash instead of hashing again', async () => {
    const file = collected('checks/a.jsonl', row(1));
    const result = read(await createIngester(settings(), catalog)({ collected: { ...file, file: { ...file.file, sha256: 'f'.repeat(64) } } }));
    expect(result.summary.file.sha256).toBe('f'.repeat(64));
    expect(result.hashedAt).toBeUndefined();
  });

  it('sets aside what is dated after the as-of date, and says how new the file is', async () => {
    const result = read(await createIngester(settings(), catalog)({ collected: collected('checks/b.jsonl', [row(1), row(2, { observed_at: '2026-12-24T00:00:00.000Z' })].join('\n')) }));
    expect(result.setAside).toBe(1);
    expect(result.newest).toBe('2026-12-24T00:00:00.000Z');
    expect(stagedRows(result)).toHaveLength(1);
    expect(result.summary.diagnostics.map((d) => d.code)).toEqual(['evidence/future-dated']);
  });

  it('gives a rejected file no records, and its reasons with secrets cut out', async () => {
    const result = read(await createIngester(settings(), catalog)({ collected: collected('checks/c.json', '{"tool": "x", "results": [ {"check": "a", "password": "hunter2hunter2"') }));
    expect(result.summary.accepted).toBe(false);
    expect(result.staged).toBeUndefined();
    expect(JSON.stringify(result.summary)).not.toContain('hunter2');
  });
});

describe('a file the store may hold', () => {
  it('is only hashed when its hash is the one the store holds, and read otherwise', async () => {
    const ingest = createIngester(settings(), catalog);
    const file = collected('checks/d.jsonl', [row(0), row(1)].join('\n'));
    const sha256 = createHash('sha256').update([row(0), row(1)].join('\n')).digest('hex');
    expect(await ingest({ collected: file, stored: sha256 })).toEqual({ unchanged: true, sha256, hashedAt: expect.any(Number) });
    const changed = await ingest({ collected: file, stored: 'f'.repeat(64) });
    expect(read(changed).summary).toMatchObject({ accepted: true, records: 2, file: { sha256 } });
  });
});

describe('hashing a large file as it is parsed (when the store holds nothing for it)', () => {
  it('gives the hash of the whole file, whether the parser read it all or stopped early', async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => row(i)).join('\n');
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const whole = read(await createIngester(settings(), catalog)({ collected: collected('checks/whole.jsonl', lines) }));
    expect(whole.summary).toMatchObject({ accepted: true, records: 30_000, file: { sha256: sha(lines) } });
    // A large JSON document broken near its start: the parser gives up, the hash still covers every byte.
    const broken = `{"results": [${lines.split('\n').slice(0, 10).join(',')}, oops ${' '.repeat(1_200_000)}]}`;
    const rejected = read(await createIngester(settings(), catalog)({ collected: collected('checks/broken.json', broken) }));
    expect(rejected.summary).toMatchObject({ accepted: false, file: { sha256: sha(broken) } });
  });
});

describe('what a check record is a snapshot of', () => {
  const record = (over: Partial<CheckRecord>): CheckRecord => ({ type: 'check', format: 'junit', file: 'scans/api/tests.xml', check: 'c', status: 'pass', rawControls: [], controls: [], ...over });
  it.each<[string, Partial<CheckRecord>, string | undefined, Partial<CheckRecord>]>([
    ['the target its tool records, within its format', { target: 'aws 1 eu-west-1', format: 'prowler-ocsf' }, 'ignored', { target: 'aws 1 eu-west-1', scope: 'prowler-ocsf' }],
    ['its scope as the tool gives it', { target: 'img', scope: 'trivy:os-pkgs', format: 'trivy' }, undefined, { target: 'img', scope: 'trivy:os-pkgs' }],
    ['the target the config names when the tool records none', {}, 'checkout-api', { target: 'checkout-api', scope: 'junit' }],
    ['the file\'s folder and tool when neither does', { tool: 'pytest' }, undefined, { target: 'scans/api (pytest)', scope: 'junit' }],
    ['a native row named by the config', { format: 'native-jsonl', file: 'checks/b.jsonl' }, 'backup job', { target: 'backup job', scope: 'native-jsonl' }],
  ])('%s', (_case, over, configured, expected) => {
    expect(withTarget(record(over), configured)).toMatchObject(expected);
  });

  it('a native row is an observation on its own otherwise', () => {
    expect(withTarget(record({ format: 'native-json' }), undefined)).not.toHaveProperty('target');
  });
});
