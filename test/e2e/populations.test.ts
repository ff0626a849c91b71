import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { legible, root } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

/** The auditor's view of the demo history: populations over the period, and samples drawn from them. */
const period = ['--period', '2026-05-01..2026-10-31', '--as-of', '2026-11-23', '--no-cache'];
let out: string;
const sheet = (file: string, name: string) => XLSX.utils.sheet_to_json<unknown[]>(XLSX.read(readFileSync(file)).Sheets[name]!, { header: 1, raw: false });

beforeAll(async () => {
  out = tempDir('legible-populations-');
  const r = await legible(['build', ...period, '--out', out], root);
  expect(r.code, r.stderr).toBe(0);
});

describe('populations.xlsx', () => {
  it('counts each control\'s population first, then lists every occurrence with its file, SHA-256 and place', () => {
    const workbook = join(out, 'populations.xlsx');
    expect(XLSX.read(readFileSync(workbook)).SheetNames).toEqual(['Counts', 'Occurrences', 'Periods', 'About']);
    const counts = sheet(workbook, 'Counts');
    const a813 = counts.find((r) => r[0] === 'iso27001-2022' && r[1] === 'A.8.13')!;
    expect(a813.slice(3, 9)).toEqual(['Deviations', '264', '0', '264', '5 of 7 due (every 30 days)', 'Occurrences (this workbook)']);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { controls: { framework: string; id: string; period?: { population: number } }[]; inputs: { path: string; sha256: string }[] };
    // The workbook holds exactly the population the manifest counts, row for row.
    const occurrences = sheet(workbook, 'Occurrences').slice(1);
    for (const [framework, id, , , population] of counts.slice(1)) {
      expect(occurrences.filter((r) => r[0] === framework && r[1] === id)).toHaveLength(Number(population));
      expect(manifest.controls.find((c) => c.framework === framework && c.id === id)?.period?.population).toBe(Number(population));
    }
    const copy = occurrences.find((r) => r[1] === 'A.8.13' && r[2] === '2026-07-01T06:01:25.000Z')!;
    const sha = manifest.inputs.find((i) => i.path === 'checks/backup-restore-tests.jsonl')!.sha256;
    expect(copy.slice(3)).toEqual(['check observation', 'backup.cross-region-copy', 'rds:ledger-prod', 'pass', 'checks/backup-restore-tests.jsonl', sha, expect.stringMatching(/^line \d+$/)]);
    // The line it names holds that observation.
    const line = Number(String(copy[9]).slice(5));
    expect(readFileSync(join(root, 'evidence', 'checks', 'backup-restore-tests.jsonl'), 'utf8').split('\n')[line - 1]).toContain('"observed_at":"2026-07-01T06:01:25Z"');
  });

  it('lists the quarters of the quarterly access review and which had one', () => {
    const periods = sheet(join(out, 'populations.xlsx'), 'Periods').filter((r) => r[1] === 'A.5.18');
    expect(periods).toEqual([
      ['iso27001-2022', 'A.5.18', '2026-05-01', '2026-07-29', '1'],
      ['iso27001-2022', 'A.5.18', '2026-07-30', '2026-10-27', '2'],
      ['iso27001-2022', 'A.5.18', '2026-10-28', '2026-10-31', '0'],
    ]);
  });
});

describe('legible sample', () => {
  // One cache for every draw: the first fills the store, the others read it (one that finds it busy uses a temporary one).
  const cache = tempDir('legible-sample-cache-');
  const sample = async (args: string[]) => {
    const dir = tempDir('legible-sample-');
    const r = await legible(['sample', ...period.filter((a) => a !== '--no-cache'), '--cache', cache, '--out', dir, '--json', ...args], root);
    return { ...r, dir, json: r.code === 0 ? (JSON.parse(r.stdout) as { rows: { key: string; at: string; file: string }[]; population: number; populationSha256: string; size: number; suggested: number; written: string; notes: string[] }) : undefined };
  };

  it('draws the same rows for the same seed, other rows for another, every one from the population', async () => {
    const [a, b, c] = await Promise.all([sample(['--control', 'A.8.13', '--size', '25', '--seed', '2026']), sample(['--control', 'A.8.13', '--size', '25', '--seed', '2026']), sample(['--control', 'A.8.13', '--size', '25', '--seed', '2027'])]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.json!.rows).toHaveLength(25);
    expect(b.json!.rows).toEqual(a.json!.rows);
    expect(c.json!.rows).not.toEqual(a.json!.rows);
    expect(a.json!.population).toBe(264);
    const population = sheet(join(out, 'populations.xlsx'), 'Occurrences').filter((r) => r[1] === 'A.8.13').map((r) => `${r[2]} ${r[7]} ${r[9]}`);
    for (const row of [...a.json!.rows, ...c.json!.rows]) expect(population).toContain(`${row.at} ${row.file} ${(row as unknown as { place: string }).place}`);
    // The workbook names the seed and the population's hash, so the draw can be checked and re-made.
    const written = join(a.dir, 'samples', 'A.8.13-seed-2026.xlsx');
    expect(sheet(written, 'Sample')).toHaveLength(26);
    expect(sheet(written, 'About').map((r) => r.join(': '))).toEqual(expect.arrayContaining(['Seed: 2026', `Population SHA-256: ${a.json!.populationSha256}`, 'Size: 25']));
    expect(readFileSync(written)).toEqual(readFileSync(join(b.dir, 'samples', 'A.8.13-seed-2026.xlsx')));
  });

  it('suggests a size from the population when none is asked, and gives the whole population when more is', async () => {
    const suggested = await sample(['--control', 'A.8.13', '--seed', '1']);
    expect(suggested.json).toMatchObject({ size: 25, suggested: 25 });
    expect(suggested.json!.notes[0]).toMatch(/No --size given: 25 suggested from the population of 264 .*the auditor decides/);
    const whole = await sample(['--control', 'A.5.18', '--size', '10', '--seed', '1']);
    expect(whole.json).toMatchObject({ population: 3, size: 3 });
    expect(whole.json!.notes[0]).toMatch(/whole population is given/);
  });

  it('an unknown control is a usage error, and an empty population an error', async () => {
    const unknown = await sample(['--control', 'A.8.35']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/A\.8\.35: no such control; did you mean A\.8\.34/);
    const empty = await sample(['--control', 'A.7.4']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/A\.7\.4 has no occurrence of its operation 2026-05-01 to 2026-10-31/);
  });
});
