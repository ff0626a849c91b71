import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CheckRecord } from '../../model/types.js';
import { collectedFrom } from '../../../test/helpers/source.js';
import { parseFile } from '../parse-file.js';
import type { Source } from '../parser.js';
import { checkovParser } from './checkov.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/checkov-json/${name}`, import.meta.url));
const parse = async (name: string, content: string | Buffer = fixture(name)) => parseFile(collectedFrom(name, content));
const checks = (records: unknown[]) => records as CheckRecord[];
const countBy = (records: CheckRecord[]) => records.reduce<Record<string, number>>((n, r) => ({ ...n, [r.status]: (n[r.status] ?? 0) + 1 }), {});
const score = (content: string) => checkovParser.detect({ head: content.slice(0, 65536), binary: false, file: { path: 'x' } } as Source);

describe('Checkov JSON', () => {
  it('reads an array of reports, one per framework', async () => {
    const parsed = await parse('checkov-report-multiple-check_type.json');
    expect(parsed).toMatchObject({ format: 'checkov', accepted: true });
    expect(score(fixture('checkov-report-multiple-check_type.json').toString())).toBe(0.95);
    const records = checks(parsed.records);
    // terraform 14 passed + 11 failed, dockerfile 1 passed + 2 failed.
    expect(records).toHaveLength(28);
    expect(countBy(records)).toEqual({ pass: 15, fail: 13 });
    expect(records.find((r) => r.check === 'CKV_AWS_161')).toMatchObject({
      title: 'Ensure RDS database has IAM authentication enabled',
      status: 'fail',
      resource: '/aws/db-app.tf:aws_db_instance.default',
      location: '/aws/db-app.tf:1',
      category: 'misconfiguration',
      tool: 'checkov',
      toolVersion: '2.0.209',
    });
    // Dockerfile checks name the file itself as the resource, and line 0 means no line.
    expect(records.find((r) => r.check === 'CKV_DOCKER_3')).toMatchObject({
      resource: '/aws/resources/Dockerfile.',
      location: '/aws/resources/Dockerfile',
      place: { pointer: '/1/results/failed_checks/0' },
    });
    expect(records.every((r) => r.observedAt === undefined && r.severity === undefined)).toBe(true);
    // Each framework's report is its own scope; Checkov names no repository, so no target.
    expect(records.map((r) => r.scope)).toEqual([...Array(25).fill('checkov:terraform'), ...Array(3).fill('checkov:dockerfile')]);
    expect(records.some((r) => r.target !== undefined || r.identity !== undefined)).toBe(false);
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['format/undated']);
  });

  it('reads a single terraform_plan report', async () => {
    const parsed = await parse('checkov_json.json');
    expect(parsed).toMatchObject({ format: 'checkov', accepted: true });
    const records = checks(parsed.records);
    expect(records).toHaveLength(124);
    expect(countBy(records)).toEqual({ pass: 69, fail: 55 });
    expect(records.find((r) => r.check === 'CKV_AWS_150')).toMatchObject({
      status: 'fail',
      resource: 'alb/main.tf:module.alb.aws_lb.main',
      location: 'alb/main.tf:1',
      toolVersion: '3.2.497',
      place: { pointer: '/results/failed_checks/0' },
    });
  });

  it('reads skipped checks with their reason and parsing errors as errors', async () => {
    const parsed = await parse('checkov_with_skips.json');
    const records = checks(parsed.records);
    expect(records).toHaveLength(23);
    expect(countBy(records)).toEqual({ pass: 8, fail: 12, skip: 2, error: 1 });
    expect(records.find((r) => r.status === 'skip')).toMatchObject({
      check: 'CKV_AWS_145',
      resource: '/main.tf:aws_s3_bucket.example',
      location: '/main.tf:2',
      message: 'Skipping KMS encryption for test',
    });
    expect(records.find((r) => r.status === 'error')).toMatchObject({
      check: 'checkov:parsing-error',
      resource: '/sample/broken.tf',
      place: { pointer: '/results/parsing_errors/0' },
    });
  });

  it('rejects a truncated report with the line', async () => {
    const text = fixture('checkov_with_skips.json').toString();
    const parsed = await parse('cut.json', text.slice(0, 5000));
    expect(parsed).toMatchObject({ format: 'checkov', accepted: false });
    expect(parsed.diagnostics[0]).toMatchObject({ code: 'format/syntax' });
    expect(parsed.diagnostics[0]?.place?.line).toBeGreaterThan(1);
  });

  it('rejects a report whose results are not check lists, at the pointer', async () => {
    const parsed = await parse('bad.json', '{"check_type":"terraform","results":{"passed_checks":"x"}}');
    expect(parsed).toMatchObject({ format: 'checkov', accepted: false });
    expect(parsed.diagnostics[0]).toMatchObject({ code: 'format/schema', place: { pointer: '/results/passed_checks' } });
    const array = await parse('bad2.json', '[{"check_type":"terraform","results":{"failed_checks":[]}}, 3]');
    expect(array.diagnostics[0]).toMatchObject({ code: 'format/schema', place: { pointer: '/1' } });
  });

  it('accepts empty check lists and the bare summary Checkov prints when nothing was scanned', async () => {
    const empty = await parse('empty.json', '{"check_type":"terraform","results":{"passed_checks":[],"failed_checks":[],"skipped_checks":[],"parsing_errors":[]},"summary":{"checkov_version":"3.2.0"}}');
    expect(empty).toMatchObject({ format: 'checkov', accepted: true, records: [] });
    expect(empty.diagnostics.map((d) => d.code)).toEqual(['format/no-findings']);
    const summary = await parse('summary.json', '{"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 0, "resource_count": 0, "checkov_version": "3.2.0"}');
    expect(summary).toMatchObject({ format: 'checkov', accepted: true, records: [] });
  });

  it('does not claim a Checkov summary kept inside another report', () => {
    expect(score('{"platform":{"name":"Heimdall Tools"},"passthrough":{"auxiliary_data":[{"data":{"summary":{"passed":8,"resource_count":2,"checkov_version":"3.2.506"}}}]}}')).toBe(0);
    expect(score('{"passed": 0, "failed": 0, "resource_count": 0, "checkov_version": "3.2.0"}')).toBe(0.9);
  });

  it('warns when the summary counts differ from the lists', async () => {
    const parsed = await parse('cut.json', '{"check_type":"terraform","results":{"passed_checks":[{"check_id":"CKV_AWS_1","file_path":"/a.tf","resource":"x"}],"failed_checks":[]},"summary":{"passed":1,"failed":2,"checkov_version":"3.2.0"}}');
    expect(parsed).toMatchObject({ accepted: true });
    expect(parsed.records).toHaveLength(1);
    expect(parsed.diagnostics[0]).toMatchObject({ code: 'format/counts-mismatch', message: 'the summary says failed=2 (listed 0); the checks listed are read', place: { pointer: '/summary' } });
  });
});
