import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { legible, pdfPlain, pdfText, scratchCopy } from '../helpers/cli.js';

let dir: string;
let manifest: { controls: { framework: string; id: string; status: string }[]; outputs: { path: string }[] };

beforeAll(async () => {
  dir = scratchCopy('e2e');
  const r = await legible(['build', '--as-of', '2026-11-23', '--quiet'], dir);
  expect(r.code, r.stderr).toBe(0);
  manifest = JSON.parse(readFileSync(join(dir, 'out', 'manifest.json'), 'utf8'));
});

describe('outputs for three audiences, from one evaluation', () => {
  it('lists every output in the manifest', () => {
    expect(manifest.outputs.map((o) => o.path)).toEqual(
      expect.arrayContaining(['iso27001-2022-certification-pack.pdf', 'soc2-2017-certification-pack.pdf', 'insurance-questionnaire.pdf', 'board-report.pdf']),
    );
  });

  it('the ISO pack carries the Statement of Applicability with all 93 Annex A controls', () => {
    const text = pdfPlain(join(dir, 'out', 'iso27001-2022-certification-pack.pdf'));
    expect(text).toMatch(/Statement of Applicability All 93 Annex A controls/);
    for (const id of ['A.5.1', 'A.5.37', 'A.6.8', 'A.7.14', 'A.8.34']) expect(text).toContain(`${id} `);
    expect(text).toMatch(/A\.7\.5 .*No Not applicable No own premises/);
  });

  it('the questionnaire never answers Yes for a control the evaluation does not show effective', () => {
    const text = pdfPlain(join(dir, 'out', 'insurance-questionnaire.pdf'));
    // I1..I4 map to A.8.5, which is deficient in the fixture.
    for (const id of ['I1', 'I2', 'I3', 'I4']) expect(text).toMatch(new RegExp(`${id} Multi-factor authentication .*? Answer: (Partial|No)`));
    expect(text).toMatch(/F1 Funds transfer .*? Answer: Requires the signer/);
    expect(text).toMatch(/Signed: _+/);
  });

  it('the board report is two to four pages of plain language, with no trend invented', () => {
    const path = join(dir, 'out', 'board-report.pdf');
    const pages = pdfText(path).split('\f').filter((p) => p.trim());
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages.length).toBeLessThanOrEqual(4);
    const first = pages[0]!.replace(/\s+/g, ' ');
    expect(first).toMatch(/No previous report was given to compare with, so no trend is shown/);
    expect(first).toMatch(/Top risks and what is being done/);
    expect(first).not.toMatch(/CVE-\d|iam\.mfa/);
  });

  it('--previous shows what improved and regressed since the previous build', async () => {
    const previous = JSON.parse(readFileSync(join(dir, 'out', 'manifest.json'), 'utf8'));
    for (const c of previous.controls) {
      if (c.framework === 'iso27001-2022' && c.id === 'A.8.5') c.status = 'effective';
      if (c.framework === 'iso27001-2022' && c.id === 'A.5.19') c.status = 'deficient';
    }
    previous.asOf = '2026-08-23';
    writeFileSync(join(dir, 'previous.json'), JSON.stringify(previous));
    const r = await legible(['build', '--as-of', '2026-11-23', '--previous', 'previous.json', '--out', 'out-compared', '--quiet'], dir);
    expect(r.code, r.stderr).toBe(0);
    const text = pdfPlain(join(dir, 'out-compared', 'board-report.pdf'));
    expect(text).toMatch(/Since 2026-08-23: 1 controls improved, 1 regressed/);
    expect(text).toMatch(/Regressed:\W+A\.8\.5 Secure authentication: Effective → Deficient/);
    expect(text).toMatch(/Improved:\W+A\.5\.19 .*: Deficient → Stale/);
  });

  it('a --previous that is not a manifest is a usage error naming the file', async () => {
    writeFileSync(join(dir, 'not-a-manifest.json'), '{"hello": 1}');
    const r = await legible(['build', '--previous', 'not-a-manifest.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not-a-manifest\.json#\/asOf: error not a legible manifest/);
  });
});
