import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from 'xlsx';
import { beforeAll, describe, expect, it } from 'vitest';
import { legible, pdfPlain, root, scratchCopy, type CliResult } from '../helpers/cli.js';

interface ManifestControl {
  framework: string;
  id: string;
  status: string;
  reasons: string[];
  evidence: string[];
}

let dir: string;
let result: CliResult;
let manifest: {
  asOf: string;
  inputs: { path: string; sha256: string; bytes: number; format: string; accepted: boolean; reason: string | null; records: number }[];
  controls: ManifestControl[];
  outputs: { path: string; sha256: string }[];
  diagnostics: { file: string | null; code: string; severity: string; message: string }[];
};
const control = (framework: string, id: string) => manifest.controls.find((c) => c.framework === framework && c.id === id)!;
const iso = (id: string) => control('iso27001-2022', id);

beforeAll(async () => {
  dir = scratchCopy('e2e');
  // The native XLSX container, written with the xlsx library as a team's script would.
  const sheet = XLSX.utils.json_to_sheet([
    { check: 'vuln.scan-completed', status: 'pass', observed_at: '2026-11-19T02:00:00Z', controls: 'A.8.8;CC7.1', resource: 'prod-cluster' },
    { check: 'vuln.scan-completed', status: 'pass', observed_at: '2026-11-19T02:00:00Z', controls: 'A.8.8', resource: 'staging-cluster' },
  ]);
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheet, 'Results');
  writeFileSync(join(dir, 'evidence', 'checks', 'scans.xlsx'), XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
  result = await legible(['build', '--as-of', '2026-11-23'], dir);
  manifest = JSON.parse(readFileSync(join(dir, 'out', 'manifest.json'), 'utf8'));
});

describe('legible build on a fixture folder', () => {
  it('exits 0 with rejected inputs listed, and prints a summary', () => {
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/inputs: 11 accepted \(\d+ records\), 2 rejected/);
    expect(result.stdout).toMatch(/rejected checks\/broken\.json: invalid JSON/);
    expect(result.stdout).toMatch(/ISO\/IEC 27001:2022: \d+ effective, \d+ deficient, \d+ stale, \d+ no evidence, 1 not applicable/);
    expect(result.stdout).toMatch(/wrote: out\/iso27001-2022-certification-pack\.pdf, out\/soc2-2017-certification-pack\.pdf, .*out\/manifest\.json$/m);
    expect(result.stderr).toMatch(/checks\/iam\.json#\/results\/4: error A\.8\.35: no such control; did you mean A\.8\.34/);
  });

  it('accounts for every input file in the manifest, with hashes and record counts', () => {
    const files = readdirSync(join(dir, 'evidence'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(join(dir, 'evidence').length + 1))
      .sort();
    expect(manifest.inputs.map((i) => i.path).sort()).toEqual(files);
    const byPath = Object.fromEntries(manifest.inputs.map((i) => [i.path, i]));
    expect(byPath['checks/iam.json']).toMatchObject({ format: 'native-json', accepted: true, records: 5, reason: null });
    expect(byPath['checks/logging.jsonl']).toMatchObject({ format: 'native-jsonl', records: 3 });
    expect(byPath['checks/authz.csv']).toMatchObject({ format: 'native-csv', records: 2 });
    expect(byPath['checks/scans.xlsx']).toMatchObject({ format: 'native-xlsx', records: 2 });
    expect(byPath['notes/web-review.md']).toMatchObject({ format: 'note', records: 1 });
    expect(byPath['checks/broken.json']).toMatchObject({ accepted: false, records: 0 });
    expect(byPath['checks/broken.json']?.reason).toMatch(/invalid JSON/);
    expect(byPath['checks/notes.txt']).toMatchObject({ accepted: false, reason: 'not a recognised evidence format' });
    const sha = execFileSync('sha256sum', [join(dir, 'evidence', 'checks', 'iam.json')], { encoding: 'utf8' }).split(' ')[0];
    expect(byPath['checks/iam.json']?.sha256).toBe(sha);
  });

  it('gives every status the rules call for, with reasons', () => {
    expect(iso('A.8.13')).toMatchObject({ status: 'effective', evidence: ['notes/restore-test.md'] });
    expect(iso('A.8.5').status).toBe('deficient');
    expect(iso('A.8.5').reasons[0]).toMatch(/iam\.mfa-enforced on aws:break-glass/);
    expect(iso('A.5.18').status).toBe('effective'); // an earlier failure, remediated
    expect(iso('A.6.3').status).toBe('deficient');
    expect(iso('A.6.3').reasons[0]).toMatch(/every 90 days; the newest practice or check evidence is from 2026-06-12/);
    expect(iso('A.8.20').reasons.join(' ')).toMatch(/expired on 2026-09-30/);
    expect(iso('A.5.19').status).toBe('stale');
    expect(iso('A.8.24')).toMatchObject({ status: 'no-evidence' });
    expect(iso('A.8.24').reasons[0]).toMatch(/Only policy/);
    expect(iso('A.8.16').reasons[0]).toMatch(/Only skipped, errored or manual/);
    expect(iso('A.7.5').status).toBe('not-applicable');
    expect(iso('A.8.8').status).toBe('effective');
    expect(iso('A.8.34').status).toBe('no-evidence');
    // evidence given for ISO counts for SOC 2 through the crosswalk
    expect(control('soc2-2017', 'A1.2').evidence).toContain('notes/restore-test.md');
    expect(control('soc2-2017', 'CC6.1').status).toBe('deficient');
  });

  it('lists outputs with their hashes and evaluates all 116 ISO and 61 SOC 2 controls', () => {
    expect(manifest.asOf).toBe('2026-11-23');
    expect(manifest.controls.filter((c) => c.framework === 'iso27001-2022')).toHaveLength(116);
    expect(manifest.controls.filter((c) => c.framework === 'soc2-2017')).toHaveLength(61);
    for (const output of manifest.outputs) {
      const sha = execFileSync('sha256sum', [join(dir, 'out', output.path)], { encoding: 'utf8' }).split(' ')[0];
      expect(sha).toBe(output.sha256);
    }
    expect(manifest.outputs.map((o) => o.path)).toEqual([
      'iso27001-2022-certification-pack.pdf',
      'soc2-2017-certification-pack.pdf',
      'insurance-questionnaire.pdf',
      'board-report.pdf',
      'statement-of-applicability.xlsx',
      'evidence-index.xlsx',
      'insurance-questionnaire.xlsx',
      'assessment-results.json',
      'work-as-done.html',
      'work-as-done.md',
    ]);
  });

  it('renders the ISO pack: cover, summary, control sections, appendix and methodology', () => {
    const text = pdfPlain(join(dir, 'out', 'iso27001-2022-certification-pack.pdf'));
    expect(text).toContain('Testbank ASA');
    expect(text).toContain('Core banking API and its AWS accounts');
    expect(text).toMatch(/Evaluated as of: 2026-11-23/);
    expect(text).toMatch(/A\.8\.5 Authentication information|A\.8\.5 Secure authentication/);
    expect(text).toMatch(/Status: Deficient/);
    expect(text).toMatch(/iam\.mfa-enforced aws:break-glass 2026-11-20 high/);
    expect(text).toMatch(/notes\/restore-test\.md — SHA-256 [0-9a-f]{12}/);
    expect(text).toMatch(/Restore test of the ledger database — Zoë Ødegård, 2026-11-02/);
    expect(text).toMatch(/Appendix: evidence inputs/);
    expect(text).toMatch(/checks\/broken\.json invalid JSON/);
    expect(text).toMatch(/Methodology/);
    expect(text).toMatch(/No own premises; the colocation provider/);
  });

  it('shows evidence text literally: no template code, HTML or links, and non-Latin names', () => {
    const path = join(dir, 'out', 'iso27001-2022-certification-pack.pdf');
    const text = pdfPlain(path);
    expect(text).toContain('{{organization}}');
    expect(text).toContain('<script>alert(1)</script>');
    expect(text).toContain('[click here](javascript:alert(1))');
    expect(text).toContain('陈伟');
    const raw = readFileSync(path).toString('latin1');
    expect(raw).not.toMatch(/\/URI|\/JavaScript|\/JS\b/);
    const fonts = execFileSync('pdffonts', [path], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(1);
    for (const line of fonts) expect(line).toMatch(/\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$/);
  });

  it('is reproducible: the same inputs and --as-of give byte-identical outputs', async () => {
    const again = await legible(['build', '--as-of', '2026-11-23', '--out', 'out2', '--quiet'], dir);
    expect(again.code).toBe(0);
    for (const name of readdirSync(join(dir, 'out'))) {
      expect(readFileSync(join(dir, 'out2', name)).equals(readFileSync(join(dir, 'out', name))), name).toBe(true);
    }
    expect(readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('exit codes and commands', () => {
  it('--strict exits 1 when inputs were rejected, and check validates without rendering', async () => {
    const d = scratchCopy('e2e');
    expect((await legible(['build', '--as-of', '2026-11-23', '--strict', '--quiet'], d)).code).toBe(1);
    const checked = await legible(['check', '--as-of', '2026-11-23', '--out', 'check-out'], d);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toMatch(/checks\/broken\.json:\d+:\d+: error invalid JSON/);
    expect(existsSync(join(d, 'check-out'))).toBe(false);
  });

  it('a clean folder passes --strict and check', async () => {
    const d = scratchCopy('e2e');
    for (const f of ['checks/broken.json', 'checks/notes.txt']) execFileSync('rm', [join(d, 'evidence', f)]);
    const iam = join(d, 'evidence', 'checks', 'iam.json');
    writeFileSync(iam, readFileSync(iam, 'utf8').replace('A.8.35', 'A.8.34'));
    expect((await legible(['check', '--as-of', '2026-11-23', '--quiet'], d)).code).toBe(0);
    const strict = await legible(['build', '--as-of', '2026-11-23', '--strict', '--json'], d);
    expect(strict.code).toBe(0);
    expect(JSON.parse(strict.stdout)).toMatchObject({ asOf: '2026-11-23', inputs: { rejected: [] }, diagnostics: { errors: 0 } });
  });

  it.each([
    [['build', '--as-of', '2026-13-01'], /--as-of 2026-13-01: expected a calendar date/],
    [['build', '--no-such-flag'], /Unknown argument/],
    [[], /name a command/],
    [['build', '--config', 'missing.yaml'], /missing\.yaml: error config file not found/],
    [['build', '--evidence', 'nowhere'], /evidence folder .*nowhere not found/],
  ])('exits 2 on usage or configuration errors: %j', async (args, message) => {
    const d = scratchCopy('e2e');
    const r = await legible(args, d);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(d, 'out'))).toBe(false);
  });

  it('a config error names the file and line', async () => {
    const d = scratchCopy('e2e');
    writeFileSync(join(d, 'legible.config.yaml'), 'organization: X\nfreshness:\n  checks: soon\n');
    const r = await legible(['build'], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/legible\.config\.yaml:3:\d+: error freshness\.checks: expected a duration/);
  });

  it('prints help and version', async () => {
    const d = scratchCopy('e2e');
    const help = await legible(['--help'], d);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/legible build/);
    expect(help.stdout).toMatch(/legible check/);
    const version = await legible(['--version'], d);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('user templates', () => {
  it('renders with a templates folder given by --templates', async () => {
    const d = scratchCopy('e2e');
    execFileSync('cp', ['-r', join(root, 'templates'), join(d, 'my-templates')]);
    const main = join(d, 'my-templates', 'certification-pack.md.hbs');
    writeFileSync(main, readFileSync(main, 'utf8').replace('# {{title}}', '# {{title}} for the board of {{organization}}'));
    const r = await legible(['build', '--as-of', '2026-11-23', '--templates', 'my-templates', '--quiet'], d);
    expect(r.code, r.stderr).toBe(0);
    expect(pdfPlain(join(d, 'out', 'iso27001-2022-certification-pack.pdf'))).toContain('certification pack for the board of Testbank ASA');
  });

  it('a template naming a field that does not exist is an error naming the template, and nothing is written', async () => {
    const d = scratchCopy('e2e');
    execFileSync('cp', ['-r', join(root, 'templates'), join(d, 'my-templates')]);
    writeFileSync(join(d, 'my-templates', 'certification-pack.md.hbs'), '# {{title}}\n\n{{organisation}}\n');
    const r = await legible(['build', '--as-of', '2026-11-23', '--templates', 'my-templates'], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/template certification-pack\.md\.hbs: "organisation" not defined/);
    expect(existsSync(join(d, 'out', 'manifest.json'))).toBe(false);
  });
});
