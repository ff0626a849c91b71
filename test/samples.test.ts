import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../src/parse/parse-file.js';
import { parsers } from '../src/parse/registry.js';
import { collectedFrom } from './helpers/source.js';
import { root } from './helpers/cli.js';

/**
 * Parity: every genuine tool output kept in test/fixtures is read by the parser its folder names,
 * and every registered parser has genuine fixtures. (The samples come from ../shared/samples; each
 * folder's SOURCES.md says where.)
 */
const expectedFormat: Record<string, string[]> = {
  sarif: ['sarif'],
  'trivy-json': ['trivy'],
  'checkov-json': ['checkov'],
  'inspec-json': ['inspec'],
  'hdf-json': ['hdf'],
  'junit-xml': ['junit'],
  'kube-bench-json': ['kube-bench'],
  scoutsuite: ['scoutsuite'],
  'oscal-assessment-results': ['oscal-ar'],
  'prowler-ocsf': ['prowler-ocsf'],
  'prowler-csv': ['prowler-csv'],
  'prowler-json': ['prowler-json'],
  'prowler-asff': ['asff'],
  'aws-securityhub-asff': ['asff'],
};

const fixtures = join(root, 'test', 'fixtures');
const samples = Object.keys(expectedFormat).flatMap((dir) =>
  readdirSync(join(fixtures, dir))
    .filter((name) => name !== 'SOURCES.md' && statSync(join(fixtures, dir, name)).isFile())
    .map((name) => [dir, name] as const),
);

describe('genuine tool outputs', () => {
  it.each(samples)('%s/%s is accepted by its parser', async (dir, name) => {
    const parsed = await parseFile(collectedFrom(`${dir}/${name}`, readFileSync(join(fixtures, dir, name))));
    expect(parsed.reason).toBeUndefined();
    expect(parsed.accepted).toBe(true);
    expect(expectedFormat[dir]).toContain(parsed.format);
    expect(parsed.records.length).toBeGreaterThan(0);
  });

  it('the SAF attestation workbook, which is not a check-result format, is rejected naming what is missing', async () => {
    const name = 'attestations_xlsxInputFormat.xlsx';
    const parsed = await parseFile(collectedFrom(`manual-attestations/${name}`, readFileSync(join(fixtures, 'manual-attestations', name))));
    expect(parsed.accepted).toBe(false);
    expect(parsed.reason).toMatch(/must name the columns check, status, observed_at \(missing: check, observed_at\)/);
    expect(parsed.diagnostics[0]?.place?.cell).toMatch(/!A1$/);
  });

  it('every registered parser has genuine fixtures or is legible’s own format', () => {
    const covered = new Set(Object.values(expectedFormat).flat());
    const own = ['note', 'native-json', 'native-jsonl', 'native-csv', 'native-xlsx'];
    for (const p of parsers) expect(covered.has(p.name) || own.includes(p.name), p.name).toBe(true);
  });

  it('every fixture folder says where its files come from', () => {
    for (const dir of [...Object.keys(expectedFormat), 'manual-attestations']) {
      const sources = readFileSync(join(fixtures, dir, 'SOURCES.md'), 'utf8');
      for (const name of readdirSync(join(fixtures, dir)).filter((n) => n !== 'SOURCES.md')) expect(sources, `${dir}/${name}`).toContain(name);
    }
  });
});
