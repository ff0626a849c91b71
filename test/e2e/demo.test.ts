import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { legible, pdfPlain, root } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

/** The README's quick start, on the demo company, as of the date the demo is written for. */
let out: string;
let manifest: { inputs: { path: string; accepted: boolean; format: string }[]; controls: { framework: string; id: string; status: string; reasons: string[] }[] };
let stdout: string;

beforeAll(async () => {
  out = tempDir('legible-demo-');
  const r = await legible(['build', '--as-of', '2026-11-23', '--out', out], root);
  expect(r.code, r.stderr).toBe(0);
  stdout = r.stdout;
  manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
});

const status = (framework: string, id: string) => manifest.controls.find((c) => c.framework === framework && c.id === id)?.status;

describe('the demo evidence folder', () => {
  it('shows every status in both frameworks', () => {
    for (const framework of ['iso27001-2022', 'soc2-2017']) {
      const seen = new Set(manifest.controls.filter((c) => c.framework === framework).map((c) => c.status));
      expect([...seen].sort(), framework).toEqual(['deficient', 'effective', 'no-evidence', 'not-applicable', 'stale']);
    }
  });

  it('reads notes, every native container and the tools’ own outputs, and lists the two junk files as rejected', () => {
    const formats = new Set(manifest.inputs.filter((i) => i.accepted).map((i) => i.format));
    expect([...formats].sort()).toEqual(['checkov', 'junit', 'native-csv', 'native-json', 'native-jsonl', 'native-xlsx', 'note', 'prowler-ocsf', 'sarif', 'trivy']);
    expect(manifest.inputs.filter((i) => !i.accepted).map((i) => i.path)).toEqual(['checks/legacy-export.json', 'notes/README.txt']);
    expect(stdout).toMatch(/2 rejected/);
    // The two rejected files are errors; the Checkov report without a date is the one warning.
    expect(stdout).toMatch(/^diagnostics: 2 errors, 1 warning$/m);
  });

  it.each([
    ['iso27001-2022', 'A.8.13', 'effective'], // weekly restore tests; an earlier failure remediated
    ['iso27001-2022', 'A.8.24', 'deficient'], // an unencrypted legacy bucket
    ['iso27001-2022', 'A.6.3', 'deficient'], // quarterly phishing simulations not run since June
    ['iso27001-2022', 'A.8.28', 'deficient'], // expired exception for the SAST gate
    ['iso27001-2022', 'A.8.5', 'deficient'], // break-glass account without MFA, under an active exception
    ['iso27001-2022', 'A.5.30', 'stale'], // the last DR exercise was in 2024
    ['iso27001-2022', 'A.7.11', 'not-applicable'],
    ['soc2-2017', 'CC6.1', 'deficient'],
    ['soc2-2017', 'A1.3', 'stale'],
    ['soc2-2017', 'P4.1', 'not-applicable'],
  ])('%s %s is %s', (framework, id, expected) => {
    expect(status(framework, id)).toBe(expected);
  });

  it('renders both packs with the demo company and its non-Latin authors', () => {
    const text = pdfPlain(join(out, 'iso27001-2022-certification-pack.pdf'));
    expect(text).toContain('Fjordline Payments AS');
    expect(text).toContain('Zoë Ødegård');
    expect(text).toContain('陈伟');
    expect(text).toContain('<script>alert(1)</script>');
    expect(pdfPlain(join(out, 'soc2-2017-certification-pack.pdf'))).toMatch(/CC6\.1 .*Status: Deficient/);
  });
});

describe('the demo pack can be verified', () => {
  it('verifies clean, and a one-byte change to an output or an evidence file fails verify, naming it', async () => {
    const clean = await legible(['verify', '--out', out, '--evidence', 'evidence'], root);
    expect(clean.code, clean.stdout).toBe(0);
    for (const target of [join(out, 'board-report.pdf'), join(root, 'evidence', 'scans', 'checkout-api-authz-tests.xml')]) {
      const original = readFileSync(target);
      const changed = Buffer.from(original);
      const middle = Math.floor(changed.length / 2);
      changed[middle] = (changed[middle] ?? 0) ^ 0x01;
      writeFileSync(target, changed);
      try {
        const r = await legible(['verify', '--out', out, '--evidence', 'evidence'], root);
        expect(r.code).toBe(1);
        expect(r.stdout).toMatch(/modified .*(board-report\.pdf|checkout-api-authz-tests\.xml)/);
      } finally {
        writeFileSync(target, original);
      }
    }
  });
});
