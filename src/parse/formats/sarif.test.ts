import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CheckRecord } from '../../model/types.js';
import { collectedFrom } from '../../../test/helpers/source.js';
import { parseFile } from '../parse-file.js';
import type { Source } from '../parser.js';
import { sarifParser } from './sarif.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/sarif/${name}`, import.meta.url));
const parse = async (name: string, content: string | Buffer = fixture(name)) => parseFile(collectedFrom(name, content));
const checks = (records: unknown[]) => records as CheckRecord[];
const countBy = (records: CheckRecord[], key: 'status' | 'severity' | 'category') =>
  records.reduce<Record<string, number>>((n, r) => ({ ...n, [String(r[key])]: (n[String(r[key])] ?? 0) + 1 }), {});
const score = (content: string) => sarifParser.detect({ head: content.slice(0, 65536), binary: false, file: { path: 'x' } } as Source);

// The run's other members (invocations…) come before its results, as producers write them: results are
// streamed, and what follows them in the file is not known when they are read.
const log = (results: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Example', version: '1.0', rules: [{ id: 'R1', shortDescription: { text: 'Rule one' }, defaultConfiguration: { level: 'error' } }] } },
        ...extra,
        results,
      },
    ],
  });
const located = { locations: [{ physicalLocation: { artifactLocation: { uri: 'src/a.ts' }, region: { startLine: 7 } } }] };

describe('SARIF 2.1.0', () => {
  it('reads Trivy image results as one vulnerability per package', async () => {
    const parsed = await parse('alpine-310.sarif.golden');
    expect(parsed).toMatchObject({ format: 'sarif', accepted: true });
    expect(score(fixture('alpine-310.sarif.golden').toString())).toBe(1);
    const records = checks(parsed.records);
    expect(records).toHaveLength(4);
    expect(countBy(records, 'status')).toEqual({ fail: 4 });
    // security-severity "5.3" is a CVSS score: medium.
    expect(countBy(records, 'severity')).toEqual({ medium: 4 });
    expect(records[0]).toMatchObject({
      check: 'CVE-2019-1549',
      title: 'openssl: information disclosure in fork()',
      // Trivy places every package on the image; the location message names the package.
      resource: 'testdata/fixtures/images/alpine-310.tar.gz:libcrypto1.1',
      location: 'libcrypto1.1@1.1.1c-r0',
      tool: 'Trivy',
      toolVersion: 'dev',
      category: 'vulnerability',
      tags: ['CVE-2019-1549'],
      place: { pointer: '/runs/0/results/0' },
    });
    expect(records[2]?.resource).toBe('testdata/fixtures/images/alpine-310.tar.gz:libssl1.1');
    // Trivy names the image in the run's properties, after the results (an --input archive here);
    // its resources name the image without tag already, and it writes no fingerprints.
    expect(records.map((r) => [r.target, r.scope, r.identity])).toEqual(Array(4).fill(['testdata/fixtures/images/alpine-310.tar.gz', 'sarif:Trivy', undefined]));
    expect(records.every((r) => r.observedAt === undefined)).toBe(true);
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['format/undated']);
  });

  it('reads CodeQL results, with severity from the rule level and CWE tags', async () => {
    const parsed = await parse('codeQL-output.sarif');
    expect(parsed).toMatchObject({ format: 'sarif', accepted: true });
    const records = checks(parsed.records);
    expect(records).toHaveLength(72);
    expect(countBy(records, 'status')).toEqual({ fail: 72 });
    expect(countBy(records, 'category')).toEqual({ code: 72 });
    // No result sets a level: the rule default applies (note → low, warning → medium, error → high).
    expect(countBy(records, 'severity')).toEqual({ low: 57, medium: 4, high: 11 });
    expect(records[0]).toMatchObject({
      check: 'py/empty-except',
      title: 'Empty except',
      resource: 'good/db_init.py',
      location: 'good/db_init.py:39',
      severity: 'low',
      tool: 'CodeQL',
      toolVersion: '2.5.4',
      tags: ['CWE-390'],
    });
    const sql = records.find((r) => r.check === 'py/sql-injection');
    // CodeQL's "external/owasp/owasp-a1" names no edition of the Top 10, so none is added.
    expect(sql).toMatchObject({ severity: 'high', resource: 'bad/libuser.py', location: 'bad/libuser.py:12', tags: ['CWE-89', 'OWASP-A01'] });
    expect(records.every((r) => (r.message?.length ?? 0) <= 500)).toBe(true);
    // CodeQL's line hash is of the line's text: with the file, it follows the line wherever it moves.
    expect(records[0]).toMatchObject({ scope: 'sarif:CodeQL', identity: 'good/db_init.py primaryLocationLineHash=9cbc869fbfffeb60:1' });
    expect(records.every((r) => r.target === undefined && r.identity?.startsWith(`${r.resource} primaryLocationLineHash=`))).toBe(true);
    expect(new Set(records.map((r) => `${r.check} ${r.identity}`)).size).toBe(72);
    expect(parsed.diagnostics.filter((d) => d.code === 'format/undated')).toHaveLength(1);
  });

  it('reads Semgrep results, finding rules by id and its named security-severity', async () => {
    const parsed = await parse('issue_10191.json');
    expect(parsed).toMatchObject({ format: 'sarif', accepted: true });
    expect(parsed.diagnostics.some((d) => d.code === 'format/ambiguous')).toBe(false);
    const records = checks(parsed.records);
    expect(records).toHaveLength(77);
    expect(countBy(records, 'status')).toEqual({ fail: 77 });
    expect(countBy(records, 'severity')).toEqual({ critical: 34, high: 1, medium: 42 });
    const nosql = records.find((r) => r.title === 'Improper neutralization of special elements in data query logic');
    expect(nosql).toMatchObject({ severity: 'critical', tool: 'Semgrep OSS', toolVersion: '1.69.0', category: 'code', tags: ['CWE-943', 'OWASP-A03:2021', 'OWASP-A01:2017'] });
    expect(records[0]).toMatchObject({ resource: 'Gruntfile.js', location: 'Gruntfile.js:75', tags: ['CWE-22', 'OWASP-A01:2021', 'OWASP-A05:2017'] });
    expect(records[0]?.message?.length).toBe(500);
    expect(records[0]).toMatchObject({
      scope: 'sarif:Semgrep OSS',
      identity: 'matchBasedId/v1=e5aea7d033ad2f52b0c68a45048d8297e59597971eb74ca387ebdb598e9d2631c1de6945ffea9d9dc2fce6bb0f1e8f8e966061e685f3f72c40459c30f9fe7235_0',
    });
    expect(records.every((r) => r.identity?.startsWith('matchBasedId/v1='))).toBe(true);
  });

  describe('snapshots and identities', () => {
    const at = (line: number) => ({ locations: [{ physicalLocation: { artifactLocation: { uri: 'src/a.ts' }, region: { startLine: line } } }] });
    const records = async (results: unknown[], extra: Record<string, unknown> = {}) => checks((await parse('s.sarif', log(results, extra))).records);

    it('identifies a result by its fingerprint, else its partial fingerprint with the file, else the file without the line', async () => {
      const [full, partial, none, placeholder] = await records([
        { ruleId: 'R1', message: { text: 'a' }, ...at(7), fingerprints: { 'b/v1': 'second', 'a/v1': 'first' }, partialFingerprints: { primaryLocationLineHash: 'ignored:1' } },
        { ruleId: 'R1', message: { text: 'b' }, ...at(7), partialFingerprints: { primaryLocationStartColumnFingerprint: '4', primaryLocationLineHash: '39fa2ee980eb94b0:1' } },
        { ruleId: 'R1', message: { text: 'c' }, ...at(7) },
        // Logged-out Semgrep 1.100+ writes the same stand-in for every result.
        { ruleId: 'R1', message: { text: 'd' }, ...at(7), fingerprints: { 'matchBasedId/v1': 'requires login' } },
      ]);
      expect(full?.identity).toBe('a/v1=first');
      expect(partial?.identity).toBe('src/a.ts primaryLocationLineHash=39fa2ee980eb94b0:1');
      expect(none).toMatchObject({ resource: 'src/a.ts', location: 'src/a.ts:7' });
      expect(none?.identity).toBeUndefined();
      expect(placeholder?.identity).toBeUndefined();
    });

    it('gives two runs of a result that moved to another line the same identity, and the resource no line', async () => {
      const result = (line: number) => ({ ruleId: 'R1', message: { text: 'moved' }, ...at(line), partialFingerprints: { primaryLocationLineHash: '5061c3315a741b7d:1' } });
      const [before] = await records([result(12)]);
      const [after] = await records([result(40)]);
      expect([before?.location, after?.location]).toEqual(['src/a.ts:12', 'src/a.ts:40']);
      expect(after?.resource).toBe(before?.resource);
      expect(after?.identity).toBe(before?.identity);
      expect(after?.identity).toBeDefined();
    });

    it('scopes a run by its tool and automation category, read as GitHub reads the id', async () => {
      const scope = async (id: string) => (await records([{ ruleId: 'R1', message: { text: 'x' }, ...at(1) }], { automationDetails: { id } }))[0]?.scope;
      expect(await scope('my-analysis/tool1/2026-11-18')).toBe('sarif:Example:my-analysis/tool1');
      expect(await scope('my-analysis/tool1/')).toBe('sarif:Example:my-analysis/tool1');
      expect(await scope('/language:python/')).toBe('sarif:Example:/language:python');
      // No `/`: the id names only the run, new every time.
      expect(await scope('nightly-2026-11-18')).toBe('sarif:Example');
      expect(await scope('/run-7')).toBe('sarif:Example');
    });

    it('takes the target from the repository (without credentials, with its branch) or the image Trivy names, not the category', async () => {
      const target = async (extra: Record<string, unknown>) => (await records([{ ruleId: 'R1', message: { text: 'x' }, ...at(1) }], extra))[0]?.target;
      expect(await target({ versionControlProvenance: [{ repositoryUri: 'https://x-access-token:ghs_abc@github.com/acme/shop', revisionId: 'a1b2c3', branch: 'main' }] })).toBe(
        'https://github.com/acme/shop (branch main)',
      );
      expect(await target({ versionControlProvenance: [{ repositoryUri: 'https://github.com/acme/shop' }], automationDetails: { id: '/language:python/' } })).toBe('https://github.com/acme/shop');
      expect(await target({ properties: { imageName: 'registry.example.com:5000/checkout-api:2026.11.18' } })).toBe('registry.example.com:5000/checkout-api');
      expect(await target({ automationDetails: { id: '/language:python/' } })).toBeUndefined();
    });

    it('waits for what a run says of its snapshot after its results, as CodeQL and key-sorting producers write it', async () => {
      const late = (run: Record<string, unknown>) => JSON.stringify({ version: '2.1.0', runs: [run] });
      const tool = { driver: { name: 'CodeQL', rules: [{ id: 'R1' }] } };
      const result = { ruleId: 'R1', message: { text: 'x' }, ...at(1) };
      const python = { tool, results: [result], automationDetails: { id: '/language:python/' }, versionControlProvenance: [{ repositoryUri: 'https://github.com/acme/shop' }] };
      const [record] = checks((await parse('late.sarif', late(python))).records);
      expect(record).toMatchObject({ scope: 'sarif:CodeQL:/language:python', target: 'https://github.com/acme/shop' });
      // Two runs, the first saying nothing of its category and the second saying it late: each as it says.
      const both = checks((await parse('two.sarif', JSON.stringify({ version: '2.1.0', runs: [{ tool, results: [result] }, python] }))).records);
      expect(both.map((r) => r.scope)).toEqual(['sarif:CodeQL', 'sarif:CodeQL:/language:python']);
    });

    it('puts a failed run in its snapshot too', async () => {
      const [failed] = await records([], { versionControlProvenance: [{ repositoryUri: 'https://github.com/acme/shop' }], invocations: [{ executionSuccessful: false }] });
      expect(failed).toMatchObject({ check: 'Example:run-failed', target: 'https://github.com/acme/shop', scope: 'sarif:Example' });
    });
  });

  it('maps kinds, suppressions, levels, message templates and the run time', async () => {
    const parsed = await parse(
      'kinds.sarif',
      log(
        [
          { ruleId: 'R1', kind: 'pass', message: { text: 'ok' }, ...located },
          { ruleId: 'R1', kind: 'review', message: { text: 'look' }, ...located },
          { ruleId: 'R1', kind: 'notApplicable', message: { text: 'n/a' }, ...located },
          { ruleId: 'R1', message: { text: 'accepted' }, suppressions: [{ kind: 'inSource' }], ...located },
          { ruleId: 'R1', message: { text: 'rejected' }, suppressions: [{ kind: 'external', status: 'rejected' }], ...located },
          { ruleId: 'R2', level: 'note', message: { text: '{0} uses {1}', arguments: ['a.ts', 'eval'] }, properties: { 'security-severity': '9.8' } },
          { message: { text: 'no rule' } },
        ],
        { invocations: [{ executionSuccessful: true, startTimeUtc: '2026-03-01T10:00:00Z', endTimeUtc: '2026-03-01T10:05:00Z' }] },
      ),
    );
    expect(parsed).toMatchObject({ format: 'sarif', accepted: true, invalidRecords: 1 });
    const records = checks(parsed.records);
    expect(records.map((r) => r.status)).toEqual(['pass', 'manual', 'skip', 'skip', 'fail', 'fail']);
    expect(records[0]).toMatchObject({ title: 'Rule one', severity: 'high', observedAt: '2026-03-01T10:05:00.000Z', resource: 'src/a.ts', location: 'src/a.ts:7' });
    expect(records[5]).toMatchObject({ check: 'R2', severity: 'critical', message: 'a.ts uses eval' });
    expect(records[5]?.resource).toBeUndefined();
    expect(parsed.diagnostics.map((d) => [d.code, d.place])).toEqual([['format/record-skipped', { pointer: '/runs/0/results/6' }]]);
  });

  it('keeps only the title of a secret finding, never the matched text', async () => {
    const parsed = await parse(
      'secrets.sarif',
      JSON.stringify({
        version: '2.1.0',
        runs: [
          {
            tool: { driver: { name: 'Trivy', rules: [{ id: 'github-pat', shortDescription: { text: 'GitHub Personal Access Token' }, properties: { tags: ['secret', 'security', 'CRITICAL'] } }] } },
            results: [{ ruleId: 'github-pat', ruleIndex: 0, message: { text: 'Match: GITHUB_PAT=ghp_realSecretValue' }, ...located }],
          },
        ],
      }),
    );
    const [record] = checks(parsed.records);
    expect(record).toMatchObject({ category: 'secret', message: 'GitHub Personal Access Token', location: 'src/a.ts:7' });
    expect(JSON.stringify(parsed.records)).not.toContain('ghp_realSecretValue');
  });

  it('reads a run whose tool and invocations follow its results in a second pass, with all they say', async () => {
    const content = JSON.stringify({
      version: '2.1.0',
      runs: [
        {
          results: [{ ruleId: 'R1', message: { text: 'late' }, ...located }],
          invocations: [{ executionSuccessful: true, endTimeUtc: '2026-03-01T10:05:00Z' }],
          tool: { driver: { name: 'Late', rules: [{ id: 'R1', shortDescription: { text: 'Rule one' }, defaultConfiguration: { level: 'error' } }] } },
        },
      ],
    });
    const parsed = await parse('late-tool.sarif', content);
    expect(parsed).toMatchObject({ format: 'sarif', accepted: true, diagnostics: [] });
    expect(checks(parsed.records)).toMatchObject([{ check: 'R1', tool: 'Late', title: 'Rule one', severity: 'high', observedAt: '2026-03-01T10:05:00.000Z' }]);
  });

  it('leaves undated the results written before the invocations of a run whose tool precedes them', async () => {
    // The results are read as they come, from the tool before them: the run's time, after them, is not known yet.
    const content = JSON.stringify({
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'Example', rules: [{ id: 'R1' }] } },
          results: [{ ruleId: 'R1', message: { text: 'early' }, ...located }],
          invocations: [{ executionSuccessful: false, endTimeUtc: '2026-03-01T10:05:00Z' }],
        },
      ],
    });
    const parsed = await parse('late-invocations.sarif', content);
    expect(parsed).toMatchObject({ format: 'sarif', accepted: true });
    // The failed run is still reported, after the results, with its time.
    expect(checks(parsed.records)).toMatchObject([
      { check: 'R1', status: 'fail' },
      { check: 'Example:run-failed', status: 'error', observedAt: '2026-03-01T10:05:00.000Z' },
    ]);
    expect(checks(parsed.records)[0]?.observedAt).toBeUndefined();
    expect(parsed.diagnostics).toMatchObject([{ code: 'format/undated', message: '1 of 2 results record no observation time and cannot show a control operates now' }]);
  });

  it('reports a run that did not complete as an error', async () => {
    const parsed = await parse(
      'failed.sarif',
      log([], { invocations: [{ executionSuccessful: false, toolExecutionNotifications: [{ level: 'error', message: { text: 'out of memory' } }] }] }),
    );
    expect(checks(parsed.records)).toMatchObject([{ check: 'Example:run-failed', status: 'error', message: 'out of memory' }]);
  });

  it('rejects a truncated log with the line', async () => {
    const text = fixture('alpine-310.sarif.golden').toString();
    const parsed = await parse('cut.sarif', text.slice(0, text.length / 2));
    expect(parsed).toMatchObject({ format: 'sarif', accepted: false });
    expect(parsed.diagnostics[0]).toMatchObject({ code: 'format/syntax', file: 'cut.sarif' });
    expect(parsed.diagnostics[0]?.place?.line).toBeGreaterThan(1);
  });

  it('rejects a log whose runs are not a list, at the pointer', async () => {
    const content = '{"version":"2.1.0","runs":"x"}';
    expect(score(content)).toBe(0.9);
    const parsed = await parse('bad.sarif', content);
    expect(parsed).toMatchObject({ format: 'sarif', accepted: false });
    expect(parsed.diagnostics[0]).toMatchObject({ code: 'format/schema', place: { pointer: '/runs' } });
    const noDriver = await parse('bad2.sarif', '{"version":"2.1.0","runs":[{"results":[]}]}');
    expect(noDriver.diagnostics[0]).toMatchObject({ code: 'format/schema', place: { pointer: '/runs/0/tool/driver' } });
  });

  it('accepts a run with no results as a clean scan', async () => {
    const parsed = await parse('empty.sarif', log([]));
    expect(parsed).toMatchObject({ format: 'sarif', accepted: true, records: [] });
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['format/no-findings']);
  });

  it('does not claim other JSON', () => {
    expect(score('{"version":"2.1.0","results":[]}')).toBe(0);
    expect(score('[{"check":"a","status":"pass"}]')).toBe(0);
  });
});
