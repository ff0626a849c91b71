import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { legible, pdfPlain, scratchCopy, type CliResult } from '../helpers/cli.js';

interface Manifest {
  configuration: { config: { path: string; sha256: string } | null; crosswalk: { name: string; path: string | null; sha256: string; pairs: number } };
  inputs: { path: string; accepted: boolean }[];
  controls: { framework: string; id: string; evidence: string[] }[];
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const evidenceOf = (manifest: Manifest, framework: string, id: string) => manifest.controls.find((c) => c.framework === framework && c.id === id)!.evidence;

let dir: string;
let result: CliResult;
let manifest: Manifest;
const read = () => JSON.parse(readFileSync(join(dir, 'out', 'manifest.json'), 'utf8')) as Manifest;

beforeAll(async () => {
  dir = scratchCopy('e2e');
  // The configuration lives in the evidence folder, and names the firm's crosswalk beside it.
  renameSync(join(dir, 'legible.config.yaml'), join(dir, 'evidence', 'legible.config.yaml'));
  appendFileSync(join(dir, 'evidence', 'legible.config.yaml'), 'crosswalk: firm-crosswalk.json\n');
  const crosswalk = { name: 'Revisjon & Co. crosswalk 2026', mappings: [{ soc2: 'CC9.1', iso27001: ['A.5.19'], rationale: 'supplier risk' }] };
  writeFileSync(join(dir, 'evidence', 'firm-crosswalk.json'), JSON.stringify(crosswalk, null, 2));
  result = await legible(['build', '--as-of', '2026-11-23'], dir);
  manifest = read();
});

describe('configuration in the evidence folder, and a crosswalk of its own', () => {
  it('reads legible.config.yaml from the evidence folder as the configuration, not as an input', () => {
    expect(result.code).toBe(0);
    expect(manifest.inputs.map((i) => i.path)).not.toContain('legible.config.yaml');
    expect(manifest.inputs.map((i) => i.path)).not.toContain('firm-crosswalk.json');
    expect(manifest.configuration.config).toEqual({ path: 'legible.config.yaml', sha256: sha256(join(dir, 'evidence', 'legible.config.yaml')) });
    expect(pdfPlain(join(dir, 'out', 'iso27001-2022-certification-pack.pdf'))).toMatch(/Testbank ASA/);
  });

  it('maps through the configured crosswalk, and names it in the manifest and the packs\' method', () => {
    expect(manifest.configuration.crosswalk).toEqual({
      name: 'Revisjon & Co. crosswalk 2026',
      path: 'firm-crosswalk.json',
      sha256: sha256(join(dir, 'evidence', 'firm-crosswalk.json')),
      pairs: 1,
    });
    // A.5.19 pairs with CC9.1 in the firm's crosswalk, with CC9.2 in legible's.
    expect(evidenceOf(manifest, 'soc2-2017', 'CC9.1')).toContain('notes/old-vendor-review.md');
    expect(evidenceOf(manifest, 'soc2-2017', 'CC9.2')).not.toContain('notes/old-vendor-review.md');
    const method = pdfPlain(join(dir, 'out', 'soc2-2017-certification-pack.pdf'));
    expect(method).toContain('the crosswalk used here is Revisjon & Co. crosswalk 2026 (from firm-crosswalk.json, named in the configuration); pairs: 1; SHA-256 ');
  });

  it('verify re-hashes the configuration inside the evidence folder instead of calling it an extra file', async () => {
    const clean = await legible(['verify', '--out', 'out', '--evidence', 'evidence'], dir);
    expect(clean.stdout + clean.stderr).not.toMatch(/legible\.config\.yaml|firm-crosswalk/);
    expect(clean.code).toBe(0);
    appendFileSync(join(dir, 'evidence', 'firm-crosswalk.json'), '\n');
    const changed = await legible(['verify', '--out', 'out', '--evidence', 'evidence'], dir);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/modified.*firm-crosswalk\.json/);
  });

  it('a changed crosswalk is read afresh, not from the parse cache', async () => {
    const path = join(dir, 'evidence', 'firm-crosswalk.json');
    writeFileSync(path, JSON.stringify({ mappings: [{ soc2: 'CC9.2', iso27001: ['A.5.19'] }] }));
    expect((await legible(['build', '--as-of', '2026-11-23'], dir)).code).toBe(0);
    const again = read();
    expect(again.configuration.crosswalk).toMatchObject({ name: 'firm-crosswalk.json', pairs: 1 });
    expect(evidenceOf(again, 'soc2-2017', 'CC9.2')).toContain('notes/old-vendor-review.md');
    expect(evidenceOf(again, 'soc2-2017', 'CC9.1')).not.toContain('notes/old-vendor-review.md');
  });

  it('a crosswalk naming controls that do not exist stops the build, placing each and suggesting the nearest', async () => {
    writeFileSync(join(dir, 'evidence', 'firm-crosswalk.json'), '{\n  "mappings": [\n    { "soc2": "CC9.9", "iso27001": ["A.5.19"] }\n  ]\n}\n');
    const bad = await legible(['build', '--as-of', '2026-11-23'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('evidence/firm-crosswalk.json:3:15: error crosswalk mappings.0.soc2: CC9.9: no such control; did you mean CC9.2 or CC9.1? [control/unknown]');
  });
});
