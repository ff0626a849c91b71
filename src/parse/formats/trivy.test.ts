import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CheckRecord } from '../../model/types.js';
import { collectedFrom } from '../../../test/helpers/source.js';
import { parseFile } from '../parse-file.js';
import type { Source } from '../parser.js';
import { trivyParser } from './trivy.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/trivy-json/${name}`, import.meta.url));
const parse = async (name: string, content: string | Buffer = fixture(name)) => parseFile(collectedFrom(name, content));
const checks = (records: unknown[]) => records as CheckRecord[];
const countBy = (records: CheckRecord[], key: 'status' | 'category') =>
  records.reduce<Record<string, number>>((n, r) => ({ ...n, [String(r[key])]: (n[String(r[key])] ?? 0) + 1 }), {});
const score = (content: string) => trivyParser.detect({ head: content.slice(0, 65536), binary: false, file: { path: 'x' } } as Source);
const report = (results: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ SchemaVersion: 2, CreatedAt: '2026-02-03T04:05:06.123456789Z', ArtifactName: '.', ArtifactType: 'filesystem', Results: results, ...extra });

describe('Trivy JSON', () => {
  it('reads an image scan: one vulnerability per package, dated by CreatedAt', async () => {
    const parsed = await parse('alpine-310.json.golden');
    expect(parsed).toMatchObject({ format: 'trivy', accepted: true });
    expect(score(fixture('alpine-310.json.golden').toString())).toBe(0.95);
    const records = checks(parsed.records);
    expect(records).toHaveLength(4);
    expect(countBy(records, 'status')).toEqual({ fail: 4 });
    expect(records[0]).toMatchObject({
      check: 'CVE-2019-1549',
      title: 'openssl: information disclosure in fork()',
      resource: 'testdata/fixtures/images/alpine-310.tar.gz (alpine 3.10.2):libcrypto1.1',
      location: 'libcrypto1.1@1.1.1c-r0',
      severity: 'medium',
      message: 'fixed in 1.1.1d-r0',
      category: 'vulnerability',
      tool: 'trivy',
      toolVersion: 'dev',
      observedAt: '2021-08-25T12:20:30.000Z',
      tags: ['CVE-2019-1549', 'CWE-330'],
      place: { pointer: '/Results/0/Vulnerabilities/0' },
    });
    expect(records[2]?.resource).toBe('testdata/fixtures/images/alpine-310.tar.gz (alpine 3.10.2):libssl1.1');
    // A snapshot of the image (an --input archive here); the package, without the OS release, is the finding.
    expect(records.map((r) => [r.target, r.scope, r.identity])).toEqual([
      ['testdata/fixtures/images/alpine-310.tar.gz', 'trivy:os-pkgs', 'testdata/fixtures/images/alpine-310.tar.gz:libcrypto1.1'],
      ['testdata/fixtures/images/alpine-310.tar.gz', 'trivy:os-pkgs', 'testdata/fixtures/images/alpine-310.tar.gz:libcrypto1.1'],
      ['testdata/fixtures/images/alpine-310.tar.gz', 'trivy:os-pkgs', 'testdata/fixtures/images/alpine-310.tar.gz:libssl1.1'],
      ['testdata/fixtures/images/alpine-310.tar.gz', 'trivy:os-pkgs', 'testdata/fixtures/images/alpine-310.tar.gz:libssl1.1'],
    ]);
    expect(parsed.diagnostics).toEqual([]);
  });

  it('reads vulnerabilities, misconfigurations and secrets without the secret text', async () => {
    const parsed = await parse('misconfigurations_and_secrets.json');
    expect(parsed).toMatchObject({ format: 'trivy', accepted: true });
    const records = checks(parsed.records);
    // 2 vulnerabilities, 1 listed misconfiguration (the Dockerfile's 22 passes are only counted in
    // MisconfSummary, not listed, so they cannot become records) and 2 secrets.
    expect(records).toHaveLength(5);
    expect(countBy(records, 'status')).toEqual({ fail: 5 });
    expect(countBy(records, 'category')).toEqual({ vulnerability: 2, misconfiguration: 1, secret: 2 });
    expect(records.find((r) => r.category === 'misconfiguration')).toMatchObject({
      check: 'DS002',
      title: "Image user should not be 'root'",
      resource: 'Dockerfile',
      severity: 'high',
      message: 'Specify at least 1 USER command in Dockerfile with non-root user as argument',
    });
    expect(records.filter((r) => r.category === 'secret')).toMatchObject([
      { check: 'github-pat', resource: 'Dockerfile', location: 'Dockerfile:24', severity: 'critical', message: 'GitHub Personal Access Token' },
      { check: 'github-pat', resource: 'secret.txt', location: 'secret.txt:1' },
    ]);
    expect(JSON.stringify(records)).not.toContain('GITHUB_PAT');
    // `trivy fs .`: the folder Trivy ran in names no target; each result's scanner is its scope.
    expect(records.map((r) => [r.category, r.scope])).toEqual([
      ['vulnerability', 'trivy:lang-pkgs'],
      ['vulnerability', 'trivy:lang-pkgs'],
      ['misconfiguration', 'trivy:config'],
      ['secret', 'trivy:secret'],
      ['secret', 'trivy:secret'],
    ]);
    expect(records.some((r) => r.target !== undefined || r.identity !== undefined)).toBe(false);
    // This report has neither CreatedAt nor a Trivy version.
    expect(records[0]?.observedAt).toBeUndefined();
    expect(records[0]?.toolVersion).toBeUndefined();
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['format/undated']);
  });

  it('reads the misconfigurations Trivy lists; passes it only counts are not records', async () => {
    const parsed = await parse('terraform-remote-module.json.golden');
    expect(parsed).toMatchObject({ format: 'trivy', accepted: true });
    const records = checks(parsed.records);
    // MisconfSummary says 58 successes (target ".") and 3 failures (main.tf), but only the 3
    // failures are listed in Misconfigurations: the report was made without --include-non-failures.
    expect(records).toHaveLength(3);
    expect(countBy(records, 'status')).toEqual({ fail: 3 });
    expect(records.map((r) => [r.check, r.severity])).toEqual([
      ['AWS-0089', 'low'],
      ['AWS-0090', 'medium'],
      ['AWS-0132', 'high'],
    ]);
    expect(records[0]).toMatchObject({
      title: 'S3 Bucket Logging',
      resource: 'terraform-aws-modules/s3-bucket/aws/main.tf:module.bucket',
      location: 'terraform-aws-modules/s3-bucket/aws/main.tf:25',
      category: 'misconfiguration',
      observedAt: '2021-08-25T12:20:30.000Z',
    });
  });

  it('maps listed PASS and EXCEPTION checks and suppressed findings', async () => {
    const parsed = await parse(
      'listed.json',
      report([
        {
          Target: 'main.tf',
          Misconfigurations: [
            { ID: 'AWS-0086', Title: 'Block public ACLs', Status: 'PASS', Severity: 'HIGH', CauseMetadata: { Resource: 'aws_s3_bucket.a', StartLine: 3 } },
            { ID: 'AWS-0087', Status: 'EXCEPTION', Severity: 'HIGH' },
            { ID: 'AWS-0088', Status: 'MAYBE' },
          ],
          ExperimentalModifiedFindings: [
            { Type: 'vulnerability', Status: 'not_affected', Statement: 'vulnerable code not in execute path', Finding: { VulnerabilityID: 'CVE-2024-0001', PkgName: 'lib', Severity: 'UNKNOWN' } },
          ],
        },
      ]),
    );
    expect(parsed).toMatchObject({ accepted: true, invalidRecords: 1 });
    expect(checks(parsed.records)).toMatchObject([
      { check: 'AWS-0086', status: 'pass', resource: 'main.tf:aws_s3_bucket.a', location: 'main.tf:3', observedAt: '2026-02-03T04:05:06.123Z' },
      { check: 'AWS-0087', status: 'skip', resource: 'main.tf' },
      { check: 'CVE-2024-0001', status: 'skip', resource: 'main.tf:lib', message: 'vulnerable code not in execute path' },
    ]);
    expect(checks(parsed.records)[2]?.severity).toBeUndefined();
    expect(parsed.diagnostics[0]).toMatchObject({ code: 'format/record-skipped', place: { pointer: '/Results/0/Misconfigurations/2' } });
  });

  describe('snapshots of an image', () => {
    /** A monthly scan of one image: a new tag, a newer base image, an upgraded package still flawed. */
    const imageScan = (reference: string, os: string, version: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        SchemaVersion: 2,
        CreatedAt: '2026-11-18T06:00:00Z',
        ArtifactName: reference,
        ArtifactType: 'container_image',
        Results: [
          { Target: `${reference} (debian ${os})`, Class: 'os-pkgs', Type: 'debian', Vulnerabilities: [{ VulnerabilityID: 'CVE-2026-1234', PkgName: 'libssl3', InstalledVersion: version, Severity: 'HIGH' }] },
          { Target: 'usr/src/app/package-lock.json', Class: 'lang-pkgs', Type: 'npm', Vulnerabilities: [{ VulnerabilityID: 'CVE-2026-9999', PkgName: 'lodash', InstalledVersion: '4.17.20', Severity: 'LOW' }] },
          { Target: '/usr/src/app/.env', Class: 'secret', Secrets: [{ RuleID: 'aws-access-key-id', Title: 'AWS Access Key ID', Severity: 'CRITICAL', StartLine: 3 }] },
        ],
        ...extra,
      });

    it('gives the same target and identity to the same flaw in two tags of the image', async () => {
      const november = checks((await parse('nov.json', imageScan('registry.example.com:5000/checkout-api:2026.11.18', '12.5', '3.0.11-1'))).records);
      const december = checks((await parse('dec.json', imageScan('registry.example.com:5000/checkout-api:2026.12.16', '12.6', '3.0.13-1'))).records);
      expect(november[0]).toMatchObject({
        resource: 'registry.example.com:5000/checkout-api:2026.11.18 (debian 12.5):libssl3',
        location: 'libssl3@3.0.11-1',
        target: 'registry.example.com:5000/checkout-api',
        scope: 'trivy:os-pkgs',
        identity: 'registry.example.com:5000/checkout-api:libssl3',
      });
      const key = (r: CheckRecord) => [r.target, r.scope, r.check, r.identity ?? r.resource];
      expect(december.map(key)).toEqual(november.map(key));
      expect(december[0]?.resource).not.toBe(november[0]?.resource);
      // Paths inside the image have no tag: their resource is their identity.
      expect(november[1]).toMatchObject({ resource: 'usr/src/app/package-lock.json:lodash', scope: 'trivy:lang-pkgs', target: 'registry.example.com:5000/checkout-api' });
      expect(november[2]).toMatchObject({ check: 'aws-access-key-id', resource: '/usr/src/app/.env', scope: 'trivy:secret' });
      expect([november[1]?.identity, november[2]?.identity]).toEqual([undefined, undefined]);
    });

    it('takes an image named by digest without it', async () => {
      const digest = `sha256:${'4f'.repeat(32)}`;
      const [record] = checks((await parse('d.json', imageScan(`registry.example.com/checkout-api@${digest}`, '12.5', '3.0.11-1'))).records);
      expect(record).toMatchObject({ target: 'registry.example.com/checkout-api', identity: 'registry.example.com/checkout-api:libssl3' });
    });

    it('names a repository by its URL without credentials, an absolute path as it is, and a relative one not at all', async () => {
      // Trivy writes the artifact and its Metadata before the Results.
      const Results = [{ Target: 'go.mod', Class: 'lang-pkgs', Vulnerabilities: [{ VulnerabilityID: 'CVE-2026-1', PkgName: 'golang.org/x/net' }] }];
      const targetOf = async (artifact: Record<string, unknown>) => checks((await parse('r.json', JSON.stringify({ SchemaVersion: 2, ...artifact, Results }))).records)[0]?.target;
      expect(await targetOf({ ArtifactName: 'https://oauth2:glpat-abc@gitlab.example.com/shop/api', ArtifactType: 'repository' })).toBe('https://gitlab.example.com/shop/api');
      expect(await targetOf({ ArtifactName: '.', ArtifactType: 'repository', Metadata: { RepoURL: 'https://github.com/acme/shop', Branch: 'main' } })).toBe('https://github.com/acme/shop');
      expect(await targetOf({ ArtifactName: '/builds/acme/shop', ArtifactType: 'filesystem' })).toBe('/builds/acme/shop');
      expect(await targetOf({ ArtifactName: './shop', ArtifactType: 'filesystem' })).toBeUndefined();
    });
  });

  it('rejects a truncated report with the line', async () => {
    const text = fixture('alpine-310.json.golden').toString();
    const parsed = await parse('cut.json', text.slice(0, 3000));
    expect(parsed).toMatchObject({ format: 'trivy', accepted: false });
    expect(parsed.diagnostics[0]).toMatchObject({ code: 'format/syntax' });
    expect(parsed.diagnostics[0]?.place?.line).toBeGreaterThan(1);
  });

  it('rejects a report whose Results is not a list, at the pointer', async () => {
    const parsed = await parse('bad.json', report('x'));
    expect(parsed).toMatchObject({ format: 'trivy', accepted: false });
    expect(parsed.diagnostics[0]).toMatchObject({ code: 'format/schema', place: { pointer: '/Results' } });
  });

  it('accepts a clean scan and says when passes were only counted', async () => {
    const none = await parse('none.json', JSON.stringify({ SchemaVersion: 2, ArtifactName: '.', ArtifactType: 'filesystem' }));
    expect(none).toMatchObject({ format: 'trivy', accepted: true, records: [] });
    expect(none.diagnostics.map((d) => d.code)).toEqual(['format/no-findings']);
    const counted = await parse('counted.json', report([{ Target: '.', Class: 'config', MisconfSummary: { Successes: 5, Failures: 0 } }]));
    expect(counted).toMatchObject({ accepted: true, records: [] });
    expect(counted.diagnostics[0]?.hint).toMatch(/5 passed checks.*--include-non-failures/);
  });
});
