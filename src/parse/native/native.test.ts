import { describe, expect, it } from 'vitest';
import { collectedFrom } from '../../../test/helpers/source.js';
import { parseFile } from '../parse-file.js';
import fc from 'fast-check';
import { canonicalRow, nativeRecordSchema } from './record.js';

const row = { check: 'backup.restore-test', status: 'pass', observed_at: '2026-11-20T08:00:00Z', controls: ['A.8.13', 'A1.2'], resource: 'db-1' };

describe('native check results', () => {
  it('reads a JSON array and a results object with tool and version', async () => {
    const array = await parseFile(collectedFrom('a.json', JSON.stringify([row, { ...row, resource: 'db-2', status: 'FAIL' }])));
    expect(array).toMatchObject({ format: 'native-json', accepted: true });
    expect(array.records.map((r) => r.type === 'check' && r.status)).toEqual(['pass', 'fail']);
    const object = await parseFile(collectedFrom('o.json', JSON.stringify({ tool: 'backup-audit', version: '2.1', results: [row] })));
    expect(object.records[0]).toMatchObject({ tool: 'backup-audit', toolVersion: '2.1', observedAt: '2026-11-20T08:00:00.000Z', place: { pointer: '/results/0' } });
  });

  it('reads JSON Lines and reports a broken line by number without losing the others', async () => {
    const parsed = await parseFile(collectedFrom('c.jsonl', `${JSON.stringify(row)}\n{"check": "x", broken\n${JSON.stringify(row)}\n`));
    expect(parsed).toMatchObject({ format: 'native-jsonl', accepted: true, invalidRecords: 1 });
    expect(parsed.records).toHaveLength(2);
    expect(parsed.diagnostics[0]).toMatchObject({ code: 'native/syntax', place: { line: 2 } });
  });

  it('reads CSV with ;-separated controls and reports a bad row by line', async () => {
    const csv = 'check,status,observed_at,controls,resource\nmfa.enforced,pass,2026-11-01T00:00:00Z,A.8.5;CC6.1,okta\nmfa.enforced,maybe,2026-11-01,A.8.5,okta\n';
    const parsed = await parseFile(collectedFrom('c.csv', csv));
    expect(parsed.format).toBe('native-csv');
    expect(parsed.records[0]?.rawControls).toEqual(['A.8.5', 'CC6.1']);
    expect(parsed.diagnostics[0]).toMatchObject({ code: 'native/invalid-record', place: { line: 3 } });
    expect(parsed.diagnostics[0]?.message).toMatch(/status/);
  });

  it('reads an optional target: its rows are a snapshot of it, scoped by the format and tool', async () => {
    const object = await parseFile(collectedFrom('t.json', JSON.stringify({ tool: 'backup-audit', results: [{ ...row, target: ' prod-eu ' }, row] })));
    expect(object.records[0]).toMatchObject({ target: 'prod-eu', scope: 'native-json:backup-audit' });
    // Without a target a row is an observation on its own.
    expect(object.records[1]).not.toHaveProperty('target');
    expect(object.records[1]).not.toHaveProperty('scope');
    const csv = await parseFile(collectedFrom('t.csv', 'check,status,observed_at,target\nmfa.enforced,pass,2026-11-01T00:00:00Z,okta tenant acme\nmfa.enforced,fail,2026-11-01T00:00:00Z,\n'));
    expect(csv.records[0]).toMatchObject({ target: 'okta tenant acme', scope: 'native-csv' });
    expect(csv.records[1]).not.toHaveProperty('target');
    const lines = await parseFile(collectedFrom('t.jsonl', `${JSON.stringify({ ...row, target: 'db-cluster-1' })}\n${JSON.stringify(row)}\n`));
    expect(lines.records[0]).toMatchObject({ target: 'db-cluster-1', scope: 'native-jsonl' });
  });

  it('rejects truncated JSON with the line and column', async () => {
    const parsed = await parseFile(collectedFrom('t.json', '[\n  {"check": "a", "status": "pass",\n'));
    expect(parsed.accepted).toBe(false);
    expect(parsed.diagnostics[0]).toMatchObject({ code: 'native/syntax', file: 't.json' });
    expect(parsed.diagnostics[0]?.place?.line).toBeGreaterThanOrEqual(2);
  });

  it('rejects a file whose every record is invalid, and an empty file', async () => {
    const bad = await parseFile(collectedFrom('b.json', JSON.stringify([{ check: 'a', status: 'pass' }])));
    expect(bad.accepted).toBe(false);
    expect(bad.reason).toMatch(/observed_at: required field is missing/);
    const empty = await parseFile(collectedFrom('e.json', ''));
    expect(empty).toMatchObject({ accepted: false, reason: 'empty file' });
  });

  it('rejects binary and unrecognised files with a reason', async () => {
    const binary = await parseFile(collectedFrom('x.bin', Buffer.from([0, 1, 2, 3, 0, 255])));
    expect(binary).toMatchObject({ accepted: false, format: 'unknown' });
    expect(binary.diagnostics[0]?.code).toBe('format/unknown');
    const prose = await parseFile(collectedFrom('readme.txt', 'just some words'));
    expect(prose.reason).toBe('not a recognised evidence format');
  });
});

describe('the canonical-row fast path', () => {
  const pick = (...values: unknown[]) => fc.constantFrom(...values);
  // Mostly canonical values, so the fast path is taken; sometimes one the schema must normalize or refuse.
  const field = <T, U>(canonical: fc.Arbitrary<T>, other: fc.Arbitrary<U>) => fc.oneof({ arbitrary: canonical, weight: 6 }, { arbitrary: other, weight: 1 });
  const text = field(pick(undefined, 'db-1', 'A.8.13', 'Restore ok'), pick('', ' ', ' db-1', 'db-1 ', 7, '\tx'));
  const rows = fc.record(
    {
      check: field(pick('backup.restore-test', 'iam.mfa'), pick(undefined, '', ' backup.x', 12)),
      status: field(pick('pass', 'fail', 'error', 'skip', 'manual'), pick(undefined, 'FAIL', ' skip', 'broken', 1)),
      observed_at: field(pick('2026-11-20T08:00:00.000Z', '2024-02-29T23:59:59.999Z'), pick(undefined, '2026-11-20T08:00:00Z', '2026-11-20', '2026-02-30T00:00:00.000Z', '2026-11-20T08:00:00.000+01:00', 'soon')),
      controls: field(fc.array(text, { maxLength: 3 }), pick(undefined, 'A.8.13;A1.2', '')),
      resource: text,
      severity: field(pick(undefined, 'high', 'info'), pick('', 'HIGH', 'urgent')),
      message: text,
      title: text,
      target: text,
    },
    { requiredKeys: [] },
  );

  it('accepts only what the schema accepts, and gives what the schema gives', () => {
    let fast = 0;
    fc.assert(
      fc.property(rows, (raw) => {
        const quick = canonicalRow(raw);
        if (!quick) return;
        fast++;
        const parsed = nativeRecordSchema.safeParse(raw);
        expect(parsed.success).toBe(true);
        const defined = (o: object) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
        expect(defined(quick)).toEqual(defined(parsed.data!));
      }),
      { seed: 20261201, numRuns: 3000 },
    );
    // The property says something only if the fast path was taken often enough.
    expect(fast).toBeGreaterThan(20);
  });

  it('leaves rows that need the schema to the schema', () => {
    expect(canonicalRow({ ...row, status: 'FAIL' })).toBeUndefined();
    expect(canonicalRow({ ...row, observed_at: '2026-11-20T08:00:00Z' })).toBeUndefined();
    expect(canonicalRow({ ...row, observed_at: '2026-11-20T08:00:00.000Z' })).toMatchObject({ check: 'backup.restore-test', observed_at: '2026-11-20T08:00:00.000Z' });
  });
});
