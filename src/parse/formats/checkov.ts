import type { CheckCategory, CheckStatus, Place } from '../../model/types.js';
import { diagnostic } from '../../diagnostics/codes.js';
import type { JsonPath } from '../json-stream.js';
import type { Parser } from '../parser.js';
import { classifiers, clip, get, InOrder, isObject, namedSeverity, pointerOf, RecordEmitter, scopeOf, startsJson, streamDocument, targets, text, type RecordFields } from './common.js';

/**
 * Checkov's JSON output (`checkov -o json`): one report object, or an array of them when several
 * frameworks were scanned, each with passed, failed and skipped checks and files it could not
 * parse. When nothing at all was scanned Checkov prints only the summary object.
 * The report carries no time, so its records are undated. Nor does it name the repository it
 * scanned (`--repo-id` only goes to the Bridgecrew platform): the evidence folder stands for it.
 */

const STATUS: Record<string, CheckStatus> = { passed_checks: 'pass', failed_checks: 'fail', skipped_checks: 'skip' };
const LIST_KEYS = [...Object.keys(STATUS), 'parsing_errors'];

// Each summary count and the list it counts.
const SUMMARY: [count: string, list: string][] = [
  ['passed', 'passed_checks'],
  ['failed', 'failed_checks'],
  ['skipped', 'skipped_checks'],
  ['parsing_errors', 'parsing_errors'],
];

// What a framework checks: secrets and package scans are not configuration findings.
const categoryOf = (checkType: string | undefined): CheckCategory =>
  checkType === 'secrets' ? 'secret' : checkType?.startsWith('sca_') ? 'vulnerability' : 'misconfiguration';

export const checkovParser: Parser = {
  name: 'checkov',
  label: 'Checkov JSON report',
  detect(source) {
    if (!startsJson(source, true)) return 0;
    const head = source.head;
    if (/"check_type"\s*:/.test(head) && /"(?:passed_checks|failed_checks|skipped_checks|parsing_errors)"\s*:/.test(head)) return 0.95;
    // The bare summary must be the document itself, not a copy kept inside another tool's report (HDF).
    return /^\uFEFF?\s*\[?\s*\{\s*"(?:passed|failed|skipped|parsing_errors|resource_count|checkov_version)"\s*:/.test(head) && /"checkov_version"\s*:/.test(head) ? 0.9 : 0;
  },
  async parse(source, sink) {
    const file = source.file.path;
    const out = new RecordEmitter(sink, file);
    // The lists are streamed, in the order Checkov writes them: passed, failed, skipped, parsing errors.
    const reports = new InOrder<Report>(
      (i, document) => {
        const report = reportIn(document, i);
        // The summary, with the version, follows the lists: known here in the second pass.
        return {
          at: Array.isArray(document) ? `/${i}` : '',
          listed: {},
          base: {
            format: 'checkov',
            file,
            tool: 'checkov',
            toolVersion: text(get(report, 'summary', 'checkov_version')),
            category: categoryOf(text(get(report, 'check_type'))),
            // One report per framework scanned: a run of other frameworks never closes this one's findings.
            scope: scopeOf('checkov', text(get(report, 'check_type'))),
          },
        };
      },
      (i, report, document) => {
        const written = reportIn(document, i);
        if (!report || !isObject(get(written, 'results'))) return;
        const mismatch = countsMismatch(get(written, 'summary'), report.listed);
        if (mismatch.length) {
          sink.diagnostic(diagnostic('format/counts-mismatch', `the summary says ${mismatch.join(', ')}; the checks listed are read`, { file, place: { pointer: `${report.at}/summary` } }));
        }
      },
    );
    const read = await streamDocument(source, sink, {
      isTarget: targets(...LIST_KEYS.flatMap((key) => [`results/${key}`, `*/results/${key}`])),
      // Checkov writes its summary, and with it its version, after the lists: read in two passes.
      ready: (path, context) => isObject(get(reportIn(context(), reportOf(path)), 'summary')),
      onElement: (item, path, document) => {
        const report = reports.at(reportOf(path), document())!;
        const key = path.at(-2) as string;
        report.listed[key] = (report.listed[key] ?? 0) + 1;
        const place = { pointer: pointerOf(path) };
        if (key === 'parsing_errors') out.record(parsingError(report, item, place));
        else out.push(checkRecordOf(report, item, STATUS[key]!, place), place);
      },
      schema: (document) => {
        const single = !Array.isArray(document);
        for (const [i, report] of (single ? [document] : document).entries()) {
          const at = single ? '' : `/${i}`;
          if (!isObject(report)) return { pointer: at, message: 'a Checkov report is a JSON object with "results" and "summary"' };
          if (report.results === undefined && (typeof report.checkov_version === 'string' || isObject(report.summary))) continue;
          if (!isObject(report.results)) return { pointer: `${at}/results`, message: 'results must be an object of check lists' };
          for (const key of LIST_KEYS) {
            const value = report.results[key];
            if (value !== undefined && value !== null && !Array.isArray(value)) return { pointer: `${at}/results/${key}`, message: `${key} must be a list` };
          }
        }
        return undefined;
      },
    });
    if ('rejected' in read) return read.rejected;
    reports.finish(Array.isArray(read.data) ? read.data.length : 1, read.data);
    return out.finish();
  },
};

/** One report (of a framework) and what its records share. */
interface Report {
  /** Pointer to the report: '' for a file of one report. */
  at: string;
  /** How many items each list holds, to compare with the summary. */
  listed: Record<string, number>;
  base: Pick<RecordFields, 'format' | 'file' | 'tool' | 'toolVersion' | 'category' | 'scope'>;
}

/** Report `i` of a file that holds one report, or an array of them. */
const reportIn = (document: unknown, i: number) => (Array.isArray(document) ? document[i] : document);
/** The report an element's path is in. */
const reportOf = (path: JsonPath) => (typeof path[0] === 'number' ? path[0] : 0);

function checkRecordOf({ base }: Report, check: unknown, status: CheckStatus, place: Place): RecordFields | string {
  const id = isObject(check) ? text(check.check_id) : undefined;
  if (!isObject(check) || !id) return 'the check has no check_id';
  const path = text(check.file_path);
  const resource = text(check.resource);
  const range = check.file_line_range;
  const line = Array.isArray(range) && typeof range[0] === 'number' && range[0] > 0 ? range[0] : undefined;
  const result = isObject(check.check_result) ? check.check_result : {};
  const vulnerability = isObject(check.vulnerability_details) ? check.vulnerability_details : {};
  return {
    ...base,
    place,
    check: id,
    title: text(check.check_name) ?? text(get(check.check, 'name')),
    status,
    // Dockerfile checks name the file itself as the resource ("/Dockerfile.").
    resource: path && resource && !resource.startsWith(path) ? `${path}:${resource}` : (resource ?? path),
    location: path && line ? `${path}:${line}` : path,
    severity: namedSeverity(check.severity),
    message: clip(status === 'skip' ? (result.suppress_comment ?? 'skipped') : (check.short_description ?? check.description)),
    tags: classifiers([vulnerability.id, ...(Array.isArray(vulnerability.cwe) ? vulnerability.cwe : [vulnerability.cwe])]),
  };
}

function parsingError({ base }: Report, entry: unknown, place: Place): RecordFields {
  const path = text(entry) ?? text(get(entry, 'file_path'));
  return {
    ...base,
    place,
    check: 'checkov:parsing-error',
    title: 'Checkov could not parse the file',
    status: 'error',
    resource: path,
    location: path,
    message: 'the file was not checked because Checkov could not parse it',
  };
}

/** Summary counts that disagree with the lists (a report cut or edited by hand), as "failed=11 (listed 9)". */
function countsMismatch(summary: unknown, listed: Record<string, number>): string[] {
  if (!isObject(summary)) return [];
  return SUMMARY.flatMap(([count, key]) => {
    const claimed = summary[count];
    const n = listed[key] ?? 0;
    return typeof claimed === 'number' && claimed !== n ? [`${count}=${claimed} (listed ${n})`] : [];
  });
}
