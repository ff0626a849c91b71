import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CheckRecord } from '../../model/types.js';
import { collectedFrom } from '../../../test/helpers/source.js';
import { parseFile } from '../parse-file.js';
import type { Source } from '../parser.js';
import { parsers } from '../registry.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/prowler-csv/${name}`, import.meta.url), 'utf8');
const parse = (name: string, content = fixture(name)) => parseFile(collectedFrom(name, content));
const checks = (records: unknown[]) => records as CheckRecord[];
const statuses = (records: CheckRecord[]) => records.reduce<Record<string, number>>((n, r) => ({ ...n, [r.status]: (n[r.status] ?? 0) + 1 }), {});
const scores = (content: string) =>
  Object.fromEntries(parsers.map((p) => [p.name, p.detect({ head: content.slice(0, 65536), binary: false, file: { path: 'x' } } as Source)]).filter(([, s]) => s));

/** The Prowler 5 example's header and first row, with some columns changed. */
function exampleRow(changes: Record<string, string>): string {
  const [header, row] = fixture('example_output_aws.csv').split('\n');
  const names = header!.split(';');
  const cells = row!.split(';');
  for (const [name, value] of Object.entries(changes)) cells[names.indexOf(name)] = value;
  return `${header}\n${cells.join(';')}\n`;
}

describe('Prowler CSV', () => {
  it('reads the Prowler 5 CSV (semicolons, 42 columns)', async () => {
    const content = fixture('example_output_aws.csv');
    expect(scores(content)).toEqual({ 'prowler-csv': 0.95 });
    const parsed = await parse('example_output_aws.csv');
    expect(parsed).toMatchObject({ format: 'prowler-csv', accepted: true, diagnostics: [] });
    const records = checks(parsed.records);
    expect(records).toHaveLength(4);
    expect(statuses(records)).toEqual({ fail: 2, manual: 2 });
    expect(records[0]).toMatchObject({
      check: 'prowler:accessanalyzer_enabled',
      title: 'Check if IAM Access Analyzer is enabled',
      status: 'fail',
      severity: 'low',
      resource: '<resource_uid>',
      message: 'IAM Access Analyzer in account <account_uid> is not enabled.',
      // TIMESTAMP has no zone (it is the scanner's local time; the OCSF companion file says 13:27:03Z):
      // read as UTC.
      observedAt: '2025-02-14T14:27:03.913Z',
      tool: 'prowler',
      category: 'compliance',
      place: { line: 2 },
    });
    expect(records[0]?.toolVersion).toBeUndefined();
    expect(records[0]?.tags).toEqual(expect.arrayContaining(['CIS-1.4 1.20', 'KISA-ISMS-P-2023 2.8.2', 'CIS-3.0 1.20']));
    expect(records.map((r) => r.place)).toEqual([{ line: 2 }, { line: 3 }, { line: 4 }, { line: 5 }]);
    // ACCOUNT_UID and REGION are placeholders here: no target.
    expect(records.map((r) => [r.target, r.scope])).toEqual(Array(4).fill([undefined, 'prowler-csv']));
  });

  it('names the account and region, the Azure subscription or the Kubernetes cluster and namespace', async () => {
    const targetOf = async (changes: Record<string, string>) => checks((await parse('t.csv', exampleRow(changes))).records)[0]?.target;
    expect(await targetOf({ ACCOUNT_UID: '111122223333', REGION: 'eu-west-1' })).toBe('aws account 111122223333 eu-west-1');
    expect(await targetOf({ PROVIDER: 'azure', ACCOUNT_UID: 'sub-1', REGION: 'westeurope' })).toBe('azure subscription sub-1 westeurope');
    expect(await targetOf({ PROVIDER: 'kubernetes', ACCOUNT_UID: 'prod-cluster', REGION: 'namespace: kube-system' })).toBe('kubernetes cluster prod-cluster namespace: kube-system');
  });

  it('reads the legacy Prowler 2 CSV (commas, check id in TITLE_TEXT, bare quotes)', async () => {
    const content = fixture('many_vuln.csv');
    expect(scores(content)).toEqual({ 'prowler-csv': 0.95 });
    const parsed = await parse('many_vuln.csv');
    expect(parsed).toMatchObject({ format: 'prowler-csv', accepted: true });
    // Prowler 2 wrote no time in this file: the one diagnostic says so.
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['format/undated']);
    const records = checks(parsed.records);
    expect(records).toHaveLength(4);
    expect(statuses(records)).toEqual({ fail: 4 });
    expect(records.map((r) => r.check)).toEqual(['prowler:check11', 'prowler:check13', 'prowler:check110', 'prowler:extra75']);
    expect(records.map((r) => r.severity)).toEqual(['high', 'medium', 'medium', 'info']);
    expect(records[0]).toMatchObject({
      title: 'Avoid the use of the root account (Scored)',
      // Prowler 2 names no resource: the account, per region.
      resource: '012345678910 (us-east-1)',
      message: "Root user in the account wasn't accessed in the last 1 days",
      tags: ['CIS 1.1'],
      tool: 'prowler',
    });
    expect(records[0]?.observedAt).toBeUndefined();
    expect(records[3]).toMatchObject({ resource: '012345678910 (eu-west-2)', message: 'eu-west-2: sg-01234567890qwerty is not being used!' });
    expect(records.map((r) => r.target)).toEqual(['aws account 012345678910 us-east-1', 'aws account 012345678910 us-east-1', 'aws account 012345678910 us-east-1', 'aws account 012345678910 eu-west-2']);
    expect(records[0]?.scope).toBe('prowler-csv');
    expect(records[3]?.tags).toBeUndefined();
  });

  it('skips a muted finding and carries ISO 27001 / SOC 2 compliance as tool controls', async () => {
    const parsed = await parse(
      'muted.csv',
      exampleRow({ MUTED: 'True', COMPLIANCE: 'CIS-2.0: 1.20 | ISO27001-2022: A.5.15, A.8.2 | SOC2: cc_6_1 | ISO27001-2013: A.9.2.3', PROWLER_VERSION: '5.2.1' }),
    );
    const [record] = checks(parsed.records);
    expect(record).toMatchObject({ status: 'skip', toolVersion: '5.2.1' });
    expect(record?.message).toBe('muted in Prowler (the check reported FAIL): IAM Access Analyzer in account <account_uid> is not enabled.');
    expect(record?.controls).toEqual([
      { framework: 'iso27001-2022', id: 'A.5.15', source: 'tool', via: 'Prowler compliance ISO27001-2022' },
      { framework: 'iso27001-2022', id: 'A.8.2', source: 'tool', via: 'Prowler compliance ISO27001-2022' },
      { framework: 'soc2-2017', id: 'CC6.1', source: 'tool', via: 'Prowler compliance SOC2' },
    ]);
    // 2013 A.9.2.3 (privileged access rights) is 2022 A.8.2, already there.
    expect(record?.tags).toEqual(['CIS-2.0 1.20', 'ISO27001-2022 A.5.15', 'ISO27001-2022 A.8.2', 'SOC2 cc_6_1', 'ISO27001-2013 A.9.2.3']);
  });

  it('skips a row with a bad status or a missing field, by line', async () => {
    const [header, ...rows] = fixture('example_output_aws.csv').trimEnd().split('\n');
    const bad = rows[1]!.replace(';MANUAL;', ';MAYBE;');
    const short = rows[2]!.split(';').slice(0, 10).join(';');
    const parsed = await parse('bad.csv', [header, rows[0], bad, short, rows[3]].join('\n') + '\n');
    expect(parsed).toMatchObject({ accepted: true, invalidRecords: 2 });
    expect(parsed.records).toHaveLength(2);
    expect(parsed.diagnostics).toEqual([
      expect.objectContaining({ code: 'format/record-skipped', place: { line: 3 }, message: 'unknown STATUS "MAYBE"' }),
      expect.objectContaining({ code: 'format/record-skipped', place: { line: 4 }, message: 'the row does not have the 42 fields the header names' }),
    ]);
  });

  it('rejects a truncated file with the line, and rows none of which can be read', async () => {
    const content = fixture('example_output_aws.csv');
    const truncated = await parse('cut.csv', content.slice(0, Math.floor(content.length * 0.6)));
    expect(truncated).toMatchObject({ format: 'prowler-csv', accepted: false });
    expect(truncated.diagnostics[0]).toMatchObject({ code: 'format/syntax', message: 'the CSV ends in the middle of a row (truncated file?)', place: { line: 4 } });
    const quoted = await parse('quote.csv', `${content.split('\n')[0]}\nx;"unterminated`);
    expect(quoted.diagnostics[0]).toMatchObject({ code: 'format/syntax', place: { line: 2 } });
    const wrong = await parse('wrong.csv', 'CHECK_ID;STATUS;SEVERITY\nx;done;high\ny;done;low\n');
    expect(wrong).toMatchObject({ format: 'prowler-csv', accepted: false, reason: 'unknown STATUS "done"' });
    expect(wrong.diagnostics.at(-1)).toMatchObject({ code: 'format/schema', message: 'none of the 2 findings could be read' });
  });

  it('accepts a header without rows', async () => {
    const parsed = await parse('empty.csv', `${fixture('example_output_aws.csv').split('\n')[0]}\n`);
    expect(parsed).toMatchObject({ format: 'prowler-csv', accepted: true, records: [] });
    expect(parsed.diagnostics).toEqual([{ code: 'format/no-findings', severity: 'info', message: 'the scan reported no findings', file: 'empty.csv' }]);
  });
});
