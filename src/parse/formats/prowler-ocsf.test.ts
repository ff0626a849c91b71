import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CheckRecord } from '../../model/types.js';
import { collectedFrom } from '../../../test/helpers/source.js';
import { parseFile } from '../parse-file.js';
import type { Source } from '../parser.js';
import { parsers } from '../registry.js';
import { prowlerOcsfParser } from './prowler-ocsf.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/prowler-ocsf/${name}`, import.meta.url), 'utf8');
const parse = (name: string, content = fixture(name)) => parseFile(collectedFrom(name, content));
const checks = (records: unknown[]) => records as CheckRecord[];
const statuses = (records: CheckRecord[]) => records.reduce<Record<string, number>>((n, r) => ({ ...n, [r.status]: (n[r.status] ?? 0) + 1 }), {});
const scores = (content: string) =>
  Object.fromEntries(parsers.map((p) => [p.name, p.detect({ head: content.slice(0, 65536), binary: false, file: { path: 'x' } } as Source)]).filter(([, s]) => s));

/** The first finding of the Prowler 5 example, with other compliance frameworks. */
const withCompliance = (compliance: Record<string, string[]>) => {
  const [first] = JSON.parse(fixture('example_output_aws.ocsf.json')) as Record<string, Record<string, unknown>>[];
  return JSON.stringify([{ ...first, unmapped: { ...first!.unmapped, compliance } }]);
};

describe('Prowler JSON-OCSF', () => {
  it('reads the Prowler 5 example: check id, epoch time, placeholders left out of the version', async () => {
    const content = fixture('example_output_aws.ocsf.json');
    expect(scores(content)).toEqual({ 'prowler-ocsf': 0.95 });
    const parsed = await parse('example_output_aws.ocsf.json');
    expect(parsed).toMatchObject({ format: 'prowler-ocsf', accepted: true, diagnostics: [] });
    const records = checks(parsed.records);
    expect(records).toHaveLength(5);
    expect(statuses(records)).toEqual({ fail: 2, manual: 3 });
    expect(records[0]).toMatchObject({
      check: 'prowler:accessanalyzer_enabled',
      title: 'Check if IAM Access Analyzer is enabled',
      status: 'fail',
      resource: '<resource_uid>',
      severity: 'low',
      message: 'IAM Access Analyzer in account <account_uid> is not enabled.',
      // created_time 1739539623 (epoch seconds); created_time_dt says 14:27:03 in the scanner's local time.
      observedAt: '2025-02-14T13:27:03.000Z',
      tool: 'prowler',
      category: 'compliance',
      place: { pointer: '/0' },
      controls: [],
    });
    expect(records[0]?.toolVersion).toBeUndefined();
    expect(records[0]?.tags).toEqual(expect.arrayContaining(['CIS-1.4 1.20', 'KISA-ISMS-P-2023 2.5.6', 'CIS-3.0 1.20']));
    expect(records.map((r) => r.check)).toContain('prowler:account_security_questions_are_registered_in_the_aws_account');
    expect(records[3]).toMatchObject({ status: 'manual', resource: 'arn:aws:iam::<account_uid>:root', severity: 'medium' });
    // The account is a placeholder: no target (the evidence folder stands for it); the scope is the format.
    expect(records.map((r) => [r.target, r.scope])).toEqual(Array(5).fill([undefined, 'prowler-ocsf']));
  });

  it('reads Prowler 4.2.1 output and skips the finding its mutelist suppressed', async () => {
    const parsed = await parse('many_vuln.ocsf.json');
    expect(parsed).toMatchObject({ format: 'prowler-ocsf', accepted: true });
    const records = checks(parsed.records);
    expect(records).toHaveLength(3);
    // SOURCES.md counts 3 FAIL: the third keeps status_code FAIL but has status "Suppressed", which
    // is how Prowler marks a finding muted by its mutelist.
    expect(statuses(records)).toEqual({ fail: 2, skip: 1 });
    expect(records[0]).toMatchObject({
      check: 'prowler:iam_role_administratoraccess_policy_permissive_trust_relationship',
      resource: 'arn:aws:iam::123456789012:role/myAdministratorExecutionRole',
      severity: 'high',
      toolVersion: '4.2.1',
      // A time without a zone, read as UTC.
      observedAt: '2024-06-03T14:15:19.382Z',
    });
    expect(records[2]).toMatchObject({ check: 'prowler:iam_role_permissive_trust_relationship', status: 'skip' });
    expect(records[2]?.message).toMatch(/^muted in Prowler \(the check reported FAIL\): /);
    expect(records[1]?.tags).toEqual(expect.arrayContaining(['AWS-Foundational-Technical-Review IAM-0012']));
    // A snapshot of the account and region; the resource is the role's ARN, not Prowler's finding uid.
    expect(records.every((r) => r.target === 'aws account 123456789012 us-east-1' && r.scope === 'prowler-ocsf' && r.identity === undefined)).toBe(true);
  });

  it('names the cloud account, project or cluster scanned, for each provider', async () => {
    const [first] = JSON.parse(fixture('many_vuln.ocsf.json')) as Record<string, unknown>[];
    const targetOf = async (changes: Record<string, unknown>) => checks((await parse('t.ocsf.json', JSON.stringify([{ ...first, ...changes }]))).records)[0]?.target;
    expect(await targetOf({ cloud: { provider: 'azure', account: { uid: 'sub-1', type: 'Azure AD Account' }, region: 'westeurope' } })).toBe('azure subscription sub-1 westeurope');
    // Prowler 3 wrote a GCP project as cloud.project_uid.
    expect(await targetOf({ cloud: { provider: 'gcp', account: null, project_uid: 'shop-prod', region: 'europe-west1' } })).toBe('gcp project shop-prod europe-west1');
    // Kubernetes findings have no cloud: the cluster is the provider uid, the namespace on the resource.
    expect(
      await targetOf({ cloud: undefined, unmapped: { provider: 'kubernetes', provider_uid: 'prod-cluster' }, resources: [{ uid: 'pod/web', name: 'web', namespace: 'shop' }] }),
    ).toBe('kubernetes cluster prod-cluster namespace: shop');
  });

  it('carries ISO 27001 and SOC 2 controls the tool attaches, 2013 ids carried to 2022', async () => {
    const parsed = await parse(
      'iso.ocsf.json',
      withCompliance({
        'ISO27001-2022': ['A.8.16', 'A.5.15'],
        // Prowler's 2013 framework names control objectives: A.12.4 holds A.12.4.1–A.12.4.4.
        'ISO27001-2013': ['A.12.4', 'A.8.2'],
        SOC2: ['cc_7_2', 'cc_a_1_2'],
        'CIS-2.0': ['1.20'],
      }),
    );
    const [record] = checks(parsed.records);
    const via2013 = (id: string) => `Prowler compliance ISO27001-2013 ${id} (2013 edition)`;
    expect(record?.controls).toEqual([
      { framework: 'iso27001-2022', id: 'A.8.16', source: 'tool', via: 'Prowler compliance ISO27001-2022' },
      { framework: 'iso27001-2022', id: 'A.5.15', source: 'tool', via: 'Prowler compliance ISO27001-2022' },
      { framework: 'iso27001-2022', id: 'A.8.15', source: 'tool', via: via2013('A.12.4') },
      { framework: 'iso27001-2022', id: 'A.8.17', source: 'tool', via: via2013('A.12.4') },
      // 2013 A.8.2 is information classification, not 2022 A.8.2 privileged access rights.
      { framework: 'iso27001-2022', id: 'A.5.12', source: 'tool', via: via2013('A.8.2') },
      { framework: 'iso27001-2022', id: 'A.5.13', source: 'tool', via: via2013('A.8.2') },
      { framework: 'iso27001-2022', id: 'A.5.10', source: 'tool', via: via2013('A.8.2') },
      { framework: 'soc2-2017', id: 'CC7.2', source: 'tool', via: 'Prowler compliance SOC2' },
      { framework: 'soc2-2017', id: 'A1.2', source: 'tool', via: 'Prowler compliance SOC2' },
    ]);
    expect(record?.rawControls).toEqual([]);
  });

  it('reads the Prowler 3 form (OCSF 1.0.0-rc.3 Security Finding)', async () => {
    const finding = {
      finding: { title: 'Ensure MFA is enabled for the root account', uid: 'prowler-aws-iam_root_mfa_enabled-123456789012-us-east-1-123456789012' },
      resources: [{ uid: '', name: '123456789012', region: 'us-east-1' }],
      status: 'Success',
      severity: 'Critical',
      message: 'MFA is enabled for root account.',
      compliance: { status: 'Success', requirements: ['CIS-1.5: 1.5', 'SOC2: cc_6_1, cc_6_6'] },
      time: '2023-08-01T10:00:00',
      metadata: { product: { name: 'Prowler', version: '3.8.2', feature: { uid: 'iam_root_mfa_enabled', name: 'iam_root_mfa_enabled' } }, version: '1.0.0-rc.3' },
      class_uid: 2001,
    };
    const parsed = await parse('v3.ocsf.json', JSON.stringify([finding], null, 2));
    expect(parsed.format).toBe('prowler-ocsf');
    expect(parsed.records[0]).toMatchObject({
      check: 'prowler:iam_root_mfa_enabled',
      status: 'pass',
      severity: 'critical',
      resource: '123456789012 (us-east-1)',
      observedAt: '2023-08-01T10:00:00.000Z',
      toolVersion: '3.8.2',
      tags: ['CIS-1.5 1.5', 'SOC2 cc_6_1', 'SOC2 cc_6_6'],
      controls: [
        { framework: 'soc2-2017', id: 'CC6.1', source: 'tool' },
        { framework: 'soc2-2017', id: 'CC6.6', source: 'tool' },
      ],
    });
  });

  it('skips an unusable finding and keeps the others', async () => {
    const findings = JSON.parse(fixture('example_output_aws.ocsf.json')) as Record<string, unknown>[];
    findings[1] = { ...findings[1], status_code: 'SOMETIMES' };
    const parsed = await parse('bad.ocsf.json', JSON.stringify(findings));
    expect(parsed).toMatchObject({ accepted: true, invalidRecords: 1 });
    expect(parsed.records).toHaveLength(4);
    expect(parsed.diagnostics[0]).toMatchObject({ code: 'format/record-skipped', place: { pointer: '/1' }, message: 'unknown status "SOMETIMES"' });
  });

  it('rejects a truncated file with the line, and a document that is not an array with a pointer', async () => {
    const content = fixture('example_output_aws.ocsf.json');
    const truncated = await parse('cut.ocsf.json', content.slice(0, content.length / 2));
    expect(truncated).toMatchObject({ format: 'prowler-ocsf', accepted: false });
    expect(truncated.diagnostics[0]).toMatchObject({ code: 'format/syntax', message: 'invalid JSON: the JSON ends before it is complete (truncated file?)' });
    expect(truncated.diagnostics[0]?.place?.line).toBeGreaterThan(100);
    const object = await parse('one.ocsf.json', JSON.stringify({ class_uid: 2004, metadata: { product: { name: 'Prowler' } } }));
    expect(object).toMatchObject({ format: 'prowler-ocsf', accepted: false });
    expect(object.diagnostics[0]).toMatchObject({ code: 'format/schema', place: { pointer: '' } });
  });

  it('accepts an empty list of findings', async () => {
    // "[]" carries no signature to detect, so the reader is asked directly.
    const parsed = await parseFile(collectedFrom('empty.ocsf.json', '[]\n'), [{ ...prowlerOcsfParser, detect: () => 1 }]);
    expect(parsed).toMatchObject({ format: 'prowler-ocsf', accepted: true, records: [] });
    expect(parsed.diagnostics).toEqual([{ code: 'format/no-findings', severity: 'info', message: 'the scan reported no findings', file: 'empty.ocsf.json' }]);
  });
});
