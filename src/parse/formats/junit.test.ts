import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CheckRecord } from '../../model/types.js';
import { collectedFrom } from '../../../test/helpers/source.js';
import { parseFile } from '../parse-file.js';
import type { Source } from '../parser.js';
import { junitParser } from './junit.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/junit-xml/${name}`, import.meta.url));
const parse = (name: string, content: string | Buffer = fixture(name)) => parseFile(collectedFrom(name, content));
const checks = (records: unknown[]) => records as CheckRecord[];
const statuses = (records: CheckRecord[]) => records.reduce<Record<string, number>>((n, r) => ({ ...n, [r.status]: (n[r.status] ?? 0) + 1 }), {});
const score = (content: string) => junitParser.detect({ head: content, binary: false, file: { path: 'x' } } as Source);

describe('JUnit XML', () => {
  it('reads pytest results with the suite timestamp, and warns that the suite miscounts its tests', async () => {
    const parsed = await parse('python-xunit-pytest.xml');
    expect(parsed).toMatchObject({ format: 'junit', accepted: true });
    const records = checks(parsed.records);
    expect(records).toHaveLength(10);
    expect(statuses(records)).toEqual({ pass: 6, fail: 2, skip: 2 });
    expect(records[0]).toMatchObject({
      check: 'tests.test_lib.test_always_pass',
      title: 'test_always_pass',
      status: 'pass',
      resource: 'pytest',
      observedAt: '2025-11-15T16:51:49.548Z',
      tool: 'pytest tests',
      category: 'test',
      place: { line: 8 },
    });
    expect(records[5]).toMatchObject({ check: 'tests.test_lib.test_always_fail', status: 'fail', message: 'assert False' });
    expect(records[4]).toMatchObject({ status: 'skip', message: 'skipped' });
    // An xfail has an empty message attribute and no text.
    expect(records[6]).toMatchObject({ check: 'tests.test_lib.test_expected_failure', status: 'skip' });
    expect(records[6]).not.toHaveProperty('message');
    expect(records[9]?.check).toBe('custom_classname.test_with_record_xml_attribute');
    // A run of the suite is a snapshot of it.
    expect(records.map((r) => [r.target, r.scope])).toEqual(Array(10).fill(['pytest', 'junit:pytest tests']));
    // The file says tests="15" for its 10 test cases (as committed upstream).
    expect(parsed.diagnostics).toEqual([expect.objectContaining({ code: 'format/counts-mismatch', severity: 'warning', place: { line: 3 } })]);
    expect(parsed.diagnostics[0]?.message).toMatch(/tests="15" but holds 10/);
  });

  it("reads InSpec's junit reporter output, which has no timestamp", async () => {
    const parsed = await parse('junit_output');
    expect(parsed).toMatchObject({ format: 'junit', accepted: true });
    const records = checks(parsed.records);
    expect(records).toHaveLength(4);
    expect(statuses(records)).toEqual({ pass: 3, fail: 1 });
    expect(records[2]).toMatchObject({
      check: 'long_commands.Anonymous.gem package rubocop should be installed',
      status: 'fail',
      message: 'rubocop is not installed',
      resource: 'long_commands',
    });
    expect(records[3]?.check).toBe('long_commands.Anonymous.Command whoami stdout should eq "jquick\\n"');
    expect(records.every((r) => r.observedAt === undefined && r.tool === undefined)).toBe(true);
    expect(records.every((r) => r.target === 'long_commands' && r.scope === 'junit')).toBe(true);
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['format/undated']);
  });

  it("reads Trivy's junit template as one vulnerability per package", async () => {
    const parsed = await parse('alpine-310.junit.golden');
    expect(parsed).toMatchObject({ format: 'junit', accepted: true });
    const records = checks(parsed.records);
    expect(records).toHaveLength(4);
    expect(statuses(records)).toEqual({ fail: 4 });
    expect(records[0]).toMatchObject({
      check: 'CVE-2019-1549',
      title: 'openssl: information disclosure in fork()',
      severity: 'medium',
      resource: 'testdata/fixtures/images/alpine-310.tar.gz (alpine 3.10.2):libcrypto1.1-1.1.1c-r0',
      location: 'libcrypto1.1-1.1.1c-r0',
      tool: 'trivy',
      category: 'vulnerability',
      tags: ['CVE-2019-1549'],
    });
    expect(records[0]?.message).toMatch(/^OpenSSL 1\.1\.1 introduced a rewritten random number generator/);
    expect(records[0]!.message!.length).toBeLessThanOrEqual(500);
    expect(records[2]?.resource).toBe('testdata/fixtures/images/alpine-310.tar.gz (alpine 3.10.2):libssl1.1-1.1.1c-r0');
    // The image (an --input archive here) is the target; the package without its version, the finding.
    expect(records.map((r) => [r.target, r.scope, r.identity])).toEqual([
      ['testdata/fixtures/images/alpine-310.tar.gz', 'junit:trivy', 'testdata/fixtures/images/alpine-310.tar.gz:libcrypto1.1'],
      ['testdata/fixtures/images/alpine-310.tar.gz', 'junit:trivy', 'testdata/fixtures/images/alpine-310.tar.gz:libcrypto1.1'],
      ['testdata/fixtures/images/alpine-310.tar.gz', 'junit:trivy', 'testdata/fixtures/images/alpine-310.tar.gz:libssl1.1'],
      ['testdata/fixtures/images/alpine-310.tar.gz', 'junit:trivy', 'testdata/fixtures/images/alpine-310.tar.gz:libssl1.1'],
    ]);
  });

  it('gives a flaw Trivy reports in two tags of an image, on an upgraded package, one identity', async () => {
    const scan = (tag: string, os: string, classname: string) => `<testsuites name="trivy">
  <testsuite tests="1" failures="1" name="registry.example.com:5000/shop:${tag} (debian ${os})">
    <testcase classname="${classname}" name="[HIGH] CVE-2026-1234"><failure message="flaw" type="description">flaw</failure></testcase>
  </testsuite>
  <testsuite tests="1" failures="1" name="Go">
    <testcase classname="golang.org/x/net-v0.17.0" name="[HIGH] CVE-2026-4321"><failure message="flaw" type="description">flaw</failure></testcase>
  </testsuite>
</testsuites>`;
    const november = checks((await parse('nov.xml', scan('2026.11.18', '12.5', 'libssl3-3.0.11-1~deb12u2'))).records);
    const december = checks((await parse('dec.xml', scan('2026.12.16', '12.6', 'libssl3-3.0.13-1~deb12u1'))).records);
    expect(november[0]).toMatchObject({ target: 'registry.example.com:5000/shop', identity: 'registry.example.com:5000/shop:libssl3' });
    expect(december[0]).toMatchObject({ target: november[0]!.target, identity: november[0]!.identity });
    // A language suite names no image: no target; its package still loses its version.
    expect(november[1]).toMatchObject({ resource: 'Go:golang.org/x/net-v0.17.0', identity: 'Go:golang.org/x/net' });
    expect(november[1]?.target).toBeUndefined();
  });

  it('detects the root element after a declaration and comments, and nothing else', () => {
    expect(score(fixture('junit_output').toString())).toBe(0.95);
    expect(score('\uFEFF<?xml version="1.0"?>\n<!-- generated -->\n<testsuite name="a" tests="0"/>')).toBe(0.95);
    expect(score('<?xml version="1.0"?><project><testsuite/></project>')).toBe(0);
    expect(score('{"testsuites": []}')).toBe(0);
  });

  it('rejects truncated XML with the line and column saxes reports', async () => {
    const parsed = await parse('cut.xml', fixture('python-xunit-pytest.xml').subarray(0, 900));
    expect(parsed).toMatchObject({ format: 'junit', accepted: false });
    // The file ends inside the sixth test case, on line 15.
    expect(parsed.diagnostics[0]).toMatchObject({
      code: 'format/syntax',
      message: 'invalid XML: the XML ends before <testcase> is closed (truncated file?)',
      place: { line: 15, column: 4 },
    });
    const broken = await parse('broken.xml', '<testsuites>\n  <testsuite name="a">\n    <testcase name="x" <failure/>\n</testsuites>');
    expect(broken.diagnostics[0]).toMatchObject({ code: 'format/syntax', place: { line: 3 } });
  });

  it('reads error outcomes, nested suites and CDATA, and skips a case without any name', async () => {
    const xml = `<testsuites>
  <testsuite name="outer" timestamp="2026-03-01T10:00:00">
    <testsuite name="inner" tests="2" errors="1">
      <testcase classname="a.B" name="boom"><error message=""><![CDATA[NullPointerException at B.java:3]]></error></testcase>
      <testcase time="0.1"/>
    </testsuite>
  </testsuite>
</testsuites>`;
    const parsed = await parse('nested.xml', xml);
    expect(parsed).toMatchObject({ accepted: true, invalidRecords: 1 });
    // The zone-less timestamp of the enclosing suite, read as UTC.
    expect(parsed.records).toEqual([
      expect.objectContaining({ check: 'a.B.boom', status: 'error', resource: 'inner', observedAt: '2026-03-01T10:00:00.000Z', message: 'NullPointerException at B.java:3' }),
    ]);
    expect(parsed.diagnostics).toEqual([expect.objectContaining({ code: 'format/record-skipped', place: { line: 5 } })]);
  });

  it('accepts a report with no test cases', async () => {
    const parsed = await parse('empty.xml', '<?xml version="1.0"?>\n<testsuites name="x"><testsuite name="s" tests="0"/></testsuites>');
    expect(parsed).toMatchObject({ format: 'junit', accepted: true, records: [] });
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['format/no-findings']);
  });
});
