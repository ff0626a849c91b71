import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CheckRecord } from '../../model/types.js';
import { collectedFrom } from '../../../test/helpers/source.js';
import { parseFile } from '../parse-file.js';
import type { Source } from '../parser.js';
import { parsers } from '../registry.js';
import { prowlerJsonParser } from './prowler-json.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/prowler-json/${name}`, import.meta.url), 'utf8');
const parse = (name: string, content = fixture(name)) => parseFile(collectedFrom(name, content));
const checks = (records: unknown[]) => records as CheckRecord[];
const scores = (content: string) =>
  Object.fromEntries(parsers.map((p) => [p.name, p.detect({ head: content.slice(0, 65536), binary: false, file: { path: 'x' } } as Source)]).filter(([, s]) => s));

describe('Prowler JSON (v3)', () => {
  it('reads Prowler 3 findings with their SOC 2 compliance as tool controls', async () => {
    const content = fixture('many_vuln.json');
    expect(scores(content)).toEqual({ 'prowler-json': 0.95 });
    const parsed = await parse('many_vuln.json');
    expect(parsed).toMatchObject({ format: 'prowler-json', accepted: true, diagnostics: [] });
    const records = checks(parsed.records);
    expect(records).toHaveLength(3);
    expect(records.map((r) => r.status)).toEqual(['fail', 'fail', 'fail']);
    expect(records.map((r) => r.severity)).toEqual(['high', 'low', 'medium']);
    expect(records[0]).toMatchObject({
      check: 'prowler:acm_certificates_expiration_check',
      title: 'Check if ACM Certificates are about to expire in specific days or less',
      resource: 'arn:aws:acm:us-east-1:999999999999:certificate/ffffffff-0000-0000-0000-000000000000',
      message: 'ACM Certificate for api.teste.teste.com is about to expire in 7 days.',
      observedAt: '2023-04-25T23:49:42.744Z',
      tool: 'prowler',
      category: 'compliance',
      place: { pointer: '/0' },
      controls: [{ framework: 'soc2-2017', id: 'CC6.7', source: 'tool', via: 'Prowler compliance SOC2' }],
    });
    // NIST, HIPAA, GDPR… stay classifiers; only ISO 27001 / SOC 2 become controls.
    expect(records[0]?.tags).toEqual(expect.arrayContaining(['SOC2 cc_6_7', 'NIST-800-53-Revision-5 sc_7_12', 'GDPR article_32']));
    // An account-level check has no ARN: the account id, in its region.
    expect(records[1]).toMatchObject({ check: 'prowler:accessanalyzer_enabled', resource: '999999999999 (us-east-1)', controls: [] });
    expect(records.map((r) => [r.target, r.scope])).toEqual(Array(3).fill(['aws account 999999999999 us-east-1', 'prowler-json']));
  });

  it('names the Azure subscription and the GCP project Prowler 3 scanned', async () => {
    const [first] = JSON.parse(fixture('many_vuln.json')) as Record<string, unknown>[];
    const { AccountId: _account, Region: _region, ...common } = first!;
    const targetOf = async (changes: Record<string, unknown>) => checks((await parse('t.json', JSON.stringify([{ ...common, ...changes }]))).records)[0]?.target;
    expect(await targetOf({ Provider: 'azure', Subscription: 'sub-1', Tenant_Domain: 'acme.onmicrosoft.com' })).toBe('azure subscription sub-1');
    expect(await targetOf({ Provider: 'gcp', ProjectId: 'shop-prod', Location: 'europe-west1' })).toBe('gcp project shop-prod europe-west1');
  });

  it('skips a finding Prowler 3 allowlisted (status WARNING), saying why', async () => {
    const findings = JSON.parse(fixture('many_vuln.json')) as Record<string, unknown>[];
    findings[0] = { ...findings[0], Status: 'WARNING' };
    const [record] = checks((await parse('allowlisted.json', JSON.stringify(findings))).records);
    expect(record).toMatchObject({ status: 'skip', message: 'allowlisted in Prowler (status WARNING): ACM Certificate for api.teste.teste.com is about to expire in 7 days.' });
  });

  it('skips an unusable finding, rejects truncated or non-array documents', async () => {
    const findings = JSON.parse(fixture('many_vuln.json')) as Record<string, unknown>[];
    delete findings[2]!.CheckID;
    const partial = await parse('partial.json', JSON.stringify(findings));
    expect(partial).toMatchObject({ accepted: true, invalidRecords: 1 });
    expect(partial.diagnostics[0]).toMatchObject({ code: 'format/record-skipped', place: { pointer: '/2' }, message: 'the finding has no CheckID' });

    const content = fixture('many_vuln.json');
    const truncated = await parse('cut.json', content.slice(0, 3000));
    expect(truncated).toMatchObject({ format: 'prowler-json', accepted: false });
    expect(truncated.diagnostics[0]).toMatchObject({ code: 'format/syntax' });
    expect(truncated.diagnostics[0]?.place?.line).toBeGreaterThan(50);

    const object = await parse('object.json', JSON.stringify({ CheckID: 'x', AssessmentStartTime: '2023-01-01', Status: 'PASS' }));
    expect(object).toMatchObject({ format: 'prowler-json', accepted: false });
    expect(object.diagnostics[0]).toMatchObject({ code: 'format/schema', place: { pointer: '' } });
  });

  it('accepts an empty list of findings', async () => {
    // "[]" carries no signature to detect, so the reader is asked directly.
    const parsed = await parseFile(collectedFrom('empty.json', '[]'), [{ ...prowlerJsonParser, detect: () => 1 }]);
    expect(parsed).toMatchObject({ format: 'prowler-json', accepted: true, records: [] });
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['format/no-findings']);
  });
});
