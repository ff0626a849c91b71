import type { CheckStatus, Place } from '../../model/types.js';
import type { Parser } from '../parser.js';
import { classifiers, clip, FindingEmitter, instant, isObject, namedSeverity, readJson, schemaError, startsJson, text, type JsonObject } from './scanner-common.js';

/**
 * Trivy's JSON report (SchemaVersion 2): per target, package vulnerabilities, IaC
 * misconfigurations and secrets. Passed misconfiguration checks appear only when Trivy ran with
 * --include-non-failures; otherwise Trivy only counts them in MisconfSummary.
 */

const MISCONF_STATUS: Record<string, CheckStatus> = { FAIL: 'fail', PASS: 'pass', EXCEPTION: 'skip' };

interface Scan {
  file: string;
  out: FindingEmitter;
  tool: 'trivy';
  toolVersion: string | undefined;
  observedAt: string | undefined;
}

type Kind = 'vulnerability' | 'misconfiguration' | 'secret';

export const trivyParser: Parser = {
  name: 'trivy',
  label: 'Trivy JSON report',
  detect(source) {
    if (!startsJson(source)) return 0;
    return /"SchemaVersion"\s*:\s*\d/.test(source.head) && /"(?:ArtifactName|ArtifactType|Results)"\s*:/.test(source.head) ? 0.95 : 0;
  },
  async parse(source, sink) {
    const file = source.file.path;
    const read = await readJson(source, sink, 'Trivy');
    if ('rejected' in read) return read.rejected;
    const report = read.data;
    if (!isObject(report)) return schemaError(sink, file, '', 'a Trivy report is a JSON object with a "Results" array');
    // Trivy leaves Results out when it found nothing.
    const results = report.Results ?? [];
    if (!Array.isArray(results)) return schemaError(sink, file, '/Results', 'Results must be an array of scan targets');

    const scan: Scan = {
      file,
      out: new FindingEmitter(sink, file),
      tool: 'trivy',
      toolVersion: text((report.Trivy as JsonObject | undefined)?.Version),
      observedAt: instant(report.CreatedAt),
    };
    let passesOnlyCounted = 0;
    for (const [i, result] of results.entries()) {
      const at = `/Results/${i}`;
      const target = isObject(result) ? text(result.Target) : undefined;
      if (!isObject(result) || !target) {
        scan.out.skip('the scan target has no Target name', { pointer: at });
        continue;
      }
      for (const kind of ['vulnerability', 'misconfiguration', 'secret'] as const) {
        const key = kind === 'vulnerability' ? 'Vulnerabilities' : kind === 'misconfiguration' ? 'Misconfigurations' : 'Secrets';
        const items = result[key];
        if (items === undefined || items === null) continue;
        if (!Array.isArray(items)) {
          scan.out.skip(`${key} is not a list`, { pointer: `${at}/${key}` });
          continue;
        }
        items.forEach((item, j) => emit(scan, kind, target, item, undefined, { pointer: `${at}/${key}/${j}` }));
      }
      // Findings suppressed by .trivyignore or VEX, kept with --show-suppressed.
      const modified = result.ExperimentalModifiedFindings;
      if (Array.isArray(modified)) {
        modified.forEach((m, j) => {
          const place = { pointer: `${at}/ExperimentalModifiedFindings/${j}` };
          const type = isObject(m) ? text(m.Type) : undefined;
          if (!isObject(m) || (type !== 'vulnerability' && type !== 'misconfiguration' && type !== 'secret')) {
            scan.out.skip('the suppressed finding has no known Type', place);
            return;
          }
          emit(scan, type, target, m.Finding, text(m.Statement) ?? `suppressed (${text(m.Status) ?? 'ignored'})`, place);
        });
      }
      const listedPasses = Array.isArray(result.Misconfigurations) ? result.Misconfigurations.filter((m) => isObject(m) && m.Status === 'PASS').length : 0;
      const successes = (result.MisconfSummary as JsonObject | undefined)?.Successes;
      if (typeof successes === 'number' && successes > listedPasses) passesOnlyCounted += successes - listedPasses;
    }
    return scan.out.finish(
      passesOnlyCounted
        ? `Trivy counted ${passesOnlyCounted} passed checks without listing them; run it with --include-non-failures so that passes count as evidence`
        : undefined,
    );
  },
};

/** One finding; `suppressed` is why it was set aside (its status becomes skip), if it was. */
function emit(scan: Scan, kind: Kind, target: string, item: unknown, suppressed: string | undefined, place: Place): void {
  if (!isObject(item)) {
    scan.out.skip(`the ${kind} is not a JSON object`, place);
    return;
  }
  const base = { format: 'trivy', file: scan.file, place, tool: scan.tool, toolVersion: scan.toolVersion, observedAt: scan.observedAt, category: kind };
  const skipped = suppressed !== undefined;
  if (kind === 'vulnerability') {
    const id = text(item.VulnerabilityID);
    if (!id) return scan.out.skip('the vulnerability has no VulnerabilityID', place);
    const pkg = text(item.PkgName);
    const version = text(item.InstalledVersion);
    const fixed = text(item.FixedVersion);
    return scan.out.record({
      ...base,
      check: id,
      title: text(item.Title),
      status: skipped ? 'skip' : 'fail',
      resource: pkg ? `${target}:${pkg}` : target,
      location: pkg ? `${pkg}${version ? `@${version}` : ''}` : undefined,
      severity: namedSeverity(item.Severity),
      message: skipped ? clip(suppressed) : fixed ? `fixed in ${fixed}` : text(item.Status) ? `vendor status: ${text(item.Status)}` : undefined,
      tags: classifiers([id, ...(Array.isArray(item.CweIDs) ? item.CweIDs : [])]),
    });
  }
  const cause = isObject(item.CauseMetadata) ? item.CauseMetadata : {};
  if (kind === 'misconfiguration') {
    const id = text(item.ID) ?? text(item.AVDID);
    if (!id) return scan.out.skip('the misconfiguration has no ID', place);
    const status = skipped ? 'skip' : MISCONF_STATUS[text(item.Status)?.toUpperCase() ?? ''];
    if (!status) return scan.out.skip(`the misconfiguration status "${String(item.Status)}" is not FAIL, PASS or EXCEPTION`, place);
    const resource = text(cause.Resource);
    return scan.out.record({
      ...base,
      check: id,
      title: text(item.Title),
      status,
      // Several resources of one file can fail the same check: keep them apart.
      resource: resource ? `${target}:${resource}` : target,
      location: lineIn(target, cause.StartLine),
      severity: namedSeverity(item.Severity),
      message: clip(suppressed ?? item.Message),
    });
  }
  const rule = text(item.RuleID);
  if (!rule) return scan.out.skip('the secret has no RuleID', place);
  // Match and Code hold the secret itself: only the rule, file and line are kept.
  return scan.out.record({
    ...base,
    check: rule,
    title: text(item.Title),
    status: skipped ? 'skip' : 'fail',
    resource: target,
    location: lineIn(target, item.StartLine),
    severity: namedSeverity(item.Severity),
    message: text(item.Title),
  });
}

const lineIn = (target: string, line: unknown): string => (typeof line === 'number' && line > 0 ? `${target}:${line}` : target);
