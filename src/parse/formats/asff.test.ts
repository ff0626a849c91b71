import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CheckRecord } from '../../model/types.js';
import { collectedFrom } from '../../../test/helpers/source.js';
import { parseFile } from '../parse-file.js';
import type { Source } from '../parser.js';
import { parsers } from '../registry.js';

const fixture = (dir: string, name: string) => readFileSync(new URL(`../../../test/fixtures/${dir}/${name}`, import.meta.url), 'utf8');
const prowler = (name: string) => fixture('prowler-asff', name);
const hub = (name: string) => fixture('aws-securityhub-asff', name);
const parse = (name: string, content: string) => parseFile(collectedFrom(name, content));
const checks = (records: unknown[]) => records as CheckRecord[];
const countBy = (records: CheckRecord[], key: 'status' | 'severity' | 'category') =>
  records.reduce<Record<string, number>>((n, r) => ({ ...n, [String(r[key])]: (n[String(r[key])] ?? 0) + 1 }), {});
const scores = (content: string) =>
  Object.fromEntries(parsers.map((p) => [p.name, p.detect({ head: content.slice(0, 65536), binary: false, file: { path: 'x' } } as Source)]).filter(([, s]) => s));

/** The first GuardDuty finding, changed. */
const guardDuty = (changes: Record<string, unknown>) => {
  const { Findings } = JSON.parse(hub('guardduty.json')) as { Findings: Record<string, unknown>[] };
  return JSON.stringify({ Findings: [{ ...Findings[0], ...changes }] });
};

describe('ASFF', () => {
  it('reads Prowler 3.3 ASFF: exactly 441 pass, 286 fail, 4 manual', async () => {
    const content = prowler('prowler-output.asff.json');
    expect(scores(content)).toEqual({ asff: 1 });
    const parsed = await parse('prowler-output.asff.json', content);
    expect(parsed).toMatchObject({ format: 'asff', accepted: true, diagnostics: [] });
    const records = checks(parsed.records);
    expect(records).toHaveLength(731);
    expect(countBy(records, 'status')).toEqual({ pass: 441, fail: 286, manual: 4 });
    expect(countBy(records, 'severity')).toEqual({ high: 426, medium: 236, low: 58, critical: 11 });
    expect(records[0]).toMatchObject({
      check: 'prowler:accessanalyzer_enabled',
      title: 'Check if IAM Access Analyzer is enabled',
      // Prowler names account-level resources by the bare account id in every region.
      resource: '123456789012 (ap-northeast-1)',
      observedAt: '2023-03-18T15:43:31.000Z',
      severity: 'low',
      tool: 'prowler',
      toolVersion: '3.3.0',
      category: 'compliance',
      tags: ['CIS-1.5', 'CIS-1.4', 'CIS-1.5 1.20', 'CIS-1.4 1.20'],
      controls: [],
      place: { pointer: '/0' },
    });
    // INFOED: Prowler's manual checks.
    expect(records[34]).toMatchObject({ check: 'prowler:account_maintain_current_contact_details', status: 'manual' });
    // One snapshot per region Prowler scanned in the account.
    expect(records[0]).toMatchObject({ target: 'aws account 123456789012 ap-northeast-1', scope: 'asff:prowler' });
    expect(new Set(records.map((r) => r.target)).size).toBe(17);
    expect(records.some((r) => r.identity !== undefined || r.closed !== undefined)).toBe(false);
  });

  it('carries the SOC 2 criteria Prowler lists in RelatedRequirements as tool controls', async () => {
    const records = checks((await parse('prowler-output.asff.json', prowler('prowler-output.asff.json'))).records);
    const via = 'ASFF Compliance.RelatedRequirements SOC2';
    // "SOC2 cc_2_1 cc_7_2 cc_a_1_2"
    expect(records[42]).toMatchObject({
      check: 'prowler:cloudtrail_multi_region_enabled',
      resource: 'No trails (ap-northeast-1)',
      status: 'fail',
      controls: [
        { framework: 'soc2-2017', id: 'CC2.1', source: 'tool', via },
        { framework: 'soc2-2017', id: 'CC7.2', source: 'tool', via },
        { framework: 'soc2-2017', id: 'A1.2', source: 'tool', via },
      ],
    });
    expect(records[225]).toMatchObject({ status: 'pass', controls: [{ framework: 'soc2-2017', id: 'CC7.2', source: 'tool', via }] });
    expect(records.filter((r) => r.controls.length > 0)).toHaveLength(107);
    expect(records.flatMap((r) => r.controls).every((m) => m.source === 'tool' && m.framework === 'soc2-2017')).toBe(true);
    // Prowler cut long items at 63 characters: the partial last id is dropped, a complete one kept.
    const tags = records[42]?.tags ?? [];
    expect(tags).toEqual(expect.arrayContaining(['SOC2 cc_a_1_2', 'HIPAA 164_308_a_6_ii', 'NIST-CSF-1.1 ds_5', 'CIS-1.5 3.1']));
    expect(tags).not.toContain('HIPAA 164_312_');
  });

  it('reads Prowler 2 ASFF written as JSON Lines', async () => {
    const content = prowler('prowler-sample.asff-json');
    expect(scores(content)).toEqual({ asff: 1 });
    const parsed = await parse('prowler-sample.asff-json', content);
    expect(parsed).toMatchObject({ format: 'asff', accepted: true, diagnostics: [] });
    const records = checks(parsed.records);
    expect(records).toHaveLength(10);
    expect(countBy(records, 'status')).toEqual({ fail: 10 });
    expect(records.map((r) => r.place?.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(records[0]).toMatchObject({
      check: 'prowler:check11',
      title: '[check11] Avoid the use of the root account (Scored)',
      resource: 'AWS::::Account:123456789123 (us-east-1)',
      severity: 'high',
      observedAt: '2021-05-17T23:07:02.000Z',
      tool: 'prowler',
      toolVersion: '2.4.0-07042021',
      tags: ['Software and Configuration Checks'],
    });
    expect(records[1]).toMatchObject({ check: 'prowler:check12', tags: ['ens-op.acc.5.aws.iam.1'] });
  });

  it('reads Security Hub standards findings: generator id as check, standard and control as tags', async () => {
    const content = hub('asff_sample.json');
    expect(scores(content)).toEqual({ asff: 1 });
    const parsed = await parse('asff_sample.json', content);
    expect(parsed).toMatchObject({ format: 'asff', accepted: true, diagnostics: [] });
    const records = checks(parsed.records);
    expect(records).toHaveLength(18);
    expect(countBy(records, 'status')).toEqual({ fail: 17, pass: 1 });
    expect(countBy(records, 'severity')).toEqual({ low: 15, medium: 2, info: 1 });
    expect(records[0]).toMatchObject({
      check: 'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0/rule/1.1',
      title: '1.1 Avoid the use of the "root" account',
      resource: 'AWS::::Account:123456789123 (us-east-1)',
      observedAt: '2021-08-09T11:28:13.288Z',
      message: 'Multi region CloudTrail with the required configuration does not exist in the account',
      tool: 'Security Hub',
      category: 'compliance',
      tags: ['cis-aws-foundations-benchmark/v/1.2.0', 'cis-aws-foundations-benchmark/v/1.2.0 1.1'],
      place: { pointer: '/Findings/0' },
    });
    expect(records.every((r) => r.target === 'aws account 123456789123 us-east-1' && r.scope === 'asff:Security Hub')).toBe(true);
    // Security Hub resolved the finding of the control that passes: still a pass, and closed.
    expect(records[17]).toMatchObject({
      check: 'aws-foundational-security-best-practices/v/1.0.0/S3.2',
      closed: 'resolved (Workflow.Status RESOLVED)',
      status: 'pass',
      resource: 'arn:aws:s3:::example-bucket-123456789123-us-east-1',
      severity: 'info',
      // Its type is "Effects/Data Exposure/…", but a control finding is a compliance check.
      category: 'compliance',
      tags: ['aws-foundational-security-best-practices/v/1.0.0', 'aws-foundational-security-best-practices/v/1.0.0 S3.2'],
    });
  });

  it('reads GuardDuty findings as detections, one check per finding type', async () => {
    const parsed = await parse('guardduty.json', hub('guardduty.json'));
    expect(parsed).toMatchObject({ format: 'asff', accepted: true, diagnostics: [] });
    const records = checks(parsed.records);
    expect(records).toHaveLength(4);
    expect(countBy(records, 'status')).toEqual({ fail: 4 });
    expect(countBy(records, 'severity')).toEqual({ medium: 2, low: 2 });
    expect(countBy(records, 'category')).toEqual({ detection: 4 });
    expect(records.map((r) => r.check)).toEqual([
      'guardduty:DefenseEvasion:EC2-UnusualDNSResolver',
      'guardduty:Recon:EC2-Portscan',
      'guardduty:UnauthorizedAccess:EC2-SSHBruteForce',
      'guardduty:IAMUser-AnomalousBehavior',
    ]);
    expect(records[0]).toMatchObject({ resource: 'arn:aws:ec2:us-east-1:123456789012:instance/i-1234567890', tool: 'GuardDuty', observedAt: '2024-01-17T11:33:21.196Z' });
    // Each product of a Security Hub export has its own scope.
    expect(records[0]).toMatchObject({ target: 'aws account 123456789012 us-east-1', scope: 'asff:GuardDuty' });
  });

  it('reads Inspector CVE findings as vulnerabilities', async () => {
    const parsed = await parse('inspector_ec2_cve.json', hub('inspector_ec2_cve.json'));
    expect(parsed).toMatchObject({ format: 'asff', accepted: true, diagnostics: [] });
    const records = checks(parsed.records);
    expect(records).toHaveLength(5);
    expect(countBy(records, 'status')).toEqual({ fail: 5 });
    expect(countBy(records, 'severity')).toEqual({ critical: 5 });
    expect(records[0]).toMatchObject({
      check: 'CVE-2022-3643',
      title: 'CVE-2022-3643 - kernel',
      resource: 'arn:aws:ec2:us-east-1:XXXXXXXXXXXX:i-11111111111111111',
      location: 'kernel@4.14.301-224.520.amzn2',
      observedAt: '2023-03-01T08:34:29.000Z',
      tool: 'Inspector',
      toolVersion: '2',
      category: 'vulnerability',
      tags: ['CVE-2022-3643'],
    });
  });

  it('skips suppressed and archived findings, saying why; maps the other compliance statuses', async () => {
    const suppressed = await parse('s.json', guardDuty({ Workflow: { Status: 'SUPPRESSED' } }));
    expect(suppressed.records[0]).toMatchObject({ status: 'skip', message: 'suppressed (Workflow.Status SUPPRESSED): EC2 instance i-1234567890 is communicating with an Unusual DNS Resolver 1.1.1.1.' });
    expect((suppressed.records[0] as CheckRecord).closed).toBeUndefined();
    const archived = await parse('a.json', guardDuty({ RecordState: 'ARCHIVED' }));
    expect(archived.records[0]).toMatchObject({ status: 'skip', closed: 'archived (RecordState ARCHIVED)' });
    expect((archived.records[0] as CheckRecord).message).toMatch(/^archived \(RecordState ARCHIVED\)/);
    const status = async (value: string) => ((await parse('c.json', guardDuty({ Compliance: { Status: value } }))).records[0] as CheckRecord | undefined)?.status;
    expect(await status('WARNING')).toBe('manual');
    expect(await status('NOT_AVAILABLE')).toBe('skip');
    expect(await status('PASSED')).toBe('pass');
  });

  it('closes a resolved finding: a failure no longer counts, a pass does', async () => {
    const resolved = await parse('r.json', guardDuty({ Workflow: { Status: 'RESOLVED' } }));
    expect(resolved.records[0]).toMatchObject({
      status: 'skip',
      closed: 'resolved (Workflow.Status RESOLVED)',
      message: 'resolved (Workflow.Status RESOLVED): EC2 instance i-1234567890 is communicating with an Unusual DNS Resolver 1.1.1.1.',
    });
    const failed = await parse('f.json', guardDuty({ Workflow: { Status: 'RESOLVED' }, Compliance: { Status: 'FAILED' } }));
    expect(failed.records[0]).toMatchObject({ status: 'skip', closed: 'resolved (Workflow.Status RESOLVED)' });
    const passed = await parse('p.json', guardDuty({ Workflow: { Status: 'RESOLVED' }, Compliance: { Status: 'PASSED' } }));
    expect(passed.records[0]).toMatchObject({ status: 'pass', closed: 'resolved (Workflow.Status RESOLVED)' });
    // Before Workflow, ASFF said WorkflowState.
    const legacy = await parse('l.json', guardDuty({ Workflow: undefined, WorkflowState: 'RESOLVED' }));
    expect(legacy.records[0]).toMatchObject({ status: 'skip', closed: 'resolved (WorkflowState RESOLVED)' });
    const open = await parse('n.json', guardDuty({ Workflow: { Status: 'NEW' } }));
    expect(open.records[0]).toMatchObject({ status: 'fail' });
    expect((open.records[0] as CheckRecord).closed).toBeUndefined();
  });

  it('skips an unusable finding and keeps the others', async () => {
    const { Findings } = JSON.parse(hub('asff_sample.json')) as { Findings: Record<string, unknown>[] };
    Findings[3] = { ...Findings[3], Compliance: { Status: 'GREAT' } };
    Findings[4] = 'not a finding' as never;
    const parsed = await parse('bad.json', JSON.stringify({ Findings }));
    expect(parsed).toMatchObject({ accepted: true, invalidRecords: 2 });
    expect(parsed.records).toHaveLength(16);
    expect(parsed.diagnostics).toEqual([
      expect.objectContaining({ code: 'format/record-skipped', place: { pointer: '/Findings/3' }, message: 'unknown Compliance.Status "GREAT"' }),
      expect.objectContaining({ code: 'format/record-skipped', place: { pointer: '/Findings/4' }, message: 'the finding is not a JSON object' }),
    ]);
  });

  it('rejects a truncated file with the line, and a Findings member that is not an array with a pointer', async () => {
    const content = prowler('prowler-output.asff.json');
    const truncated = await parse('cut.json', content.slice(0, 800_000));
    expect(truncated).toMatchObject({ format: 'asff', accepted: false });
    expect(truncated.diagnostics[0]).toMatchObject({ code: 'format/syntax', message: 'invalid JSON: the JSON ends before it is complete (truncated file?)' });
    expect(truncated.diagnostics[0]?.place?.line).toBeGreaterThan(10_000);
    const wrong = await parse('wrong.json', JSON.stringify({ Findings: { SchemaVersion: '2018-10-08', GeneratorId: 'x' } }));
    expect(wrong).toMatchObject({ format: 'asff', accepted: false });
    expect(wrong.diagnostics[0]).toMatchObject({ code: 'format/schema', place: { pointer: '/Findings' } });
  });

  it('accepts an export with no findings', async () => {
    const parsed = await parse('empty.json', '{"Findings": []}');
    expect(parsed).toMatchObject({ format: 'asff', accepted: true, records: [] });
    expect(parsed.diagnostics).toEqual([{ code: 'format/no-findings', severity: 'info', message: 'the scan reported no findings', file: 'empty.json' }]);
  });
});
