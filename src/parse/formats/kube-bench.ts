/**
 * kube-bench JSON (CIS Kubernetes Benchmark checks): `{ "Controls": [...], "Totals": {...} }`, or
 * the older top-level array of control sections. One record per `tests[].results[]` row.
 * kube-bench writes no timestamps, so its records are undated.
 */
import type { CheckRecord, CheckStatus } from '../../model/types.js';
import { diagnostic } from '../../diagnostics/codes.js';
import type { Parser, ParseSink } from '../parser.js';
import { RecordEmitter } from './audit-common.js';
import { clip, isObject, readJson, schemaError, text, type JsonObject } from './scanner-common.js';

/** WARN is kube-bench's "check this by hand" (manual tests, or audits it could not decide). */
const statuses: Record<string, CheckStatus> = { PASS: 'pass', FAIL: 'fail', WARN: 'manual', INFO: 'manual' };
const kinds = ['pass', 'fail', 'warn', 'info'] as const;
type Tally = Record<(typeof kinds)[number], number>;

function rowRecord(file: string, row: unknown, section: JsonObject, pointer: string): CheckRecord | string {
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
  const title = text(row.test_desc);
  return {
    type: 'check',
    format: 'kube-bench',
    file,
    place: { pointer },
    check: `kube-bench:${number}`,
    ...(title ? { title } : {}),
    status,
    ...(resource ? { resource } : {}),
    ...(message ? { message } : {}),
    tool: 'kube-bench',
    category: 'misconfiguration',
    ...(version ? { tags: [`CIS-Kubernetes-${version}`] } : {}),
    rawControls: [],
    controls: [],
  };
}

function tallyFrom(object: JsonObject, prefix: string): Partial<Tally> | undefined {
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

/** The first totals block (the file's, else a section's) that does not match the rows present. */
function totalsMismatch(totals: Partial<Tally> | undefined, rows: Tally, sections: { totals?: Partial<Tally>; rows: Tally; pointer: string; name: string }[]) {
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

export const kubeBenchParser: Parser = {
  name: 'kube-bench',
  label: 'kube-bench JSON (CIS Kubernetes Benchmark)',
  detect(source) {
    if (source.binary || !/^\uFEFF?\s*[[{]/.test(source.head)) return 0;
    const has = (key: string) => new RegExp(`"${key}"\\s*:`).test(source.head);
    // Sections carry node_type, rows test_number and test_desc; the wrapper has Controls and Totals.
    return (has('node_type') && has('test_number') && has('test_desc')) || (has('Controls') && has('Totals') && has('total_pass')) ? 0.95 : 0;
  },
  async parse(source, sink) {
    const file = source.file.path;
    const read = await readJson(source, sink, 'kube-bench');
    if ('rejected' in read) return read.rejected;
    const data = read.data;
    const wrapped = isObject(data);
    const sections = wrapped ? data.Controls : data;
    if (!Array.isArray(sections)) return schemaError(sink, file, wrapped ? '/Controls' : '', 'expected a "Controls" list of control sections, or a list of sections');
    const base = wrapped ? '/Controls' : '';

    const rows: Tally = { pass: 0, fail: 0, warn: 0, info: 0 };
    const sectionTallies: Parameters<typeof totalsMismatch>[2] = [];
    const out = new RecordEmitter(sink, file);
    for (const [s, section] of sections.entries()) {
      const sectionPointer = `${base}/${s}`;
      // Go writes an empty list as null.
      const tests = isObject(section) ? (section.tests ?? []) : undefined;
      if (!isObject(section) || !Array.isArray(tests)) return schemaError(sink, file, `${sectionPointer}/tests`, 'expected each control section to have a "tests" list');
      const sectionRows: Tally = { pass: 0, fail: 0, warn: 0, info: 0 };
      for (const [t, test] of tests.entries()) {
        const testPointer = `${sectionPointer}/tests/${t}`;
        const results = isObject(test) ? (test.results ?? []) : undefined;
        if (!Array.isArray(results)) {
          out.skip('test group skipped: it has no "results" list', { pointer: testPointer });
          continue;
        }
        for (const [r, row] of results.entries()) {
          const pointer = `${testPointer}/results/${r}`;
          const record = rowRecord(file, row, section, pointer);
          out.push(record, { pointer }, 'result');
          if (typeof record === 'string') continue;
          const kind = String((row as JsonObject).status).toLowerCase() as keyof Tally;
          rows[kind]++;
          sectionRows[kind]++;
        }
      }
      const totals = tallyFrom(section, 'total_');
      sectionTallies.push({ ...(totals ? { totals } : {}), rows: sectionRows, pointer: sectionPointer, name: text(section.id) ?? String(s) });
    }
    reportTotals(sink, file, totalsMismatch(wrapped && isObject(data.Totals) ? tallyFrom(data.Totals, 'total_') : undefined, rows, sectionTallies));
    return out.finish();
  },
};
