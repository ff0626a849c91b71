import type { CheckCategory, CheckStatus, FindingSeverity } from '../../model/types.js';
import type { JsonPath } from '../json-stream.js';
import type { Parser } from '../parser.js';
import {
  advisoryIn,
  classifiers,
  clip,
  cvssSeverity,
  get,
  InOrder,
  instant,
  isObject,
  list,
  mentioned,
  namedSeverity,
  pointerOf,
  RecordEmitter,
  scopeOf,
  startsJson,
  streamDocument,
  targets,
  text,
  untaggedImage,
  withoutCredentials,
  type JsonObject,
} from './common.js';

/**
 * SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format), as written by CodeQL, Semgrep,
 * Trivy, Checkov, tfsec, KICS, Gitleaks and many others: one record per result.
 *
 * Results are streamed, each read with what its run says before it: the tool, its rules and the
 * artifacts, and the invocations that date the run. A run whose tool follows its results (Semgrep) is
 * read in a second pass with the whole log; results written before the invocations of a run whose tool
 * precedes them are undated, since the run's time is not known yet when they are read. What a run says
 * of its snapshot (below) is awaited too: a result read without its run's category would be in too
 * wide a scope, and close findings of another category.
 */

const LEVEL_SEVERITY: Record<string, FindingSeverity> = { error: 'high', warning: 'medium', note: 'low', none: 'info' };

const KIND_STATUS: Record<string, CheckStatus> = {
  fail: 'fail',
  pass: 'pass',
  open: 'manual',
  review: 'manual',
  notApplicable: 'skip',
  informational: 'skip',
};

// Drivers that scan dependencies, infrastructure code or secrets, whose findings are not code weaknesses.
const DEPENDENCY_DRIVER = /trivy|grype|osv-scanner|dependency-check/i;
const IAC_DRIVER = /checkov|tfsec|kics|terrascan|trivy|defsec|cfn[-_ ]?(?:lint|nag|guard)|kube-?(?:score|linter|sec)|hadolint|snyk iac|tflint/i;
const SECRET_DRIVER = /gitleaks|trufflehog|detect-secrets|ggshield|secretlint|\bsecret/i;
// Rule ids of IaC checks: Checkov CKV_*/CKV2_*, Trivy/tfsec AVD-* and AWS-0089 forms, KICS is UUID-named (caught by driver).
const IAC_RULE = /^(?:CKV2?_|AVD-|(?:AWS|AZU|GCP|GIT|DS|KSV|KCV)-?\d{3,4}$)/i;

export const sarifParser: Parser = {
  name: 'sarif',
  label: 'SARIF 2.1.0 (CodeQL, Semgrep, Trivy, Checkov…)',
  detect(source) {
    if (!startsJson(source)) return 0;
    if (/"\$schema"\s*:\s*"[^"]*sarif[^"]*"/i.test(source.head)) return 1;
    return /"version"\s*:\s*"2\.1\.0"/.test(source.head) && /"runs"\s*:/.test(source.head) ? 0.9 : 0;
  },
  async parse(source, sink) {
    const file = source.file.path;
    const out = new RecordEmitter(sink, file);
    // What the file's runs say of their snapshot, each run's results wait for (if the run says it after them, in a second pass).
    const said = await mentioned(source, RUN_SNAPSHOT.map(([needle]) => needle));
    const awaited = RUN_SNAPSHOT.filter(([needle]) => said.has(needle)).map(([, keys]) => keys);
    const runs = new InOrder<Run>(
      (i, log) => openRun(runIn(log, i), i, file, out),
      (i, run, log) => {
        if (!run) return;
        const invocation = list(get(runIn(log, i), 'invocations'))[0];
        // A run whose invocations follow its results: its failure is only known now.
        if (!run.invocationRead) reportFailure(run, invocation, out);
        // A completed run is a scan of its target, with or without results: it resolves what an earlier one reported.
        const observedAt = run.observedAt ?? timeOf(invocation);
        if (observedAt && get(invocation, 'executionSuccessful') !== false) {
          sink.snapshot?.({ format: 'sarif', ...(run.tool ? { tool: run.tool } : {}), ...(run.target ? { target: run.target } : {}), scope: run.scope, observedAt });
        }
      },
    );
    const read = await streamDocument(source, sink, {
      isTarget: isResults,
      // A producer that writes the tool (and its rules) after the results (Semgrep) is read in two passes.
      ready: (path, context) => {
        const run = runIn(context(), path[1] as number);
        return isObject(get(run, 'tool', 'driver')) && awaited.every((keys) => get(run, ...keys) !== undefined);
      },
      onElement: (result, path, log) => {
        const run = runs.at(path[1] as number, log());
        if (run) readResult(result, run, path, out);
      },
      schema: schemaProblem,
    });
    if ('rejected' in read) return read.rejected;
    runs.finish(list(get(read.data, 'runs')).length, read.data);
    return out.finish();
  },
};

const isResults = targets('runs/*/results');

/**
 * Where a run says what it is a snapshot of (see runTarget, runCategory), as the file spells the key,
 * and its path in the run. Producers write them after the results too: CodeQL its automationDetails,
 * Trivy its image's name, producers that sort keys their versionControlProvenance.
 */
const RUN_SNAPSHOT: [needle: string, keys: string[]][] = [
  ['"automationDetails"', ['automationDetails']],
  ['"versionControlProvenance"', ['versionControlProvenance']],
  ['"imageName"', ['properties', 'imageName']],
];

const runIn = (log: unknown, i: number) => list(get(log, 'runs'))[i];

/** Checked on the whole log (results empty) before a second pass. */
function schemaProblem(log: unknown): { pointer: string; message: string } | undefined {
  if (!isObject(log)) return { pointer: '', message: 'a SARIF log is a JSON object with a "runs" array' };
  if (!Array.isArray(log.runs)) return { pointer: '/runs', message: 'a SARIF log needs "runs", an array of tool runs' };
  for (const [i, run] of log.runs.entries()) {
    if (!isObject(run) || !isObject(get(run, 'tool', 'driver'))) return { pointer: `/runs/${i}/tool/driver`, message: 'each run must describe its tool in tool.driver' };
    if (run.results !== undefined && run.results !== null && !Array.isArray(run.results)) return { pointer: `/runs/${i}/results`, message: 'results must be an array' };
  }
  return undefined;
}

/** What the results of one run share: its tool, time and rules. */
interface Run {
  run: JsonObject;
  index: number;
  file: string;
  tool: string | undefined;
  toolVersion: string | undefined;
  observedAt: string | undefined;
  /** The run's invocations were read when it was opened (they usually precede its results). */
  invocationRead: boolean;
  rules: RuleIndex;
  /** What the run is a snapshot of, and what it covered of it. */
  target: string | undefined;
  scope: string;
}

/** A run, from what the file holds before its first result (or from the whole log). */
function openRun(run: unknown, index: number, file: string, out: RecordEmitter): Run | undefined {
  const driver = get(run, 'tool', 'driver');
  if (!isObject(run) || !isObject(driver)) return undefined;
  const invocation = list(run.invocations)[0];
  const opened: Run = {
    run,
    index,
    file,
    tool: text(driver.name),
    toolVersion: text(driver.semanticVersion) ?? text(driver.version),
    observedAt: timeOf(invocation),
    invocationRead: run.invocations !== undefined,
    rules: new RuleIndex(run),
    target: runTarget(run),
    // Another tool, or another analysis of the same tool (another language, another part of a
    // monorepo), covers other things: its runs never close this run's results.
    scope: scopeOf('sarif', text(driver.name), runCategory(run)),
  };
  reportFailure(opened, invocation, out);
  return opened;
}

/**
 * What a run scanned: the repository its version control provenance names (on its branch: another
 * branch is another snapshot), or the image Trivy names in the run's properties, without its tag.
 * Not its automation category: every repository's CodeQL run for Python is `/language:python`; the
 * category is the run's scope. None otherwise, and the evidence folder stands for the target.
 */
function runTarget(run: JsonObject): string | undefined {
  const provenance = list(run.versionControlProvenance)[0];
  const repository = text(get(provenance, 'repositoryUri'));
  if (repository) {
    const branch = text(get(provenance, 'branch'));
    return `${withoutCredentials(repository)}${branch ? ` (branch ${branch})` : ''}`;
  }
  const image = text(get(run, 'properties', 'imageName'));
  return image ? untaggedImage(image) : undefined;
}

/**
 * The category of a run's automation id (SARIF §3.17.4, read as GitHub reads it): what precedes its
 * last `/` (`my-analysis/tool1/2026-11-18` and `my-analysis/tool1/` → `my-analysis/tool1`). An id
 * without `/` names only the run, which differs every time: no category.
 */
function runCategory(run: JsonObject): string | undefined {
  const id = text(get(run, 'automationDetails', 'id'));
  const slash = id?.lastIndexOf('/') ?? -1;
  return slash > 0 ? id!.slice(0, slash) : undefined;
}

const timeOf = (invocation: unknown) => instant(get(invocation, 'endTimeUtc')) ?? instant(get(invocation, 'startTimeUtc'));

/** A run that did not complete has no trustworthy results list: say so as an error record. */
function reportFailure(run: Run, invocation: unknown, out: RecordEmitter): void {
  if (get(invocation, 'executionSuccessful') !== false) return;
  const reason = list(get(invocation, 'toolExecutionNotifications')).find((n) => get(n, 'level') === 'error');
  out.record({
    format: 'sarif',
    file: run.file,
    place: { pointer: `/runs/${run.index}/invocations/0` },
    check: `${run.tool ?? 'sarif'}:run-failed`,
    status: 'error',
    observedAt: timeOf(invocation),
    resource: run.tool,
    message: clip(get(reason, 'message', 'text')) ?? 'the tool reports that its run did not complete',
    tool: run.tool,
    toolVersion: run.toolVersion,
    target: run.target,
    scope: run.scope,
  });
}

function readResult(result: unknown, { run, file, tool, toolVersion, observedAt, rules, target, scope }: Run, path: JsonPath, out: RecordEmitter): void {
  const place = { pointer: pointerOf(path) };
  if (!isObject(result)) return out.skip('the result is not a JSON object', place);
  const rule = rules.of(result);
  const check = text(result.ruleId) ?? text(get(result, 'rule', 'id')) ?? text(rule?.id);
  if (!check) return out.skip('the result names no rule (ruleId)', place);
  const status = statusOf(result);
  if (!status) return out.skip(`the result kind "${String(result.kind)}" is not a SARIF kind`, place);
  const ruleTags = list(get(rule, 'properties', 'tags'));
  const category = categoryOf(check, tool ?? '', ruleTags);
  const title = text(get(rule, 'shortDescription', 'text')) ?? (text(rule?.name) !== check ? text(rule?.name) : undefined);
  const where = locationOf(result, run, category);
  const advisory = advisoryIn(check);
  out.record({
    format: 'sarif',
    file,
    place,
    check,
    title,
    status,
    observedAt,
    resource: where.resource,
    location: where.location,
    target,
    scope,
    identity: identityOf(result, where.resource),
    severity: severityOf(result, rule),
    // A secret scanner's message may quote the secret (Trivy puts the match there): keep the title only.
    message: category === 'secret' ? title : clip(messageOf(result, rule)),
    tool,
    toolVersion,
    category,
    tags: classifiers([...(advisory ? [advisory] : []), ...ruleTags, ...list(get(result, 'properties', 'tags')), ...cweRelationships(rule)]),
  });
}

/** Rules of the driver and its extensions, found by index (as the spec prefers) or by id. */
class RuleIndex {
  private byId: Map<string, JsonObject> | undefined;
  constructor(private readonly run: JsonObject) {}

  private component(index: unknown): JsonObject | undefined {
    const tool = get(this.run, 'tool');
    if (typeof index === 'number') {
      const extension = list(get(tool, 'extensions'))[index];
      return isObject(extension) ? extension : undefined;
    }
    return get(tool, 'driver') as JsonObject;
  }

  of(result: JsonObject): JsonObject | undefined {
    const index = get(result, 'rule', 'index') ?? result.ruleIndex;
    const component = this.component(get(result, 'rule', 'toolComponent', 'index'));
    if (typeof index === 'number' && index >= 0) {
      const rule = list(component?.rules)[index];
      if (isObject(rule)) return rule;
    }
    const id = text(result.ruleId) ?? text(get(result, 'rule', 'id'));
    if (!id) return undefined;
    this.byId ??= this.build();
    // Hierarchical ids ("CA2000/dispose") fall back to their base rule.
    return this.byId.get(id) ?? this.byId.get(id.split('/')[0]!);
  }

  private build(): Map<string, JsonObject> {
    const map = new Map<string, JsonObject>();
    const tool = get(this.run, 'tool');
    for (const component of [get(tool, 'driver'), ...list(get(tool, 'extensions'))]) {
      for (const rule of list(get(component, 'rules'))) {
        const id = text(get(rule, 'id'));
        if (id && isObject(rule) && !map.has(id)) map.set(id, rule);
      }
    }
    return map;
  }
}

function statusOf(result: JsonObject): CheckStatus | undefined {
  const suppressions = list(result.suppressions);
  // A suppression counts unless it was rejected or is still under review (SARIF §3.35).
  if (suppressions.some((s) => isObject(s) && (s.status === undefined || s.status === 'accepted'))) return 'skip';
  // "absent": found in the baseline but no longer in this run, i.e. fixed.
  if (result.baselineState === 'absent') return 'pass';
  const kind = result.kind === undefined ? 'fail' : text(result.kind);
  return kind ? KIND_STATUS[kind] : undefined;
}

function severityOf(result: JsonObject, rule: JsonObject | undefined): FindingSeverity | undefined {
  // GitHub's security-severity: a CVSS-like score (CodeQL, Trivy) or a name (Semgrep writes "HIGH").
  const security = get(rule, 'properties', 'security-severity') ?? get(result, 'properties', 'security-severity');
  const score = typeof security === 'number' ? security : typeof security === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(security) ? Number(security) : undefined;
  const fromSecurity = score !== undefined ? cvssSeverity(score) : namedSeverity(security);
  if (fromSecurity) return fromSecurity;
  // SARIF §3.27.10: an absent level comes from the rule's default, else "warning" for failures.
  const kind = result.kind ?? 'fail';
  const level = text(result.level) ?? text(get(rule, 'defaultConfiguration', 'level')) ?? (kind === 'fail' ? 'warning' : 'none');
  return LEVEL_SEVERITY[level];
}

function categoryOf(ruleId: string, driver: string, ruleTags: unknown[]): CheckCategory {
  if (advisoryIn(ruleId)) return 'vulnerability';
  // Trivy tags each rule with the scanner that produced it (vulnerability, misconfiguration, secret, license).
  const tags = new Set(ruleTags.map((t) => text(t)?.toLowerCase()));
  if (tags.has('vulnerability') && DEPENDENCY_DRIVER.test(driver)) return 'vulnerability';
  if (tags.has('secret') || SECRET_DRIVER.test(driver)) return 'secret';
  if (tags.has('license')) return 'compliance';
  if (tags.has('misconfiguration') || IAC_DRIVER.test(driver) || IAC_RULE.test(ruleId)) return 'misconfiguration';
  return 'code';
}

/** The message text, with a rule message template (message.id) and {n} arguments filled in. */
function messageOf(result: JsonObject, rule: JsonObject | undefined): string | undefined {
  const message = result.message;
  const id = text(get(message, 'id'));
  const template = text(get(message, 'text')) ?? (id ? text(get(rule, 'messageStrings', id, 'text')) : undefined) ?? text(get(message, 'markdown'));
  if (!template) return undefined;
  const args = list(get(message, 'arguments'));
  return args.length ? template.replace(/\{(\d+)\}/g, (all, n: string) => (args[Number(n)] === undefined ? all : String(args[Number(n)]))) : template;
}

function locationOf(result: JsonObject, run: JsonObject, category: CheckCategory): { resource?: string; location?: string } {
  const first = list(result.locations)[0];
  const artifact = get(first, 'physicalLocation', 'artifactLocation');
  const artifactIndex = get(artifact, 'index');
  const uri = text(get(artifact, 'uri')) ?? (typeof artifactIndex === 'number' ? text(get(list(run.artifacts)[artifactIndex], 'location', 'uri')) : undefined);
  const logical = list(get(first, 'logicalLocations'))[0];
  if (!uri) {
    const name = text(get(logical, 'fullyQualifiedName')) ?? text(get(logical, 'name'));
    return name ? { resource: name } : {};
  }
  // Trivy reports every package of an image on the image itself and names the package only in the
  // location message ("image: pkg@version"): keep the package in the resource so that two packages
  // with the same CVE stay two findings.
  const note = text(get(first, 'message', 'text'));
  if (category === 'vulnerability' && note?.startsWith(`${uri}: `)) {
    const pkg = note.slice(uri.length + 2);
    const at = pkg.lastIndexOf('@');
    if (at > 0) return { resource: `${uri}:${pkg.slice(0, at)}`, location: pkg };
  }
  const line = get(first, 'physicalLocation', 'region', 'startLine');
  return { resource: uri, location: typeof line === 'number' && line > 0 ? `${uri}:${line}` : uri };
}

/**
 * The entry of a fingerprint map first by key, as `key=value`. A fingerprint is an opaque token: a
 * value with spaces is a stand-in, the same for every result (logged-out Semgrep 1.100+ writes
 * "requires login"), and is passed over.
 */
function firstFingerprint(map: unknown): string | undefined {
  if (!isObject(map)) return undefined;
  for (const key of Object.keys(map).sort()) {
    const value = text(map[key]);
    if (value && !/\s/.test(value)) return `${key}=${value}`;
  }
  return undefined;
}

/**
 * What identifies a result from one run to the next when its line moves: the tool's fingerprint
 * (SARIF §3.27.16: stable across runs, unique to the result), else its partial fingerprint (§3.27.17:
 * a part of the identity; CodeQL's line hash is the hash of the line's text, the same in every file
 * that has that line) with the file. Without either, the resource: the file, without the line.
 */
function identityOf(result: JsonObject, resource: string | undefined): string | undefined {
  const full = firstFingerprint(result.fingerprints);
  if (full) return full;
  const partial = firstFingerprint(result.partialFingerprints);
  return partial && resource ? `${resource} ${partial}` : partial;
}

/** CWE ids a rule links through SARIF relationships to a CWE taxonomy. */
function cweRelationships(rule: JsonObject | undefined): string[] {
  return list(rule?.relationships).flatMap((r) => {
    const target = get(r, 'target');
    const id = text(get(target, 'id'));
    return id && /cwe/i.test(text(get(target, 'toolComponent', 'name')) ?? '') ? [`CWE-${id.replace(/^CWE-?/i, '')}`] : [];
  });
}
