import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CheckRecord } from '../../model/types.js';
import { collectedFrom } from '../../../test/helpers/source.js';
import { parseFile } from '../parse-file.js';
import type { Source } from '../parser.js';
import { kubeBenchParser } from './kube-bench.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/kube-bench-json/${name}`, import.meta.url));
const parse = (name: string, content: string | Buffer = fixture(name)) => parseFile(collectedFrom(name, content));
const checks = (records: unknown[]) => records as CheckRecord[];
const statuses = (records: CheckRecord[]) => records.reduce<Record<string, number>>((n, r) => ({ ...n, [r.status]: (n[r.status] ?? 0) + 1 }), {});
const score = (content: string | Buffer) => kubeBenchParser.detect({ head: content.toString().slice(0, 65536), binary: false, file: { path: 'x' } } as Source);

describe('kube-bench JSON', () => {
  it('reads the Controls/Totals form: one record per result row, WARN as manual, undated', async () => {
    const parsed = await parse('kube-bench-controls.json');
    expect(parsed).toMatchObject({ format: 'kube-bench', accepted: true });
    expect(score(fixture('kube-bench-controls.json'))).toBe(0.95);
    const records = checks(parsed.records);
    expect(records).toHaveLength(122);
    expect(statuses(records)).toEqual({ pass: 37, fail: 36, manual: 49 });
    expect(records[0]).toMatchObject({
      check: 'kube-bench:1.1.1',
      title: 'Ensure that the API server pod specification file permissions are set to 644 or more restrictive (Automated)',
      status: 'fail',
      resource: 'master: Master Node Security Configuration',
      message: "expected 'permissions' is present",
      tool: 'kube-bench',
      category: 'misconfiguration',
      tags: ['CIS-Kubernetes-1.6'],
      place: { pointer: '/Controls/0/tests/0/results/0' },
    });
    expect(records.find((r) => r.status === 'manual' && r.message === 'Test marked as a manual test')).toBeDefined();
    expect(records.every((r) => r.observedAt === undefined)).toBe(true);
    // kube-bench names no cluster or node; each section's node type and benchmark version is a scope.
    const scopes = records.reduce<Record<string, number>>((n, r) => ({ ...n, [r.scope!]: (n[r.scope!] ?? 0) + 1 }), {});
    expect(scopes).toEqual({ 'kube-bench:master:cis-1.6': 65, 'kube-bench:etcd:cis-1.6': 7, 'kube-bench:controlplane:cis-1.6': 3, 'kube-bench:node:cis-1.6': 23, 'kube-bench:policies:cis-1.6': 24 });
    expect(records.some((r) => r.target !== undefined)).toBe(false);
    // The Totals agree with the rows here: only the missing dates are worth a word.
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['format/undated']);
  });

  it('reads the legacy array form, and says where a section miscounts its rows', async () => {
    const parsed = await parse('kube-bench-report-many-vuln.json');
    expect(parsed).toMatchObject({ format: 'kube-bench', accepted: true });
    const records = checks(parsed.records);
    expect(records).toHaveLength(24);
    expect(statuses(records)).toEqual({ pass: 20, fail: 4 });
    expect(records[0]).toMatchObject({
      check: 'kube-bench:3.1.1',
      status: 'fail',
      resource: 'node: Control Plane Configuration',
      tags: ['CIS-Kubernetes-1.5'],
      place: { pointer: '/0/tests/0/results/0' },
    });
    // Section 4 claims 22 pass / 1 fail but holds 20 / 3 rows.
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['format/counts-mismatch', 'format/undated']);
    expect(parsed.diagnostics[0]).toMatchObject({ severity: 'warning', place: { pointer: '/1' } });
  });

  it('counts the rows really present when the Totals say otherwise (trimmed upstream fixture)', async () => {
    const parsed = await parse('result.json');
    expect(parsed).toMatchObject({ format: 'kube-bench', accepted: true });
    const records = checks(parsed.records);
    // SOURCES.md: Totals say 49 pass / 12 fail / 14 warn; only 3 rows were kept upstream.
    expect(records).toHaveLength(3);
    expect(statuses(records)).toEqual({ pass: 2, manual: 1 });
    expect(records.map((r) => r.check)).toEqual(['kube-bench:1.1.1', 'kube-bench:2.1', 'kube-bench:3.1.1']);
    expect(parsed.diagnostics[0]).toMatchObject({ code: 'format/counts-mismatch', severity: 'warning', place: { pointer: '/Totals' } });
    expect(parsed.diagnostics[0]?.message).toBe(
      "the file's Totals say 49 pass, 12 fail, 14 warn, 0 info but the result rows hold 2 pass, 0 fail, 1 warn, 0 info; the rows present are read",
    );
  });

  it('rejects a truncated file with the line and a wrong Controls value with a pointer', async () => {
    const cut = await parse('cut.json', fixture('result.json').subarray(0, 2000));
    expect(cut).toMatchObject({ format: 'kube-bench', accepted: false });
    expect(cut.diagnostics[0]?.code).toBe('format/syntax');
    expect(cut.diagnostics[0]?.place?.line).toBeGreaterThan(1);
    const wrong = await parse('wrong.json', JSON.stringify({ Controls: 'none', Totals: { total_pass: 0, total_fail: 0 } }));
    expect(wrong).toMatchObject({ format: 'kube-bench', accepted: false });
    expect(wrong.diagnostics[0]).toMatchObject({ code: 'format/schema', place: { pointer: '/Controls' } });
  });

  it('accepts an empty run and skips a row with an unknown status', async () => {
    const empty = await parse('empty.json', JSON.stringify({ Controls: [], Totals: { total_pass: 0, total_fail: 0, total_warn: 0, total_info: 0 } }));
    expect(empty).toMatchObject({ format: 'kube-bench', accepted: true, records: [] });
    expect(empty.diagnostics.map((d) => d.code)).toEqual(['format/no-findings']);
    const section = { id: '1', version: 'cis-1.20', text: 'Master', node_type: 'master', tests: [{ section: '1.1', results: [
      { test_number: '1.1.1', test_desc: 'a', status: 'INFO' },
      { test_number: '1.1.2', test_desc: 'b', status: 'MAYBE' },
    ] }] };
    const mixed = await parse('mixed.json', JSON.stringify({ Controls: [section] }));
    expect(mixed).toMatchObject({ accepted: true, invalidRecords: 1 });
    expect(mixed.records[0]).toMatchObject({ status: 'manual', tags: ['CIS-Kubernetes-1.20'] });
    expect(mixed.diagnostics[0]).toMatchObject({ code: 'format/record-skipped', place: { pointer: '/Controls/0/tests/0/results/1' } });
  });
});
