import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog/catalog.js';
import type { Evaluation } from '../../model/evaluation.js';
import type { EvidenceRecord, InputSummary, NoteRecord } from '../../model/types.js';
import { emptyArrays, oscalSchemaErrors, uuidReferences } from '../../../test/helpers/oscal.js';
import { checkRecord, iso, noteRecord } from '../../../test/helpers/records.js';
import { evaluateRecords } from '../../../test/helpers/store.js';
import { assessmentResults, assessmentResultsJson, escapeMarkup, oscalControlId, oscalDateTime, type Finding, type Observation } from './assessment-results.js';

const catalog = loadCatalog();
const asOf = '2026-11-23';
const freshness = { checksDays: 30, notesDays: 365 };
const IAM = 'checks/iam export ü.json';

const records: EvidenceRecord[] = [
  checkRecord(),
  checkRecord({ file: IAM, check: 'iam.mfa-enforced', status: 'fail', resource: '<script>alert(1)</script> [x](javascript:alert(1))', severity: 'high', observedAt: '2026-11-21T09:30:00.000Z', controls: iso('A.8.5') }),
  checkRecord({ file: IAM, check: 'iam.mfa-enforced', status: 'pass', resource: 'alice', observedAt: '2026-11-01T09:30:00.000Z', controls: iso('A.8.5') }),
  noteRecord({ file: 'notes/restore.md', controls: iso('A.8.13', '4.1') }),
];
const notes = records.filter((r): r is NoteRecord => r.type === 'note');
const sha = (file: string) => (file === IAM ? 'a'.repeat(64) : file === 'notes/restore.md' ? 'b'.repeat(64) : 'c'.repeat(64));
const inputs: InputSummary[] = [...new Set(records.map((r) => r.file))].map((path) => ({
  file: { path, absolutePath: `/evidence/${path}`, sha256: sha(path), bytes: 100 },
  format: path.endsWith('.md') ? 'note' : 'native-json',
  accepted: true,
  records: records.filter((r) => r.file === path).length,
  diagnostics: [],
}));
const exclusions = new Map([['iso27001-2022:A.7.11', { justification: 'No own premises: [the landlord](http://x) runs the utilities.' }]]);
const config = { asOf, organization: 'Testbank  ASA', scope: 'Core banking API' };

const evaluate = (period?: { from: string; to: string }) => evaluateRecords(records, { catalog, asOf, freshness, exclusions, ...(period ? { period } : {}) });
const generate = (evaluation: Evaluation, over: { inputs?: InputSummary[] } = {}) =>
  assessmentResults({ version: '0.1.0', config, evaluation, inputs: over.inputs ?? inputs, notes, catalog })['assessment-results'];

const findingOf = (doc: ReturnType<typeof generate>, id: string): Finding => doc.results[0]!.findings!.find((f) => f.props.some((p) => p.name === 'control-id' && p.value === id))!;
const observationOf = (doc: ReturnType<typeof generate>, file: string): Observation => doc.results[0]!.observations!.find((o) => o['relevant-evidence'][0]!.description.startsWith(escapeMarkup(file)))!;

describe('OSCAL assessment results', () => {
  it('is valid OSCAL 1.1.3, with no empty list and every UUID reference resolved, with and without a period', async () => {
    for (const evaluation of [await evaluate(), await evaluate({ from: '2026-06-01', to: asOf })]) {
      const document = assessmentResults({ version: '0.1.0', config, evaluation, inputs, notes, catalog });
      expect(oscalSchemaErrors(document)).toEqual([]);
      expect(emptyArrays(document)).toEqual([]);
      const refs = uuidReferences(document);
      expect(refs.unresolved).toEqual([]);
      // import-ap's href, and the related observations of A.8.5, A.8.13, 4.1 and their crosswalk counterparts.
      expect(refs.references).toBeGreaterThan(4);
    }
  });

  it('has a finding per applicable control, satisfied only when effective, aimed at its statement', async () => {
    const doc = generate(await evaluate());
    const result = doc.results[0]!;
    const applicable = (await evaluate()).controls.filter((c) => c.applicable);
    expect(result.findings).toHaveLength(applicable.length);
    expect(findingOf(doc, 'A.8.13').target).toEqual({ type: 'statement-id', 'target-id': 'iso27001-2022_a.8.13_smt', title: 'A.8.13 Information backup', status: { state: 'satisfied', reason: 'pass' } });
    expect(findingOf(doc, 'A.8.5').target.status).toEqual({ state: 'not-satisfied', reason: 'fail' });
    expect(findingOf(doc, 'A.8.24').target.status).toEqual({ state: 'not-satisfied', reason: 'other' });
    expect(findingOf(doc, '4.1').target['target-id']).toBe('iso27001-2022_4.1_smt');
    expect(findingOf(doc, 'A.8.5').remarks).toMatch(/^Status as of 2026-11-23: Deficient\.\n\n- 1 automated check of 2 fails in its latest observation: iam\.mfa-enforced on /);
    const selections = result['reviewed-controls']['control-selections'];
    expect(selections.flatMap((s) => ('include-controls' in s ? s['include-controls'].map((c) => c['control-id']) : []))).toEqual(applicable.map((c) => oscalControlId(c.framework, c.id)));
  });

  it('leaves not-applicable controls out of the findings and names them, with the justification, in the remarks', async () => {
    const doc = generate(await evaluate());
    expect(findingOf(doc, 'A.7.11')).toBeUndefined();
    expect(doc.results[0]!.remarks).toContain('- ISO/IEC 27001:2022 A.7.11 Supporting utilities: No own premises: \\[the landlord\\](http://x) runs the utilities.');
    expect(doc.results[0]!.props).toContainEqual({ name: 'not-applicable', value: '1', ns: 'urn:legible:oscal' });
  });

  it('has an observation per evidence file: its path as a URI reference, its SHA-256, how it was read and its newest date', async () => {
    const doc = generate(await evaluate());
    expect(doc.results[0]!.observations).toHaveLength(3);
    const iam = observationOf(doc, IAM);
    expect(iam['relevant-evidence']).toEqual([
      { href: 'checks/iam%20export%20%C3%BC.json', description: 'checks/iam export ü.json, relative to the evidence folder.', props: [{ name: 'sha256', value: 'a'.repeat(64), ns: 'urn:legible:oscal' }] },
    ]);
    expect(iam.methods).toEqual(['TEST']);
    expect(iam.collected).toBe('2026-11-21T09:30:00Z');
    const note = observationOf(doc, 'notes/restore.md');
    expect(note).toMatchObject({ title: 'Restore test', methods: ['EXAMINE'], collected: '2026-10-01T00:00:00Z' });
    expect(note.description).toBe('Practice note by Zoë Ødegård, dated 2026-10-01, examined as written: notes/restore.md.');
    expect(findingOf(doc, 'A.8.5')['related-observations']).toEqual([{ 'observation-uuid': iam.uuid }]);
    expect(findingOf(doc, 'A.8.24')['related-observations']).toBeUndefined();
  });

  it('keeps evidence text from becoming markup in remarks', async () => {
    const remarks = findingOf(generate(await evaluate()), 'A.8.5').remarks;
    expect(remarks).toContain('\\<script\\>alert(1)\\</script\\> \\[x\\](javascript:alert(1))');
    expect(remarks).not.toMatch(/(^|[^\\])[<[]/);
  });

  it('spans the as-of day, or the period with its status and deviations in each finding', async () => {
    const pointInTime = generate(await evaluate()).results[0]!;
    expect([pointInTime.start, pointInTime.end]).toEqual(['2026-11-23T00:00:00Z', '2026-11-23T23:59:59Z']);
    const doc = generate(await evaluate({ from: '2026-06-01', to: asOf }));
    expect([doc.results[0]!.start, doc.results[0]!.end]).toEqual(['2026-06-01T00:00:00Z', '2026-11-23T23:59:59Z']);
    const finding = findingOf(doc, 'A.8.5');
    expect(finding.props).toContainEqual({ name: 'period-status', value: 'deviations', ns: 'urn:legible:oscal' });
    expect(finding.remarks).toMatch(/Over the period 2026-06-01 to 2026-11-23: deviations\./);
    expect(finding.remarks).toMatch(/\n- 2026-11-21 to 2026-11-23 \(open at the end\), check failed \(high\): iam\.mfa-enforced on .* Evidence: checks\/iam export ü\.json\./);
    expect(finding.description).toBe('ISO/IEC 27001:2022 A.8.5 Secure authentication: deficient as of 2026-11-23; over 2026-06-01 to 2026-11-23: deviations.');
  });

  it('gives the same bytes for the same evidence; a changed file changes its observation and the document, not the findings', async () => {
    const evaluation = await evaluate();
    const json = assessmentResultsJson({ version: '0.1.0', config, evaluation, inputs, notes, catalog });
    expect(assessmentResultsJson({ version: '0.1.0', config, evaluation: await evaluate(), inputs, notes, catalog })).toBe(json);
    const before = generate(evaluation);
    const after = generate(evaluation, { inputs: inputs.map((i) => (i.file.path === IAM ? { ...i, file: { ...i.file, sha256: 'd'.repeat(64) } } : i)) });
    expect(observationOf(after, IAM).uuid).not.toBe(observationOf(before, IAM).uuid);
    expect(observationOf(after, 'notes/restore.md').uuid).toBe(observationOf(before, 'notes/restore.md').uuid);
    expect(after.uuid).not.toBe(before.uuid);
    expect(findingOf(after, 'A.8.5').uuid).toBe(findingOf(before, 'A.8.5').uuid);
    for (const uuid of [before.uuid, before.results[0]!.uuid, findingOf(before, 'A.8.5').uuid]) expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('oscalDateTime', () => {
  it.each([
    ['2026-10-01', '2026-10-01T00:00:00Z'],
    ['2026-11-21T09:30:00.000Z', '2026-11-21T09:30:00Z'],
    ['2026-11-21T09:30:00.250+02:00', '2026-11-21T07:30:00.250Z'],
    // Without a zone: UTC, never the build machine's local time.
    ['2026-11-21T09:30:00', '2026-11-21T09:30:00Z'],
    ['not a date', 'FALLBACK'],
    ['0001-01-01T00:00:00Z', 'FALLBACK'],
    [undefined, 'FALLBACK'],
  ])('%s → %s', (text, expected) => {
    expect(oscalDateTime(text, 'FALLBACK')).toBe(expected);
  });
});
