import type { CheckStatus, Place } from '../../model/types.js';
import type { Parser } from '../parser.js';
import { classifiers, clip, get, InOrder, instant, isObject, list, namedSeverity, pointerOf, RecordEmitter, scopeOf, startsJson, streamDocument, targets, text, untaggedImage, withoutCredentials } from './common.js';

/**
 * Trivy's JSON report (SchemaVersion 2): per target, package vulnerabilities, IaC
 * misconfigurations and secrets. Passed misconfiguration checks appear only when Trivy ran with
 * --include-non-failures; otherwise Trivy only counts them in MisconfSummary.
 * The lists are streamed; a target's name and the report's time and version precede them.
 */

const MISCONF_STATUS: Record<string, CheckStatus> = { FAIL: 'fail', PASS: 'pass', EXCEPTION: 'skip' };

type Kind = 'vulnerability' | 'misconfiguration' | 'secret';
const KINDS: Record<string, Kind> = { Vulnerabilities: 'vulnerability', Misconfigurations: 'misconfiguration', Secrets: 'secret' };

/** One entry of Results: a scanned target, and what its findings share. */
interface Target {
  name: string;
  /** The name as it stays from one scan of the artifact to the next (see stableName). */
  stableName: string;
  /** What the report is a snapshot of, and which of Trivy's scanners this result comes from. */
  snapshot: string | undefined;
  scope: string;
  file: string;
  out: RecordEmitter;
  toolVersion: string | undefined;
  observedAt: string | undefined;
  /** Passed misconfigurations listed, to tell them from those Trivy only counted. */
  listedPasses: number;
}

export const trivyParser: Parser = {
  name: 'trivy',
  label: 'Trivy JSON report',
  detect(source) {
    if (!startsJson(source)) return 0;
    return /"SchemaVersion"\s*:\s*\d/.test(source.head) && /"(?:ArtifactName|ArtifactType|Results)"\s*:/.test(source.head) ? 0.95 : 0;
  },
  async parse(source, sink) {
    const file = source.file.path;
    const out = new RecordEmitter(sink, file);
    let passesOnlyCounted = 0;
    const results = new InOrder<Target>(
      (i, report) => {
        const result = list(get(report, 'Results'))[i];
        const name = text(get(result, 'Target'));
        if (name) {
          return {
            name,
            stableName: stableName(report, name),
            snapshot: snapshotOf(report),
            // Trivy does not record which scanners ran, but each result says which one it comes from
            // (os-pkgs, lang-pkgs, config, secret, license): a report without, say, secret results
            // never closes secrets found before, while its package results still close fixed packages.
            scope: scopeOf('trivy', text(get(result, 'Class'))),
            file,
            out,
            toolVersion: text(get(report, 'Trivy', 'Version')),
            observedAt: instant(get(report, 'CreatedAt')),
            listedPasses: 0,
          };
        }
        out.skip('the scan target has no Target name', { pointer: `/Results/${i}` });
        return undefined;
      },
      // What follows a target's lists: lists that are not lists, suppressed findings, the count of passes.
      (i, target, report) => {
        const result = list(get(report, 'Results'))[i];
        if (!target || !isObject(result)) return;
        for (const key of Object.keys(KINDS)) {
          if (result[key] !== undefined && result[key] !== null && !Array.isArray(result[key])) out.skip(`${key} is not a list`, { pointer: `/Results/${i}/${key}` });
        }
        // Findings suppressed by .trivyignore or VEX, kept with --show-suppressed.
        list(result.ExperimentalModifiedFindings).forEach((m, j) => {
          const place = { pointer: `/Results/${i}/ExperimentalModifiedFindings/${j}` };
          const type = isObject(m) ? text(m.Type) : undefined;
          if (!isObject(m) || (type !== 'vulnerability' && type !== 'misconfiguration' && type !== 'secret')) {
            return out.skip('the suppressed finding has no known Type', place);
          }
          emit(target, type, m.Finding, text(m.Statement) ?? `suppressed (${text(m.Status) ?? 'ignored'})`, place);
        });
        const successes = get(result, 'MisconfSummary', 'Successes');
        if (typeof successes === 'number' && successes > target.listedPasses) passesOnlyCounted += successes - target.listedPasses;
        // A result with nothing found is a clean scan of its target: it resolves what an earlier scan found.
        if (target.observedAt) sink.snapshot?.({ format: 'trivy', tool: 'trivy', ...(target.snapshot ? { target: target.snapshot } : {}), scope: target.scope, observedAt: target.observedAt });
      },
    );
    const read = await streamDocument(source, sink, {
      isTarget: targets('Results/*/Vulnerabilities', 'Results/*/Misconfigurations', 'Results/*/Secrets'),
      // Trivy names the target first; a report that does not is read again once its whole is known.
      ready: (path, context) => text(get(list(get(context(), 'Results'))[path[1] as number], 'Target')) !== undefined,
      onElement: (item, path, report) => {
        const target = results.at(path[1] as number, report());
        if (!target) return;
        const kind = KINDS[path[2] as string]!;
        if (kind === 'misconfiguration' && isObject(item) && item.Status === 'PASS') target.listedPasses++;
        emit(target, kind, item, undefined, { pointer: pointerOf(path) });
      },
      schema: (report) => {
        if (!isObject(report)) return { pointer: '', message: 'a Trivy report is a JSON object with a "Results" array' };
        // Trivy leaves Results out when it found nothing.
        if (report.Results !== undefined && report.Results !== null && !Array.isArray(report.Results)) return { pointer: '/Results', message: 'Results must be an array of scan targets' };
        return undefined;
      },
    });
    if ('rejected' in read) return read.rejected;
    results.finish(list(get(read.data, 'Results')).length, read.data);
    return out.finish(
      passesOnlyCounted
        ? `Trivy counted ${passesOnlyCounted} passed checks without listing them; run it with --include-non-failures so that passes count as evidence`
        : undefined,
    );
  },
};

const IMAGE = 'container_image';
/** An absolute path (POSIX or Windows) or a URL. */
const ABSOLUTE = /^(?:\/|[a-z]:[\\/]|[a-z][a-z0-9+.-]*:\/\/)/i;

/**
 * What the report is a snapshot of: an image without its tag or digest (rebuilt, it is the same
 * image), a repository by its URL. A relative path (`.`, `./app`) names where Trivy ran, not what it
 * scanned: none then, and the evidence folder stands for it.
 */
function snapshotOf(report: unknown): string | undefined {
  const name = text(get(report, 'ArtifactName'));
  const type = text(get(report, 'ArtifactType'));
  if (name && type === IMAGE) return untaggedImage(name);
  const repository = text(get(report, 'Metadata', 'RepoURL'));
  if (repository) return withoutCredentials(repository);
  if (!name || ((type === 'filesystem' || type === 'repository') && !ABSOLUTE.test(name))) return undefined;
  return withoutCredentials(name);
}

/**
 * A result's target as it stays from one scan of the artifact to the next. The OS packages' result
 * is named after the artifact with its OS release, `registry/app:2026.11.18 (debian 12.5)`: the
 * image's tag changes with every build and the release with every base-image update, while a
 * package and its flaw stay; both go (`registry/app`). Other results name paths inside the artifact.
 */
function stableName(report: unknown, name: string): string {
  const artifact = text(get(report, 'ArtifactName'));
  if (!artifact || (name !== artifact && !name.startsWith(`${artifact} (`))) return name;
  return text(get(report, 'ArtifactType')) === IMAGE ? untaggedImage(artifact) : artifact;
}

/** The resource of a finding on `part` of a target (a package, a resource in a file), and its identity when the resource changes between scans. */
function keyed({ name, stableName }: Target, part: string | undefined): { resource: string; identity?: string } {
  const resource = part ? `${name}:${part}` : name;
  const identity = part ? `${stableName}:${part}` : stableName;
  return identity === resource ? { resource } : { resource, identity };
}

/** One finding; `suppressed` is why it was set aside (its status becomes skip), if it was. */
function emit(at: Target, kind: Kind, item: unknown, suppressed: string | undefined, place: Place): void {
  const { name: target, file, out, toolVersion, observedAt, snapshot, scope } = at;
  if (!isObject(item)) {
    out.skip(`the ${kind} is not a JSON object`, place);
    return;
  }
  const base = { format: 'trivy', file, place, tool: 'trivy', toolVersion, observedAt, category: kind, target: snapshot, scope };
  const skipped = suppressed !== undefined;
  if (kind === 'vulnerability') {
    const id = text(item.VulnerabilityID);
    if (!id) return out.skip('the vulnerability has no VulnerabilityID', place);
    const pkg = text(item.PkgName);
    const version = text(item.InstalledVersion);
    const fixed = text(item.FixedVersion);
    return out.record({
      ...base,
      check: id,
      title: text(item.Title),
      status: skipped ? 'skip' : 'fail',
      // The package without its version: upgraded and still flawed, it is the same finding.
      ...keyed(at, pkg),
      location: pkg ? `${pkg}${version ? `@${version}` : ''}` : undefined,
      severity: namedSeverity(item.Severity),
      message: skipped ? clip(suppressed) : fixed ? `fixed in ${fixed}` : text(item.Status) ? `vendor status: ${text(item.Status)}` : undefined,
      tags: classifiers([id, ...(Array.isArray(item.CweIDs) ? item.CweIDs : [])]),
    });
  }
  const cause = isObject(item.CauseMetadata) ? item.CauseMetadata : {};
  if (kind === 'misconfiguration') {
    const id = text(item.ID) ?? text(item.AVDID);
    if (!id) return out.skip('the misconfiguration has no ID', place);
    const status = skipped ? 'skip' : MISCONF_STATUS[text(item.Status)?.toUpperCase() ?? ''];
    if (!status) return out.skip(`the misconfiguration status "${String(item.Status)}" is not FAIL, PASS or EXCEPTION`, place);
    const resource = text(cause.Resource);
    return out.record({
      ...base,
      check: id,
      title: text(item.Title),
      status,
      // Several resources of one file can fail the same check: keep them apart.
      ...keyed(at, resource),
      location: lineIn(target, cause.StartLine),
      severity: namedSeverity(item.Severity),
      message: clip(suppressed ?? item.Message),
    });
  }
  const rule = text(item.RuleID);
  if (!rule) return out.skip('the secret has no RuleID', place);
  // Match and Code hold the secret itself: only the rule, file and line are kept.
  return out.record({
    ...base,
    check: rule,
    title: text(item.Title),
    status: skipped ? 'skip' : 'fail',
    ...keyed(at, undefined),
    location: lineIn(target, item.StartLine),
    severity: namedSeverity(item.Severity),
    message: text(item.Title),
  });
}

const lineIn = (target: string, line: unknown): string => (typeof line === 'number' && line > 0 ? `${target}:${line}` : target);
