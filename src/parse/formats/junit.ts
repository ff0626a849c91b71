/**
 * JUnit XML test reports (JUnit/Ant, Maven Surefire, pytest, InSpec's and Trivy's junit output…).
 * Read as a SAX stream so a report of any size costs the memory of one test case.
 *
 * One record per `<testcase>`: `<failure>` → fail, `<error>` → error, `<skipped>` → skip, none
 * of them → pass. Trivy's junit template writes one case per vulnerability, named `[SEVERITY] ID`
 * with the package as classname; those are read as vulnerability findings on that package.
 */
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { CheckStatus } from '../../model/types.js';
import { diagnostic } from '../../diagnostics/codes.js';
import { reject, type Parser } from '../parser.js';
import { clip, instant, namedSeverity, RecordEmitter, scopeOf, text, untaggedImage, type RecordFields } from './common.js';

interface Suite {
  name?: string;
  observedAt?: string;
  line: number;
  /** What the suite's attributes claim, to compare with the cases really present. */
  claimed: Partial<Record<CountKey, number>>;
  counted: Record<CountKey, number>;
}

type CountKey = 'tests' | 'failures' | 'errors' | 'skipped';

interface Case {
  classname?: string;
  name?: string;
  line: number;
  status: CheckStatus;
  /** The element explaining the status, while its text is being read. */
  detail?: { attribute?: string; text: string };
}

const outcome: Record<string, CheckStatus> = { failure: 'fail', error: 'error', skipped: 'skip' };
/** A case can hold several outcome elements; the worst one decides. */
const rank: Record<CheckStatus, number> = { pass: 0, manual: 0, skip: 1, error: 2, fail: 3 };
const countOf: Partial<Record<CheckStatus, CountKey>> = { fail: 'failures', error: 'errors', skip: 'skipped' };
/** Enough of an outcome's text for a message; the rest of a long stack trace is not kept. */
const DETAIL_LIMIT = 2000;

const trivyName = /^\[(CRITICAL|HIGH|MEDIUM|LOW|UNKNOWN)\]\s+(\S+)$/;
/** Trivy names the suite of OS packages after the image and its OS release: `registry/app:1.4 (debian 12.5)`. */
const osRelease = / \([^()]*\)$/;
/**
 * Where the version starts in Trivy's `{{PkgName}}-{{InstalledVersion}}` class names: at the first `-`
 * before a digit (or a `v` and a digit). A name with such a part (`gcc-12-base`) is cut short, which
 * can merge two packages; it never keeps a version, which would make every upgrade a new finding.
 */
const pkgVersion = /-v?\d.*$/;

function count(value: string | undefined): number | undefined {
  return value !== undefined && /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
}

function caseRecord(file: string, c: Case, suites: Suite[], tool: string | undefined): RecordFields {
  const suite = suites.at(-1);
  const base = {
    format: 'junit',
    file,
    place: { line: c.line },
    status: c.status,
    // The nearest enclosing suite that carries a timestamp dates the case.
    observedAt: suites.findLast((s) => s.observedAt)?.observedAt,
    tool,
    scope: scopeOf('junit', tool),
  };
  const trivy = tool?.toLowerCase() === 'trivy' ? trivyName.exec(c.name ?? '') : null;
  if (trivy) {
    const id = trivy[2]!;
    // The OS packages' suite names the image: without its tag and OS release, it is what was scanned;
    // other suites name files or languages inside it. The package, without its version, is the finding.
    const image = suite?.name && osRelease.test(suite.name) ? untaggedImage(suite.name.replace(osRelease, '')) : undefined;
    const resource = [suite?.name, c.classname].filter(Boolean).join(':');
    const identity = [image ?? suite?.name, c.classname?.replace(pkgVersion, '')].filter(Boolean).join(':');
    return {
      ...base,
      check: id,
      // Trivy puts the vulnerability's title in the message attribute and its description in the text.
      title: clip(c.detail?.attribute),
      // The same vulnerability is reported once per affected package: the package keeps them apart
      // (target:package, as the Trivy JSON and SARIF readers write it).
      resource,
      target: image,
      identity: identity === resource ? undefined : identity,
      severity: namedSeverity(trivy[1]),
      message: clip(c.detail?.text),
      category: 'vulnerability',
      tags: [id.toUpperCase()],
      location: c.classname,
    };
  }
  return {
    ...base,
    check: [c.classname, c.name].filter(Boolean).join('.'),
    title: c.name,
    resource: suite?.name,
    // A run of the suite is a snapshot of it.
    target: suite?.name,
    message: clip(c.detail?.attribute) ?? clip(c.detail?.text),
    category: 'test',
  };
}

export const junitParser: Parser = {
  name: 'junit',
  label: 'JUnit XML test report',
  detect(source) {
    if (source.binary) return 0;
    // The root element, after an optional BOM, XML declaration, comments and doctype.
    const start = source.head.replace(/^\uFEFF/, '').replace(/^(?:\s+|<\?xml[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)*/, '');
    return /^<testsuites?[\s>/]/.test(start) ? 0.95 : 0;
  },
  async parse(source, sink) {
    const file = source.file.path;
    const xml = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
    const suites: Suite[] = [];
    let current: Case | undefined;
    let tool: string | undefined;
    const out = new RecordEmitter(sink, file);
    let mismatch: { suite: Suite; key: CountKey } | undefined;
    let mismatches = 0;
    let error: { message: string; line: number; column: number } | undefined;
    let tagLine = 1;
    /** Inside the outcome element that decides the current case's status. */
    let reading = false;

    let ended = false;
    xml.on('error', (e) => {
      // saxes puts "line:column: " in front of its messages; the place carries that.
      const message = e.message.replace(/^\d+:\d+:\s*/, '');
      const unclosed = ended ? /^unclosed tag: (\S+)/.exec(message) : null;
      error ??= { message: unclosed ? `the XML ends before <${unclosed[1]}> is closed (truncated file?)` : message, line: xml.line, column: xml.column + 1 };
    });
    xml.on('opentagstart', () => {
      tagLine = xml.line;
    });
    xml.on('opentag', (tag: SaxesTagPlain) => {
      const a = tag.attributes;
      if (tag.name === 'testsuites') tool ??= text(a.name);
      else if (tag.name === 'testsuite') {
        const claimed: Suite['claimed'] = {};
        for (const key of ['tests', 'failures', 'errors', 'skipped'] as const) {
          const n = count(a[key]);
          if (n !== undefined) claimed[key] = n;
        }
        const name = text(a.name);
        const observedAt = instant(a.timestamp);
        suites.push({ ...(name ? { name } : {}), ...(observedAt ? { observedAt } : {}), line: tagLine, claimed, counted: { tests: 0, failures: 0, errors: 0, skipped: 0 } });
      } else if (tag.name === 'testcase') {
        const classname = text(a.classname);
        const name = text(a.name);
        current = { ...(classname ? { classname } : {}), ...(name ? { name } : {}), line: tagLine, status: 'pass' };
      } else if (current && tag.name in outcome) {
        const status = outcome[tag.name]!;
        if (rank[status] > rank[current.status]) {
          current.status = status;
          const attribute = text(a.message);
          current.detail = { ...(attribute ? { attribute } : {}), text: '' };
          reading = true;
        }
      }
    });
    const onText = (t: string) => {
      if (reading && current?.detail && current.detail.text.length < DETAIL_LIMIT) current.detail.text += t.slice(0, DETAIL_LIMIT);
    };
    xml.on('text', onText);
    xml.on('cdata', onText);
    xml.on('closetag', (tag: SaxesTagPlain) => {
      if (tag.name === 'testsuite') {
        const suite = suites.pop();
        if (!suite) return;
        for (const [key, claimed] of Object.entries(suite.claimed) as [CountKey, number][]) {
          if (claimed === suite.counted[key]) continue;
          mismatch ??= { suite, key };
          mismatches++;
          break;
        }
        // A parent suite's counts include its children's.
        const parent = suites.at(-1);
        if (parent) for (const key of Object.keys(parent.counted) as CountKey[]) parent.counted[key] += suite.counted[key];
      } else if (tag.name === 'testcase' && current) {
        if (current.name || current.classname) out.record(caseRecord(file, current, suites, tool));
        else out.skip('test case skipped: it has neither name nor classname', { line: current.line });
        const suite = suites.at(-1);
        if (suite) {
          suite.counted.tests++;
          const key = countOf[current.status];
          if (key) suite.counted[key]++;
        }
        current = undefined;
      } else if (tag.name in outcome) {
        // Text after the outcome element (system-out…) does not explain it.
        reading = false;
      }
    });

    const decoder = new StringDecoder('utf8');
    let first = true;
    for await (const chunk of source.stream()) {
      let piece = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      if (first) {
        piece = piece.replace(/^\uFEFF/, '');
        first = false;
      }
      xml.write(piece);
      if (error) break;
    }
    if (!error) {
      xml.write(decoder.end());
      ended = true;
      xml.close();
    }
    if (error) return reject(sink, diagnostic('format/syntax', `invalid XML: ${error.message}`, { file, place: { line: error.line, column: error.column } }));

    if (mismatch) {
      const { suite, key } = mismatch;
      const others = mismatches > 1 ? ` (and ${mismatches - 1} more suites disagree)` : '';
      sink.diagnostic(
        diagnostic('format/counts-mismatch', `testsuite ${suite.name ? `"${suite.name}" ` : ''}says ${key}="${suite.claimed[key]}" but holds ${suite.counted[key]}; the cases present are read${others}`, {
          file,
          place: { line: suite.line },
        }),
      );
    }
    return out.finish();
  },
};
