import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectedFrom } from '../../../test/helpers/source.js';
import { parseFile } from '../parse-file.js';
import type { Source } from '../parser.js';
import { oscalAssessmentResultsParser } from './oscal.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/oscal-assessment-results/${name}`, import.meta.url));
const parse = (name: string, content: string | Buffer = fixture(name)) => parseFile(collectedFrom(name, content));
const score = (content: string | Buffer) => oscalAssessmentResultsParser.detect({ head: content.toString().slice(0, 65536), binary: false, file: { path: 'x' } } as Source);

const result = (extra: Record<string, unknown>) =>
  JSON.stringify({
    'assessment-results': {
      uuid: 'u',
      metadata: { title: 't', 'oscal-version': '1.1.2' },
      results: [{ uuid: 'r', title: 'r', start: '2026-01-05T10:00:00Z', 'reviewed-controls': { 'control-selections': [{ 'include-controls': [{ 'control-id': 'ac-2' }] }] }, ...extra }],
    },
  });

describe('OSCAL assessment results', () => {
  it('reads the NIST example: one finding, with its risk and observation in the message', async () => {
    const parsed = await parse('ifa_assessment-results-example.json');
    expect(parsed).toMatchObject({ format: 'oscal-ar', accepted: true });
    expect(score(fixture('ifa_assessment-results-example.json'))).toBe(0.95);
    // 1 finding; its 2 observations and 1 risk are evidence, not further records.
    expect(parsed.records).toHaveLength(1);
    expect(parsed.records[0]).toMatchObject({
      check: 'ac-6.1_obj',
      title: "GoodRead AwesomeCloud Account's System Engineer Role Permits High Risk Actions",
      status: 'fail',
      // The cited observation's collected time.
      observedAt: '2023-06-02T12:31:20.000Z',
      // The component is defined in the imported assessment plan, not in this file.
      resource: 'component 551b9706-d6a4-4d25-8207-f2ccec548b89',
      // No target: nothing says which system a newer result covers whole.
      scope: 'oscal-ar',
      tags: ['NIST-AC-6(1)'],
      category: 'compliance',
      place: { pointer: '/assessment-results/results/0/findings/0' },
    });
    expect(parsed.records[0]).not.toHaveProperty('target');
    const message = (parsed.records[0] as { message?: string }).message ?? '';
    expect(message).toMatch(/^Risk \(investigating\): GoodRead System Engineers Have Over-Privileged Access to Cloud Infrastructure Account\. Observed: AwesomeCloud IAM Roles Test - GoodRead System Engineer Role\. /);
    expect(message.length).toBeLessThanOrEqual(500);
    expect(parsed.diagnostics).toEqual([]);
  });

  it('reads the observations of a result without findings as manual records', async () => {
    const observation = { uuid: 'o1', title: 'Password policy reviewed', description: 'd', methods: ['EXAMINE'], collected: '2026-01-04T09:00:00Z', subjects: [{ 'subject-uuid': 's1', type: 'component', title: 'Okta' }] };
    const parsed = await parse('obs.json', result({ observations: [observation, { uuid: 'o2', description: 'x', methods: ['TEST'] }] }));
    expect(parsed).toMatchObject({ format: 'oscal-ar', accepted: true });
    expect(parsed.records).toEqual([
      expect.objectContaining({ check: 'Password policy reviewed', status: 'manual', resource: 'Okta', observedAt: '2026-01-04T09:00:00.000Z', tags: ['NIST-AC-2'], message: 'd' }),
      // No collected time of its own: the result's start dates it.
      expect.objectContaining({ check: 'o2', status: 'manual', observedAt: '2026-01-05T10:00:00.000Z' }),
    ]);
  });

  it('reads a satisfied target as a pass and skips a finding without target', async () => {
    const finding = { uuid: 'f1', title: 'ok', description: 'fine', target: { type: 'objective-id', 'target-id': 'ia-2.1_obj', status: { state: 'satisfied' } } };
    const parsed = await parse('f.json', result({ findings: [finding, { uuid: 'f2', title: 'no target', description: 'x' }] }));
    expect(parsed).toMatchObject({ accepted: true, invalidRecords: 1 });
    expect(parsed.records[0]).toMatchObject({ check: 'ia-2.1_obj', status: 'pass', tags: ['NIST-IA-2(1)'], observedAt: '2026-01-05T10:00:00.000Z' });
    expect(parsed.diagnostics[0]).toMatchObject({ code: 'format/record-skipped', place: { pointer: '/assessment-results/results/0/findings/1' } });
  });

  it('rejects a truncated file with the line and results that are not a list with a pointer', async () => {
    const cut = await parse('cut.json', fixture('ifa_assessment-results-example.json').subarray(0, 6000));
    expect(cut).toMatchObject({ format: 'oscal-ar', accepted: false });
    expect(cut.diagnostics[0]?.code).toBe('format/syntax');
    expect(cut.diagnostics[0]?.place?.line).toBeGreaterThan(1);
    const wrong = await parse('wrong.json', JSON.stringify({ 'assessment-results': { uuid: 'u', results: 'none' } }));
    expect(wrong).toMatchObject({ format: 'oscal-ar', accepted: false });
    expect(wrong.diagnostics[0]).toMatchObject({ code: 'format/schema', place: { pointer: '/assessment-results/results' } });
  });

  it('accepts results with nothing recorded yet', async () => {
    const parsed = await parse('empty.json', result({ findings: [], observations: [] }));
    expect(parsed).toMatchObject({ format: 'oscal-ar', accepted: true, records: [] });
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['format/no-findings']);
  });
});
