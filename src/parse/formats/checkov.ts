import type { CheckCategory, CheckStatus } from '../../model/types.js';
import { diagnostic } from '../../diagnostics/codes.js';
import type { Parser } from '../parser.js';
import { classifiers, clip, FindingEmitter, isObject, namedSeverity, readJson, schemaError, startsJson, text, type JsonObject } from './scanner-common.js';

/**
 * Checkov's JSON output (`checkov -o json`): one report object, or an array of them when several
 * frameworks were scanned, each with passed, failed and skipped checks and files it could not
 * parse. When nothing at all was scanned Checkov prints only the summary object.
 * The report carries no time, so its records are undated.
 */

const LISTS: [key: string, status: CheckStatus][] = [
  ['passed_checks', 'pass'],
  ['failed_checks', 'fail'],
  ['skipped_checks', 'skip'],
];

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
    const read = await readJson(source, sink, 'Checkov');
    if ('rejected' in read) return read.rejected;
    const single = !Array.isArray(read.data);
    const reports: unknown[] = single ? [read.data] : (read.data as unknown[]);
    // Check every report's shape before sending any record.
    for (const [i, report] of reports.entries()) {
      const at = single ? '' : `/${i}`;
      if (!isObject(report)) return schemaError(sink, file, at, 'a Checkov report is a JSON object with "results" and "summary"');
      if (report.results === undefined && (typeof report.checkov_version === 'string' || isObject(report.summary))) continue;
      if (!isObject(report.results)) return schemaError(sink, file, `${at}/results`, 'results must be an object of check lists');
      for (const key of [...LISTS.map(([k]) => k), 'parsing_errors']) {
        const value = report.results[key];
        if (value !== undefined && value !== null && !Array.isArray(value)) return schemaError(sink, file, `${at}/results/${key}`, `${key} must be a list`);
      }
    }

    const out = new FindingEmitter(sink, file);
    for (const [i, report] of (reports as JsonObject[]).entries()) {
      const at = single ? '' : `/${i}`;
      const results = report.results;
      if (!isObject(results)) continue;
      const base = {
        format: 'checkov',
        file,
        tool: 'checkov',
        toolVersion: text((report.summary as JsonObject | undefined)?.checkov_version),
        category: categoryOf(text(report.check_type)),
      };
      for (const [key, status] of LISTS) {
        for (const [j, check] of ((results[key] as unknown[] | undefined) ?? []).entries()) {
          const place = { pointer: `${at}/results/${key}/${j}` };
          const id = isObject(check) ? text(check.check_id) : undefined;
          if (!isObject(check) || !id) {
            out.skip('the check has no check_id', place);
            continue;
          }
          const path = text(check.file_path);
          const resource = text(check.resource);
          const range = check.file_line_range;
          const line = Array.isArray(range) && typeof range[0] === 'number' && range[0] > 0 ? range[0] : undefined;
          const result = isObject(check.check_result) ? check.check_result : {};
          const vulnerability = isObject(check.vulnerability_details) ? check.vulnerability_details : {};
          out.record({
            ...base,
            place,
            check: id,
            title: text(check.check_name) ?? text((check.check as JsonObject | undefined)?.name),
            status,
            // Dockerfile checks name the file itself as the resource ("/Dockerfile.").
            resource: path && resource && !resource.startsWith(path) ? `${path}:${resource}` : (resource ?? path),
            location: path && line ? `${path}:${line}` : path,
            severity: namedSeverity(check.severity),
            message: clip(status === 'skip' ? (result.suppress_comment ?? 'skipped') : (check.short_description ?? check.description)),
            tags: classifiers([vulnerability.id, ...(Array.isArray(vulnerability.cwe) ? vulnerability.cwe : [vulnerability.cwe])]),
          });
        }
      }
      const mismatch = countsMismatch(report.summary, results);
      if (mismatch.length) {
        sink.diagnostic(
          diagnostic('format/counts-mismatch', `the summary says ${mismatch.join(', ')}; the checks listed are read`, { file, place: { pointer: `${at}/summary` } }),
        );
      }
      for (const [j, entry] of ((results.parsing_errors as unknown[] | undefined) ?? []).entries()) {
        const path = text(entry) ?? text(isObject(entry) ? entry.file_path : undefined);
        out.record({
          ...base,
          place: { pointer: `${at}/results/parsing_errors/${j}` },
          check: 'checkov:parsing-error',
          title: 'Checkov could not parse the file',
          status: 'error',
          resource: path,
          location: path,
          message: 'the file was not checked because Checkov could not parse it',
        });
      }
    }
    return out.finish();
  },
};

/** Summary counts that disagree with the lists (a report cut or edited by hand), as "failed=11 (listed 9)". */
function countsMismatch(summary: unknown, results: JsonObject): string[] {
  if (!isObject(summary)) return [];
  return SUMMARY.flatMap(([count, key]) => {
    const claimed = summary[count];
    const listed = Array.isArray(results[key]) ? results[key].length : 0;
    return typeof claimed === 'number' && claimed !== listed ? [`${count}=${claimed} (listed ${listed})`] : [];
  });
}
