/**
 * kube-bench JSON (CIS Kubernetes Benchmark checks): `{ "Controls": [...], "Totals": {...} }`, or
 * the older top-level array of control sections. One record per `tests[].results[]` row.
 * kube-bench writes no timestamps, so its records are undated, nor the cluster or node it ran on:
 * the evidence folder stands for it. The rows are streamed; a section's own fields precede its tests,
 * and its totals, which follow them, are compared once it is read.
 */
import type { CheckStatus } from '../../model/types.js';
import { diagnostic } from '../../diagnostics/codes.js';
import type { Parser, ParseSink } from '../parser.js';
import { clip, get, InOrder, isObject, list, pointerOf, RecordEmitter, scopeOf, startsJson, streamDocument, targets, text, type JsonObject, type RecordFields } from './common.js';

/** WARN is kube-bench's "check this by hand" (manual tests, or audits it could not decide). */
const statuses: Record<string, CheckStatus> = { PASS: 'pass', FAIL: 'fail', WARN: 'manual', INFO: 'manual' };
const kinds = ['pass', 'fail', 'warn', 'info'] as const;
type Tally = Record<(typeof kinds)[number], number>;

function rowRecord(file: string, row: unknown, section: JsonObject, pointer: string): RecordFields | string {
  if (!isObject(row)) return 'the result row is not an object';
  const number = text(row.test_number);
  if (!number) return 'the result row has no test_number';
  const status = statuses[String(row.status ?? '').toUpperCase()];
  if (!status) return `unknown status "${String(row.status)}"`;
  const nodeType = text(section.node_type);
  const sectionText = text(section.text);
  const resource = [nodeType, sectionText].filter(Boolean).join(': ');
  const version = text(section.version)?.replace(/^cis-/i, '');
  const expected = text(row.expected_result);
  const actual = text(row.actual_value);
  const message =
    status === 'pass'
      ? undefined
      : clip(row.reason) ?? (expected ? clip(`expected ${expected}${actual ? `, found ${actual}` : ''}`) : undefined);
  return {
    format: 'kube-bench',
    file,
    place: { pointer },
    check: `kube-bench:${number}`,
    title: text(row.test_desc),
    status,
    resource,
    message,
    tool: 'kube-bench',
    category: 'misconfiguration',
    // What the run covered: the node type of the section (kube-bench's --targets) and the benchmark
    // version, whose check numbers mean other checks in other versions.
    scope: scopeOf('kube-bench', nodeType, version ? `cis-${version}` : undefined),
    tags: version ? [`CIS-Kubernetes-${version}`] : [],
  };
}

function tallyFrom(object: unknown, prefix: string): Partial<Tally> | undefined {
  if (!isObject(object)) return undefined;
  const out: Partial<Tally> = {};
  for (const k of kinds) if (typeof object[`${prefix}${k}`] === 'number') out[k] = object[`${prefix}${k}`] as number;
  return Object.keys(out).length ? out : undefined;
}

function tallyText(t: Partial<Tally>): string {
  return kinds
    .filter((k) => t[k] !== undefined)
    .map((k) => `${t[k]} ${k}`)
    .join(', ');
}

/** A control section, with the result rows read in it and, once it is read whole, its totals. */
interface Section {
  /** What the file holds of the section before its first row: what rows need of it. */
  json: JsonObject;
  pointer: string;
  name: string;
  rows: Tally;
  totals?: Partial<Tally> | undefined;
}

/** The first totals block (the file's, else a section's) that does not match the rows present. */
function totalsMismatch(totals: Partial<Tally> | undefined, rows: Tally, sections: Section[]) {
  const differs = (claimed: Partial<Tally>, counted: Tally) => kinds.some((k) => claimed[k] !== undefined && claimed[k] !== counted[k]);
  if (totals && differs(totals, rows)) return { pointer: '/Totals', what: "the file's Totals", claimed: totals, counted: rows };
  for (const s of sections) if (s.totals && differs(s.totals, s.rows)) return { pointer: s.pointer, what: `section ${s.name}'s totals`, claimed: s.totals, counted: s.rows };
  return undefined;
}

function reportTotals(sink: ParseSink, file: string, found: ReturnType<typeof totalsMismatch>): void {
  if (!found) return;
  const counted = Object.fromEntries(kinds.filter((k) => found.claimed[k] !== undefined).map((k) => [k, found.counted[k]]));
  sink.diagnostic(
    diagnostic('format/counts-mismatch', `${found.what} say ${tallyText(found.claimed)} but the result rows hold ${tallyText(counted)}; the rows present are read`, {
      file,
      place: { pointer: found.pointer },
    }),
  );
}

const noRows = (): Tally => ({ pass: 0, fail: 0, warn: 0, info: 0 });
/** The sections: the wrapper's Controls, or the whole document in the older form. */
const sectionsIn = (document: unknown) => (isObject(document) ? document.Controls : document);

export const kubeBenchParser: Parser = {
  name: 'kube-bench',
  label: 'kube-bench JSON (CIS Kubernetes Benchmark)',
  detect(source) {
    if (!startsJson(source, true)) return 0;
    const has = (key: string) => new RegExp(`"${key}"\\s*:`).test(source.head);
    // Sections carry node_type, rows test_number and test_desc; the wrapper has Controls and Totals.
    return (has('node_type') && has('test_number') && has('test_desc')) || (has('Controls') && has('Totals') && has('total_pass')) ? 0.95 : 0;
  },
  async parse(source, sink) {
    const file = source.file.path;
    const out = new RecordEmitter(sink, file);
    const rows = noRows();
    const read: Section[] = [];
    const sections = new InOrder<Section>(
      (s, document) => {
        const json = list(sectionsIn(document))[s];
        return isObject(json) ? { json, pointer: `${isObject(document) ? '/Controls' : ''}/${s}`, name: text(json.id) ?? String(s), rows: noRows() } : undefined;
      },
      // Once the section is read whole: its test groups with no list of rows, and its totals.
      (s, section, document) => {
        const json = list(sectionsIn(document))[s];
        if (!section || !isObject(json)) return;
        list(json.tests).forEach((test, t) => {
          if (!Array.isArray(isObject(test) ? (test.results ?? []) : undefined)) out.skip('test group skipped: it has no "results" list', { pointer: `${section.pointer}/tests/${t}` });
        });
        section.totals = tallyFrom(json, 'total_');
        read.push(section);
      },
    );
    const document = await streamDocument(source, sink, {
      isTarget: targets('Controls/*/tests/*/results', '*/tests/*/results'),
      onElement: (row, path, context) => {
        const section = sections.at(path.at(-5) as number, context());
        // No section: the JSON before this row is broken, which rejects the file at its end.
        if (!section) return;
        const pointer = pointerOf(path);
        const record = rowRecord(file, row, section.json, pointer);
        out.push(record, { pointer }, 'result');
        if (typeof record === 'string') return;
        const kind = String((row as JsonObject).status).toLowerCase() as keyof Tally;
        rows[kind]++;
        section.rows[kind]++;
      },
      schema: (data) => {
        const wrapped = isObject(data);
        const all = sectionsIn(data);
        if (!Array.isArray(all)) return { pointer: wrapped ? '/Controls' : '', message: 'expected a "Controls" list of control sections, or a list of sections' };
        // Go writes an empty list as null.
        const bad = all.findIndex((section) => !isObject(section) || !Array.isArray(section.tests ?? []));
        return bad === -1 ? undefined : { pointer: `${wrapped ? '/Controls' : ''}/${bad}/tests`, message: 'expected each control section to have a "tests" list' };
      },
    });
    if ('rejected' in document) return document.rejected;
    sections.finish(list(sectionsIn(document.data)).length, document.data);
    reportTotals(sink, file, totalsMismatch(tallyFrom(get(document.data, 'Totals'), 'total_'), rows, read));
    return out.finish();
  },
};
