import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CheckRecord } from '../../model/types.js';
import { collectedFrom } from '../../../test/helpers/source.js';
import { parseFile } from '../parse-file.js';
import type { Source } from '../parser.js';
import { nistTag } from './audit-common.js';
import { instant } from './common.js';
import { hdfParser, inspecParser, severityFromImpact } from './inspec.js';

const fixture = (dir: string, name: string) => readFileSync(new URL(`../../../test/fixtures/${dir}/${name}`, import.meta.url));
const parse = (name: string, content: string | Buffer) => parseFile(collectedFrom(name, content));
const checks = (records: unknown[]) => records as CheckRecord[];
const statuses = (records: CheckRecord[]) => records.reduce<Record<string, number>>((n, r) => ({ ...n, [r.status]: (n[r.status] ?? 0) + 1 }), {});
const source = (content: Buffer | string) => ({ head: content.toString().slice(0, 65536), binary: false, file: { path: 'x' } }) as Source;

// A record is one control (InSpec's own unit: failed if any test failed, skipped if all skipped),
// so the counts below are per control, not the per-result counts SOURCES.md also gives.
describe('Chef InSpec JSON', () => {
  it('reads the CIS AWS baseline as 52 controls with NIST tags and the newest result time', async () => {
    const content = fixture('inspec-json', 'cis-aws-foundations-baseline.json');
    const parsed = await parse('cis-aws-foundations-baseline.json', content);
    expect(parsed).toMatchObject({ format: 'inspec', accepted: true });
    expect(inspecParser.detect(source(content))).toBe(0.95);
    expect(hdfParser.detect(source(content))).toBe(0);
    const records = checks(parsed.records);
    // 241 results (223 passed, 12 failed, 6 skipped) decide 52 controls.
    expect(records).toHaveLength(52);
    expect(statuses(records)).toEqual({ pass: 40, fail: 6, skip: 6 });
    expect(records[10]).toMatchObject({
      check: 'cis-aws-foundations-1.14',
      status: 'fail',
      severity: 'high',
      resource: 'cis-aws-foundations-baseline',
      observedAt: '2018-11-19T01:21:35.000Z',
      message: 'expected #has_virtual_mfa_enabled? to return false, got true',
      tool: 'inspec',
      toolVersion: '3.0.46',
      category: 'compliance',
      // "Rev_4" in the nist list is the revision, not a control.
      tags: ['NIST-IA-2(1)', 'NIST-SC-23'],
      place: { pointer: '/profiles/0/controls/10' },
      controls: [],
    });
    // Several failed tests: the first explains, the rest are counted.
    expect(records[16]?.message).toMatch(/^expected `EC2 Security Group sg-06ddca70a8ef4df8a.*got true \(and 3 more failed tests\)$/);
    expect(records[16]?.observedAt).toBe('2018-11-19T01:21:40.000Z');
    expect(records[12]).toMatchObject({ status: 'skip', severity: 'low', message: 'This control must be manually reviewed' });
    // The AWS platform has no target_id in InSpec 3: no target; the profile run is the scope.
    expect(records.every((r) => r.target === undefined && r.scope === 'inspec:cis-aws-foundations-baseline')).toBe(true);
    expect(parsed.diagnostics).toEqual([]);
  });

  it('reads the InSpec reporter fixture, whose generated controls have no title', async () => {
    const parsed = await parse('json_output', fixture('inspec-json', 'json_output'));
    expect(parsed).toMatchObject({ format: 'inspec', accepted: true });
    const records = checks(parsed.records);
    expect(records).toHaveLength(4);
    expect(statuses(records)).toEqual({ pass: 3, fail: 1 });
    expect(records[2]).toMatchObject({
      check: '(generated from example.rb:21 2ff474c5357e7070f4c3efa932032dcb)',
      title: 'gem package rubocop should be installed',
      status: 'fail',
      severity: 'medium',
      message: 'rubocop is not installed',
      // An empty target_id: the profile name stands for what was checked.
      resource: 'long_commands',
      observedAt: '2018-01-05T16:43:04.000Z',
      toolVersion: '1.49.2',
    });
    expect(records[1]).toMatchObject({ check: 'tmp-1.0', title: 'Create /tmp directory', severity: 'high' });
    // The profile name stands in for the resource, but names no machine: no target.
    expect(records.every((r) => r.target === undefined && r.scope === 'inspec:long_commands')).toBe(true);
  });

  it('reads one control of each status from the RHEL 8 STIG sample', async () => {
    const parsed = await parse('rhel8.json', fixture('inspec-json', 'rhel8_sample_oneOfEachControlStatus.json'));
    expect(parsed).toMatchObject({ format: 'inspec', accepted: true });
    const records = checks(parsed.records);
    // 5 results (1 passed, 2 failed, 2 skipped) in 4 controls.
    expect(records).toHaveLength(4);
    expect(statuses(records)).toEqual({ pass: 1, fail: 1, skip: 2 });
    expect(records[1]).toMatchObject({
      check: 'SV-230222',
      status: 'fail',
      severity: 'medium',
      resource: 'da39a3ee-5e6b-5b0d-b255-bfef95601890',
      message: 'expected `["libsemanage"].empty?` to be truthy, got false (and 1 more failed test)',
      tags: ['NIST-CM-6'],
      observedAt: '2024-03-18T17:10:44.000Z',
    });
    // Impact 0 is HDF's "not applicable": informational, skipped.
    expect(records[2]).toMatchObject({ check: 'SV-230223', status: 'skip', severity: 'info', tags: ['NIST-AC-17(2)'] });
    // That target_id is the UUID InSpec makes of an empty machine id: every such machine has it, so it is no target.
    expect(records.every((r) => r.target === undefined && r.scope === 'inspec:redhat-enterprise-linux-8-stig-baseline')).toBe(true);
  });

  it('takes a machine the report names as the target', async () => {
    const report = JSON.parse(fixture('inspec-json', 'rhel8_sample_oneOfEachControlStatus.json').toString()) as Record<string, Record<string, unknown>>;
    report.platform = { ...report.platform, target_id: 'web-01.prod.example.com' };
    const records = checks((await parse('web-01.json', JSON.stringify(report))).records);
    expect(records.every((r) => r.target === 'web-01.prod.example.com' && r.resource === 'web-01.prod.example.com')).toBe(true);
  });

  it('reads the JSON Lines export line by line, with the ISO 27001:2013 tags as tool mappings', async () => {
    const content = fixture('inspec-json', 'many_findings.log');
    const parsed = await parse('many_findings.log', content);
    expect(parsed).toMatchObject({ format: 'inspec', accepted: true });
    expect(inspecParser.detect(source(content))).toBe(0.9);
    const records = checks(parsed.records);
    expect(records).toHaveLength(10);
    expect(statuses(records)).toEqual({ pass: 9, skip: 1 });
    expect(records[1]).toMatchObject({
      check: 'cis-dil-benchmark-2.2.1.2',
      status: 'skip',
      severity: 'critical',
      resource: 'logsrv01.domain.dk',
      message: 'Skipped control due to only_if condition.',
      observedAt: '2022-10-03T11:02:14.000Z',
      place: { line: 2 },
      // A.12.4.4 (clock synchronisation, 2013 edition) is A.8.17 in the 2022 edition.
      controls: [{ framework: 'iso27001-2022', id: 'A.8.17', source: 'tool', via: 'InSpec tag ISO27001_2013' }],
    });
    expect(records.every((r) => r.target === 'logsrv01.domain.dk' && r.scope === 'inspec:cis-dil-benchmark')).toBe(true);
  });

  it('keeps the controls before a broken last line of the JSON Lines export', async () => {
    const lines = fixture('inspec-json', 'many_findings.log').toString().split('\n');
    const parsed = await parse('cut.log', [...lines.slice(0, 3), lines[3]!.slice(0, 80)].join('\n'));
    expect(parsed).toMatchObject({ format: 'inspec', accepted: true, invalidRecords: 1 });
    expect(parsed.records).toHaveLength(3);
    expect(parsed.diagnostics[0]).toMatchObject({ code: 'format/syntax', place: { line: 4 } });
  });

  it('rejects a truncated report with the line, and a report whose profiles are not a list', async () => {
    const cut = await parse('cut.json', fixture('inspec-json', 'rhel8_sample_oneOfEachControlStatus.json').subarray(0, 5000));
    expect(cut).toMatchObject({ format: 'inspec', accepted: false });
    expect(cut.diagnostics[0]?.code).toBe('format/syntax');
    expect(cut.diagnostics[0]?.place?.line).toBeGreaterThan(1);
    const wrong = await parse('wrong.json', JSON.stringify({ platform: { name: 'x' }, profiles: [{ name: 'p', controls: 'none' }] }));
    expect(wrong).toMatchObject({ format: 'inspec', accepted: false });
    expect(wrong.diagnostics[0]).toMatchObject({ code: 'format/schema', place: { pointer: '/profiles/0/controls' } });
  });

  it('accepts a profile with no controls, and reports a control without an id by pointer', async () => {
    const empty = await parse('empty.json', JSON.stringify({ platform: { name: 'x' }, profiles: [{ name: 'p', controls: [] }], version: '5' }));
    expect(empty).toMatchObject({ format: 'inspec', accepted: true, records: [] });
    expect(empty.diagnostics.map((d) => d.code)).toEqual(['format/no-findings']);
    const oneBad = await parse(
      'bad.json',
      JSON.stringify({ platform: { name: 'x' }, profiles: [{ name: 'p', controls: [{ title: 'no id' }, { id: 'c1', impact: 0.5, results: [] }] }] }),
    );
    expect(oneBad).toMatchObject({ accepted: true, invalidRecords: 1 });
    expect(oneBad.diagnostics[0]).toMatchObject({ code: 'format/record-skipped', place: { pointer: '/profiles/0/controls/0' } });
    // No results at all: nobody tested it.
    expect(oneBad.records[0]).toMatchObject({ check: 'c1', status: 'manual' });
  });
});

describe('MITRE HDF from hdf-converters', () => {
  it('reads the Checkov conversion: one control per rule and resource, tool Checkov, no dates', async () => {
    const content = fixture('hdf-json', 'checkov_with_skips-hdf.json');
    const parsed = await parse('checkov_with_skips-hdf.json', content);
    expect(parsed).toMatchObject({ format: 'hdf', accepted: true });
    expect(hdfParser.detect(source(content))).toBe(0.96);
    expect(inspecParser.detect(source(content))).toBe(0);
    const records = checks(parsed.records);
    expect(records).toHaveLength(23);
    expect(statuses(records)).toEqual({ pass: 8, fail: 12, skip: 2, error: 1 });
    expect(records[0]).toMatchObject({
      check: 'CKV_AWS_93',
      resource: 'aws_s3_bucket.example',
      severity: 'medium',
      tool: 'checkov',
      toolVersion: '3.2.506',
      format: 'hdf',
      tags: ['NIST-AC-6(1)', 'NIST-AC-6(5)'],
    });
    expect(new Set(records.map((r) => `${r.check} ${r.resource}`)).size).toBe(23);
    expect(records.every((r) => r.observedAt === undefined)).toBe(true);
    expect(records.every((r) => r.target === undefined && r.scope === 'hdf:Checkov')).toBe(true);
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['format/undated']);
  });

  it('reads the Prowler conversion: 10 failed results in 2 controls', async () => {
    const parsed = await parse('prowler-hdf.json', fixture('hdf-json', 'prowler-hdf.json'));
    expect(parsed).toMatchObject({ format: 'hdf', accepted: true });
    const records = checks(parsed.records);
    expect(records).toHaveLength(2);
    expect(statuses(records)).toEqual({ fail: 2 });
    expect(records[1]).toMatchObject({
      check: 'check12',
      severity: 'high',
      tool: 'prowler',
      observedAt: '2021-05-17T23:07:04.000Z',
      tags: ['NIST-SA-11', 'NIST-RA-5'],
    });
    expect(records[1]?.message).toMatch(/^User name1 has Password enabled but MFA disabled; .*\(and 8 more failed tests\)$/);
    // The converter's target_id is the tool's own name, not a scanned resource nor a target.
    expect(records[1]?.resource).toBeUndefined();
    expect(records[1]?.target).toBeUndefined();
    expect(records[1]?.scope).toBe('hdf:Prowler');
    expect(records[1]).not.toHaveProperty('toolVersion');
  });

  it('rejects a truncated conversion with the line', async () => {
    const parsed = await parse('cut.json', fixture('hdf-json', 'prowler-hdf.json').subarray(0, 3000));
    expect(parsed).toMatchObject({ format: 'hdf', accepted: false });
    expect(parsed.diagnostics[0]).toMatchObject({ code: 'format/syntax' });
    expect(parsed.diagnostics[0]?.place?.line).toBeGreaterThan(1);
  });
});

describe('InSpec helpers', () => {
  it('maps impact to severity on InSpec/Heimdall bands', () => {
    expect([1, 0.9, 0.7, 0.5, 0.4, 0.3, 0.01, 0, undefined].map(severityFromImpact)).toEqual([
      'critical',
      'critical',
      'high',
      'medium',
      'medium',
      'low',
      'low',
      'info',
      undefined,
    ]);
  });

  it('normalizes NIST ids and reads zone-less dates as UTC', () => {
    expect(['AC-6 (9)', 'ac-6.1_obj', 'CM-6 b', 'IA-5(1)', 'Rev_4', 'SC-7'].map(nistTag)).toEqual(['NIST-AC-6(9)', 'NIST-AC-6(1)', 'NIST-CM-6', 'NIST-IA-5(1)', undefined, 'NIST-SC-7']);
    expect(instant('2024-01-02T03:04:05')).toBe('2024-01-02T03:04:05.000Z');
    expect(instant('2018-01-05 11:43:04 -0500')).toBe('2018-01-05T16:43:04.000Z');
    expect(instant('')).toBeUndefined();
    expect(instant('yesterday')).toBeUndefined();
  });
});
