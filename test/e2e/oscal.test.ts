import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { legible, root } from '../helpers/cli.js';
import { emptyArrays, oscalSchemaErrors, uuidReferences } from '../helpers/oscal.js';
import { tempDir } from '../helpers/temp.js';

interface Prop {
  name: string;
  value: string;
}
interface Observation {
  uuid: string;
  methods: string[];
  'relevant-evidence': { href: string; props: Prop[] }[];
}
interface Finding {
  uuid: string;
  props: Prop[];
  target: { 'target-id': string; status: { state: string } };
  'related-observations'?: { 'observation-uuid': string }[];
  remarks: string;
}
interface Result {
  start: string;
  end: string;
  remarks: string;
  observations: Observation[];
  findings: Finding[];
}
interface Manifest {
  inputs: { path: string; sha256: string }[];
  controls: { framework: string; id: string; status: string; evidence: string[] }[];
  outputs: { path: string; sha256: string }[];
}

/** The demo, as of the day it is written for, twice, and over an audit period. */
const builds: Record<'asOf' | 'again' | 'period', string> = { asOf: '', again: '', period: '' };
const read = (dir: string, name: string) => readFileSync(join(dir, name));
const document = (dir: string) => JSON.parse(read(dir, 'assessment-results.json').toString('utf8')) as { 'assessment-results': { results: Result[] } };
const result = (dir: string) => document(dir)['assessment-results'].results[0]!;
const finding = (r: Result, id: string) => r.findings.find((f) => f.props.some((p) => p.name === 'control-id' && p.value === id));
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeAll(async () => {
  const runs: [keyof typeof builds, string[]][] = [
    ['asOf', ['--as-of', '2026-11-23']],
    ['again', ['--as-of', '2026-11-23']],
    ['period', ['--period', '2026-06-01..2026-11-23']],
  ];
  for (const [name, args] of runs) {
    builds[name] = tempDir('legible-oscal-');
    const r = await legible(['build', ...args, '--out', builds[name], '--quiet'], root);
    expect(r.code, r.stderr).toBe(0);
  }
});

describe('assessment-results.json from the demo', () => {
  it('is valid OSCAL 1.1.3 with no empty list and every UUID reference resolved, with and without --period', () => {
    for (const dir of [builds.asOf, builds.period]) {
      const doc = document(dir);
      expect(oscalSchemaErrors(doc)).toEqual([]);
      expect(emptyArrays(doc)).toEqual([]);
      const refs = uuidReferences(doc);
      expect(refs.unresolved).toEqual([]);
      expect(refs.references).toBeGreaterThan(doc['assessment-results'].results[0]!.findings.length);
    }
  });

  it('is an output in the manifest, and the same bytes from the same evidence and as-of date', () => {
    const manifest = JSON.parse(read(builds.asOf, 'manifest.json').toString('utf8')) as Manifest;
    expect(manifest.outputs.find((o) => o.path === 'assessment-results.json')?.sha256).toBe(sha256(join(builds.asOf, 'assessment-results.json')));
    expect(read(builds.again, 'assessment-results.json').equals(read(builds.asOf, 'assessment-results.json'))).toBe(true);
    expect(read(builds.period, 'assessment-results.json').equals(read(builds.asOf, 'assessment-results.json'))).toBe(false);
  });

  it('has an observation per file behind an applicable control, with the SHA-256 the manifest lists, and a finding per applicable control', () => {
    const manifest = JSON.parse(read(builds.asOf, 'manifest.json').toString('utf8')) as Manifest;
    const r = result(builds.asOf);
    const applicable = manifest.controls.filter((c) => c.status !== 'not-applicable');
    expect(r.findings).toHaveLength(applicable.length);
    const files = [...new Set(applicable.flatMap((c) => c.evidence))].sort();
    expect(r.observations.map((o) => decodeURI(o['relevant-evidence'][0]!.href))).toEqual(files);
    const hashes = new Map(manifest.inputs.map((i) => [i.path, i.sha256]));
    for (const o of r.observations) {
      const evidence = o['relevant-evidence'][0]!;
      expect(evidence.props.find((p) => p.name === 'sha256')?.value).toBe(hashes.get(decodeURI(evidence.href)));
      expect(o.methods).toEqual([evidence.href.startsWith('notes/') ? 'EXAMINE' : 'TEST']);
    }
  });

  it('shows the demo’s real state: break-glass MFA deficient and linked to its evidence, restore tests satisfied, facilities excluded', () => {
    const r = result(builds.asOf);
    const a85 = finding(r, 'A.8.5')!;
    expect(a85.target).toMatchObject({ 'target-id': 'iso27001-2022_a.8.5_smt', status: { state: 'not-satisfied' } });
    expect(a85.remarks).toMatch(/iam\.mfa-enforced on arn:aws:iam::111122223333:user\/breakglass-admin \(2026-11-17\)/);
    const linked = new Set(a85['related-observations']!.map((o) => o['observation-uuid']));
    const hrefs = r.observations.filter((o) => linked.has(o.uuid)).map((o) => o['relevant-evidence'][0]!.href);
    expect(hrefs).toContain('checks/fjord-audit-2026-11-17.json');
    expect(hrefs).toContain('notes/exceptions/EXC-2026-007-breakglass-mfa.md');
    expect(finding(r, 'A.8.13')!.target.status.state).toBe('satisfied');
    expect(finding(r, 'A.7.11')).toBeUndefined();
    expect(r.remarks).toMatch(/- ISO\/IEC 27001:2022 A\.7\.11 Supporting utilities: Fjordline operates no information processing facilities/);
    expect([r.start, r.end]).toEqual(['2026-11-23T00:00:00Z', '2026-11-23T23:59:59Z']);
  });

  it('over a period: the period’s bounds, and each finding’s period status and deviations', () => {
    const r = result(builds.period);
    expect([r.start, r.end]).toEqual(['2026-06-01T00:00:00Z', '2026-11-23T23:59:59Z']);
    const a85 = finding(r, 'A.8.5')!;
    expect(a85.props).toContainEqual(expect.objectContaining({ name: 'period-status', value: 'deviations' }));
    expect(a85.remarks).toMatch(/Over the period 2026-06-01 to 2026-11-23: deviations\./);
    expect(a85.remarks).toMatch(/- 2026-11-17 to 2026-11-23 \(open at the end\), check failed \(high\): iam\.mfa-enforced on arn:aws:iam::111122223333:user\/breakglass-admin failed from 2026-11-17.*Accepted by the exception "EXC-2026-007/);
  });
});
