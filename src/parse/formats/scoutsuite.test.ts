import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CheckRecord } from '../../model/types.js';
import { collectedFrom } from '../../../test/helpers/source.js';
import { parseFile } from '../parse-file.js';
import type { Source } from '../parser.js';
import { scoutsuiteParser } from './scoutsuite.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/scoutsuite/${name}`, import.meta.url));
const parse = (name: string, content: string | Buffer = fixture(name)) => parseFile(collectedFrom(name, content));
const checks = (records: unknown[]) => records as CheckRecord[];
const statuses = (records: CheckRecord[]) => records.reduce<Record<string, number>>((n, r) => ({ ...n, [r.status]: (n[r.status] ?? 0) + 1 }), {});
const score = (content: string | Buffer) => scoutsuiteParser.detect({ head: content.toString().slice(0, 65536), binary: false, file: { path: 'x' } } as Source);

describe('ScoutSuite results', () => {
  it('reads the AWS sample: one record per rule, the run time and the account', async () => {
    const parsed = await parse('scoutsuite_sample.js');
    expect(parsed).toMatchObject({ format: 'scoutsuite', accepted: true });
    expect(score(fixture('scoutsuite_sample.js'))).toBe(0.98);
    const records = checks(parsed.records);
    // 8 rules; only cloudtrail-not-configured had items (16 checked, 16 flagged).
    expect(records).toHaveLength(8);
    expect(statuses(records)).toEqual({ fail: 1, skip: 7 });
    expect(records[7]).toMatchObject({
      check: 'scoutsuite:cloudtrail.cloudtrail-not-configured',
      title: 'CloudTrail Service Not Configured',
      status: 'fail',
      severity: 'high',
      resource: '916481805664',
      observedAt: '2021-02-19T19:16:10.000Z',
      message:
        '16 of 16 items flagged: cloudtrail.regions.ap-northeast-1.NotConfigured, cloudtrail.regions.ap-northeast-2.NotConfigured, cloudtrail.regions.ap-south-1.NotConfigured (and 13 more)',
      tool: 'scoutsuite',
      toolVersion: '5.10.2',
      category: 'misconfiguration',
      place: { pointer: '/services/cloudtrail/findings/cloudtrail-not-configured' },
    });
    expect(records[1]).toMatchObject({
      status: 'skip',
      severity: 'medium',
      message: 'no items to check',
      tags: ['CIS Amazon Web Services Foundations 1.0.0: 2.4', 'CIS Amazon Web Services Foundations 1.1.0: 2.4', 'CIS Amazon Web Services Foundations 1.2.0: 2.4'],
      controls: [],
    });
    expect(records.every((r) => r.target === 'aws account 916481805664' && r.scope === 'scoutsuite:default')).toBe(true);
    expect(parsed.diagnostics).toEqual([]);
  });

  it('reads the GCP sample with its project as the resource', async () => {
    const parsed = await parse('two_findings.js');
    expect(parsed).toMatchObject({ format: 'scoutsuite', accepted: true });
    const records = checks(parsed.records);
    expect(records).toHaveLength(50);
    expect(statuses(records)).toEqual({ fail: 2, pass: 3, skip: 45 });
    const noLogging = records.find((r) => r.check === 'scoutsuite:cloudstorage.cloudstorage-bucket-no-logging');
    expect(noLogging).toMatchObject({ status: 'fail', severity: 'medium', resource: 'gcp-project-id', observedAt: '2021-01-08T16:28:00.000Z', tags: ['CIS Google Cloud Platform Foundations 1.0.0: 5.3'] });
    expect(records.find((r) => r.check === 'scoutsuite:stackdriverlogging.stackdriverlogging-no-export-sinks')).toMatchObject({ status: 'pass', message: 'none of 1 items flagged' });
    expect(records.every((r) => r.target === 'gcp project gcp-project-id' && r.scope === 'scoutsuite:default')).toBe(true);
  });

  it('names an Azure tenant, and scopes a run to the services and regions it was limited to', async () => {
    const rule = { description: 'MFA', level: 'danger', checked_items: 2, flagged_items: 1 };
    const run = (results: Record<string, unknown>) => parse('run.js', `scoutsuite_results = ${JSON.stringify({ ...results, services: { iam: { findings: { 'iam-mfa': rule } } } })}`);
    const azure = checks((await run({ provider_code: 'azure', account_id: 'tenant-1' })).records)[0];
    expect(azure).toMatchObject({ target: 'azure tenant tenant-1', scope: 'scoutsuite' });
    // ScoutSuite writes "undefined" when it could not tell the tenant.
    expect(checks((await run({ provider_code: 'azure', account_id: 'undefined' })).records)[0]?.target).toBeUndefined();
    const narrow = { ruleset_name: 'default', run_parameters: { services: ['s3', 'iam'], regions: ['eu-west-1'], excluded_regions: [], skipped_services: [] } };
    const limited = checks((await run({ provider_code: 'aws', account_id: '111122223333', last_run: narrow })).records)[0];
    expect(limited).toMatchObject({ target: 'aws account 111122223333', scope: 'scoutsuite:default:services=iam+s3:regions=eu-west-1' });
  });

  it('reads the full 1.8 MB AWS run', async () => {
    const parsed = await parse('new2.js');
    const records = checks(parsed.records);
    // 148 rules, 30 of them with flagged items (12 danger, 18 warning).
    expect(records).toHaveLength(148);
    expect(statuses(records)).toEqual({ fail: 30, pass: 45, skip: 73 });
    const failing = records.filter((r) => r.status === 'fail');
    expect(failing.filter((r) => r.severity === 'high')).toHaveLength(12);
    expect(failing.filter((r) => r.severity === 'medium')).toHaveLength(18);
    expect(new Set(records.map((r) => r.resource))).toEqual(new Set(['430150006394']));
  });

  it('rejects a truncated file with the line of the file, and results without services', async () => {
    const cut = await parse('cut.js', fixture('scoutsuite_sample.js').subarray(0, 4000));
    expect(cut).toMatchObject({ format: 'scoutsuite', accepted: false });
    expect(cut.diagnostics[0]?.code).toBe('format/syntax');
    expect(cut.diagnostics[0]?.place?.line).toBeGreaterThan(1);
    const broken = await parse('broken.js', 'scoutsuite_results =\n{\n  "account_id": "1",\n  "services": {,}\n}');
    expect(broken.diagnostics[0]).toMatchObject({ code: 'format/syntax', place: { line: 4 } });
    const wrong = await parse('wrong.js', 'scoutsuite_results = {"account_id": "1", "services": []}');
    expect(wrong).toMatchObject({ format: 'scoutsuite', accepted: false });
    expect(wrong.diagnostics[0]).toMatchObject({ code: 'format/schema', place: { pointer: '/services' } });
  });

  it('accepts a run with no rules, and reads the framework a compliance entry names', async () => {
    const empty = await parse('empty.js', 'scoutsuite_results = {"last_run": {"time": "2024-01-01 00:00:00+0000"}, "services": {"iam": {"findings": {}}}};\n');
    expect(empty).toMatchObject({ format: 'scoutsuite', accepted: true, records: [] });
    expect(empty.diagnostics.map((d) => d.code)).toEqual(['format/no-findings']);
    const rule = { description: 'MFA', level: 'danger', checked_items: 2, flagged_items: 0, compliance: [{ name: 'SOC2', reference: 'CC6.1', version: '2017' }] };
    const mapped = await parse('soc2.js', `scoutsuite_results = ${JSON.stringify({ account_id: '1', services: { iam: { findings: { 'iam-mfa': rule } } } })}`);
    expect(mapped.records[0]).toMatchObject({ status: 'pass', controls: [{ framework: 'soc2-2017', id: 'CC6.1', source: 'tool', via: 'ScoutSuite compliance SOC2' }] });
    // No last_run.time: the run is undated.
    expect(mapped.diagnostics.map((d) => d.code)).toEqual(['format/undated']);
  });
});
