import { describe, expect, it } from 'vitest';
import type { CheckRecord } from '../../model/types.js';
import { collectedFrom } from '../../../test/helpers/source.js';
import { parseFile } from '../parse-file.js';

/**
 * The readers of large JSON formats stream their big arrays: a generated file of 5,000 elements is read
 * from many stream chunks (64 KiB each), and a syntax error deep inside the array is placed on its line.
 */
const COUNT = 5000;
const MARK = 'MARKED-ELEMENT';
/** The element whose marker line the syntax-error test breaks. */
const DEEP = 4321;
const marked = (i: number) => (i === DEEP ? MARK : `item ${i}`);

interface Family {
  format: string;
  /** A document holding COUNT findings; the DEEP-th carries MARK in one of its string fields. */
  document(): unknown;
}

const families: Family[] = [
  {
    format: 'sarif',
    document: () => ({
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'CodeQL', rules: [{ id: 'js/xss', properties: { tags: ['external/cwe/cwe-079'] } }] } },
          invocations: [{ executionSuccessful: true, endTimeUtc: '2026-03-01T10:00:00Z' }],
          results: Array.from({ length: COUNT }, (_, i) => ({
            ruleId: 'js/xss',
            message: { text: marked(i) },
            locations: [{ physicalLocation: { artifactLocation: { uri: `src/f${i}.js` }, region: { startLine: 3 } } }],
          })),
        },
      ],
    }),
  },
  {
    format: 'trivy',
    document: () => ({
      SchemaVersion: 2,
      CreatedAt: '2026-03-01T10:00:00Z',
      ArtifactName: 'image',
      ArtifactType: 'container_image',
      Results: [
        { Target: 'image (debian)', Class: 'os-pkgs', Vulnerabilities: Array.from({ length: COUNT - 1 }, (_, i) => ({ VulnerabilityID: `CVE-2024-${10000 + i}`, PkgName: `pkg${i}`, Severity: 'HIGH', Title: marked(i) })) },
        { Target: 'Dockerfile', Class: 'config', Misconfigurations: [{ ID: 'DS002', Status: 'FAIL', Title: 'root user' }] },
      ],
    }),
  },
  {
    format: 'checkov',
    document: () => [
      {
        check_type: 'terraform',
        results: {
          passed_checks: Array.from({ length: COUNT }, (_, i) => ({ check_id: 'CKV_AWS_20', check_name: marked(i), file_path: `/m${i}.tf`, resource: `aws_s3_bucket.b${i}`, file_line_range: [1, 5] })),
          failed_checks: [],
          skipped_checks: [],
          parsing_errors: [],
        },
        summary: { passed: COUNT, failed: 0, skipped: 0, parsing_errors: 0, checkov_version: '3.2.0' },
      },
    ],
  },
  {
    format: 'kube-bench',
    document: () => ({
      Controls: [
        {
          id: '1',
          version: 'cis-1.8',
          text: 'Control Plane',
          node_type: 'master',
          tests: Array.from({ length: COUNT / 100 }, (_, t) => ({
            section: `1.${t}`,
            results: Array.from({ length: 100 }, (_, r) => ({ test_number: `1.${t}.${r}`, test_desc: marked(t * 100 + r), status: 'PASS' })),
          })),
          total_pass: COUNT,
        },
      ],
      Totals: { total_pass: COUNT, total_fail: 0, total_warn: 0, total_info: 0 },
    }),
  },
  {
    format: 'inspec',
    document: () => ({
      platform: { name: 'ubuntu', release: '22.04', target_id: 'host-1' },
      profiles: [
        {
          name: 'baseline',
          version: '1.0.0',
          controls: Array.from({ length: COUNT }, (_, i) => ({
            id: `ctl-${i}`,
            title: marked(i),
            impact: 0.7,
            tags: { nist: ['AC-6'] },
            results: [{ status: 'passed', code_desc: 'ok', start_time: '2026-03-01T10:00:00+00:00' }],
          })),
        },
      ],
      statistics: { duration: 1 },
      version: '5.22.3',
    }),
  },
  {
    format: 'prowler-ocsf',
    document: () =>
      Array.from({ length: COUNT }, (_, i) => ({
        metadata: { event_code: 'iam_root_mfa_enabled', product: { name: 'Prowler', vendor_name: 'Prowler', version: '4.2.1' } },
        class_uid: 2004,
        status_code: 'FAIL',
        severity: 'High',
        finding_info: { title: marked(i), uid: `prowler-aws-iam_root_mfa_enabled-${i}`, created_time: 1767261600 },
        resources: [{ uid: `arn:aws:iam::123456789012:user/u${i}`, region: 'eu-west-1' }],
      })),
  },
  {
    format: 'prowler-json',
    document: () =>
      Array.from({ length: COUNT }, (_, i) => ({
        AssessmentStartTime: '2026-03-01T10:00:00',
        FindingUniqueId: `prowler-aws-s3_bucket_public_access-${i}`,
        CheckID: 's3_bucket_public_access',
        CheckTitle: marked(i),
        ServiceName: 's3',
        Status: 'PASS',
        Severity: 'critical',
        ResourceArn: `arn:aws:s3:::bucket-${i}`,
        Region: 'eu-west-1',
      })),
  },
  {
    format: 'asff',
    document: () => ({
      Findings: Array.from({ length: COUNT }, (_, i) => ({
        SchemaVersion: '2018-10-08',
        Id: `finding-${i}`,
        ProductArn: 'arn:aws:securityhub:eu-west-1::product/aws/securityhub',
        GeneratorId: 'aws-foundational-security-best-practices/v/1.0.0/S3.1',
        AwsAccountId: '123456789012',
        Types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
        UpdatedAt: '2026-03-01T10:00:00.000Z',
        Severity: { Label: 'MEDIUM' },
        Title: marked(i),
        Resources: [{ Type: 'AwsS3Bucket', Id: `arn:aws:s3:::bucket-${i}` }],
        Compliance: { Status: 'FAILED' },
      })),
    }),
  },
];

describe('streamed JSON formats', () => {
  it.each(families)('$format: reads 5,000 findings from many stream chunks, in order', async ({ format, document }) => {
    const content = JSON.stringify(document(), null, 2);
    expect(content.length).toBeGreaterThan(10 * 64 * 1024);
    const parsed = await parseFile(collectedFrom(`big-${format}.json`, content));
    expect(parsed).toMatchObject({ format, accepted: true });
    expect(parsed.invalidRecords).toBeUndefined();
    expect(parsed.records).toHaveLength(COUNT);
    // The record of the marked element is where its element is, and points at it.
    const records = parsed.records as CheckRecord[];
    const at = records.findIndex((r) => r.title === MARK || r.message === MARK);
    expect(at).toBe(DEEP);
    expect(records[at]?.place?.pointer).toMatch(/\/\d+$/);
  });

  it.each(families)('$format: places a syntax error deep inside the array on its line, and rejects the file', async ({ format, document }) => {
    const lines = JSON.stringify(document(), null, 2).split('\n');
    const line = lines.findIndex((l) => l.includes(MARK));
    // `"title": "MARKED…"` loses its colon.
    lines[line] = lines[line]!.replace(`: "${MARK}"`, ` "${MARK}"`);
    const parsed = await parseFile(collectedFrom(`broken-${format}.json`, lines.join('\n')));
    expect(parsed).toMatchObject({ format, accepted: false, records: [] });
    expect(parsed.diagnostics[0]).toMatchObject({ code: 'format/syntax', place: { line: line + 1 } });
    expect(parsed.reason).toMatch(/^invalid JSON: (?:Expected ':' after property name|Unexpected string)$/);
  });

  it('gives the syntax error, not the records skipped before it, as the reason a truncated file is rejected', async () => {
    const findings = (families.find((f) => f.format === 'prowler-ocsf')!.document() as Record<string, unknown>[]).slice(0, 50);
    findings[0] = { ...findings[0], status_code: 'SOMETIMES' };
    const content = JSON.stringify(findings, null, 2);
    const parsed = await parseFile(collectedFrom('cut.ocsf.json', content.slice(0, content.length - 400)));
    expect(parsed).toMatchObject({ format: 'prowler-ocsf', accepted: false, reason: 'invalid JSON: the JSON ends before it is complete (truncated file?)' });
    expect(parsed.diagnostics[0]).toMatchObject({ code: 'format/record-skipped', place: { pointer: '/0' } });
  });
});
