import type { CheckCategory, CheckStatus, FindingSeverity, Place } from '../../model/types.js';
import { jsonErrorMessage } from '../json-position.js';
import type { Parser } from '../parser.js';
import { cloudTarget, instant, isObject, list, namedSeverity, objects, pointerOf, recorded, RecordEmitter, scopeOf, startsJson, streamDocument, targets, text, textList, type RecordFields } from './common.js';
import { complianceControls, complianceFromRequirement, complianceTags, explained, resourceOf, type ComplianceEntry } from './prowler-common.js';

const FORMAT = 'asff';

type Finding = Record<string, unknown>;
const SCHEMA_VERSION = /"SchemaVersion"\s*:\s*"2018-10-08"/;
const FINDING_FIELDS = /"(?:GeneratorId|ProductArn|AwsAccountId)"\s*:/;
/** A Security Hub GetFindings export, recognisable even when it holds no findings. */
const FINDINGS_CONTAINER = /^\uFEFF?\s*\{\s*"Findings"\s*:\s*\[/;


const complianceStatuses: Record<string, CheckStatus> = {
  PASSED: 'pass',
  FAILED: 'fail',
  WARNING: 'manual',
  // Prowler's ASFF says INFOED for its manual and informational checks.
  INFOED: 'manual',
  NOT_AVAILABLE: 'skip',
  // Prowler writes its status + "ED": Prowler 3's allowlisted findings are WARNINGED, Prowler 4's MUTED.
  WARNINGED: 'skip',
  MUTED: 'skip',
};

/** Label first; else the normalized 0–100 score, banded as Security Hub does. */
function severityOfFinding(finding: Finding): FindingSeverity | undefined {
  const severity = finding.Severity;
  const provider = isObject(finding.FindingProviderFields) ? finding.FindingProviderFields.Severity : undefined;
  const label = namedSeverity(isObject(severity) ? severity.Label : undefined) ?? namedSeverity(isObject(provider) ? provider.Label : undefined);
  if (label) return label;
  const normalized = isObject(severity) ? severity.Normalized : undefined;
  if (typeof normalized !== 'number') return undefined;
  if (normalized >= 90) return 'critical';
  if (normalized >= 70) return 'high';
  if (normalized >= 40) return 'medium';
  return normalized >= 1 ? 'low' : 'info';
}

/** The strings of a list (a lone string where ASFF wants a list is not read as one). */
const strings = (value: unknown): string[] => textList(list(value));

const productSlug = (finding: Finding) => /product\/[^/]+\/([^/]+)$/.exec(text(finding.ProductArn) ?? '')?.[1];
const knownProducts: Record<string, string> = { securityhub: 'Security Hub', guardduty: 'GuardDuty', inspector: 'Inspector', macie: 'Macie' };

/** Status, why a finding the producer reported does not count as it stands, and whether it was closed. */
function statusOf(finding: Finding, compliance: Record<string, unknown> | undefined): { status: CheckStatus; why?: string; closed?: string } | string {
  const reported = text(compliance?.Status)?.toUpperCase();
  let status: CheckStatus = 'fail';
  let why: string | undefined;
  if (reported) {
    const mapped = complianceStatuses[reported];
    if (!mapped) return `unknown Compliance.Status ${JSON.stringify(compliance?.Status)}`;
    status = mapped;
    if (reported === 'NOT_AVAILABLE') why = 'the control could not be evaluated (NOT_AVAILABLE)';
    if (reported === 'WARNINGED') why = 'allowlisted in Prowler (WARNINGED)';
    if (reported === 'MUTED') why = 'muted by the producer';
  }
  // Findings without a Compliance block (GuardDuty, Inspector…) are reports of a problem: fail.
  const workflowStatus = text(isObject(finding.Workflow) ? finding.Workflow.Status : undefined);
  const workflow = workflowStatus ?? text(finding.WorkflowState);
  if (text(finding.RecordState)?.toUpperCase() === 'ARCHIVED') return { status: 'skip', why: 'archived (RecordState ARCHIVED): no longer current', closed: 'archived (RecordState ARCHIVED)' };
  if (workflow?.toUpperCase() === 'SUPPRESSED') return { status: 'skip', why: 'suppressed (Workflow.Status SUPPRESSED)' };
  if (workflow?.toUpperCase() === 'RESOLVED') {
    const closed = `resolved (${workflowStatus ? 'Workflow.Status' : 'WorkflowState'} RESOLVED)`;
    // Security Hub resolves the finding of a control that passes by itself: that pass still counts.
    // Any other resolved finding was closed by someone, and no longer counts as failing.
    return status === 'pass' ? { status, closed } : { status: 'skip', why: closed, closed };
  }
  return why ? { status, why } : { status };
}

function categoryOf(finding: Finding, compliance: unknown, types: string[]): CheckCategory {
  if (list(finding.Vulnerabilities).length || types.some((t) => /\/Vulnerabilities(?:\/|$)/.test(t))) return 'vulnerability';
  if (compliance) return 'compliance';
  if (types.some((t) => /^(?:TTPs|Effects|Unusual Behaviors|Sensitive Data Identifications)\//.test(t))) return 'detection';
  return types.some((t) => t.startsWith('Software and Configuration Checks')) ? 'misconfiguration' : 'compliance';
}

/** `arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0` → `cis-aws-foundations-benchmark/v/1.2.0`. */
const standardId = (arn: string) => arn.replace(/^arn:[^:]+:securityhub:[^:]*:[^:]*:/, '').replace(/^(?:ruleset|standards)\//, '');

function toRecord(finding: Finding, file: string, place: Place): RecordFields | string {
  const fields = isObject(finding.ProductFields) ? finding.ProductFields : {};
  const compliance = isObject(finding.Compliance) ? finding.Compliance : undefined;
  const status = statusOf(finding, compliance);
  if (typeof status === 'string') return status;
  const generator = text(finding.GeneratorId);
  const prowlerCheck = /^prowler-(.+)$/.exec(generator ?? '')?.[1];
  const prowler = prowlerCheck !== undefined || text(fields.ProviderName)?.toLowerCase() === 'prowler' || productSlug(finding) === 'prowler';
  const types = strings(finding.Types);
  const vulnerabilities = objects(finding.Vulnerabilities);
  const cves = strings(vulnerabilities.map((v) => v.Id));
  const guardDuty = productSlug(finding) === 'guardduty' ? types[0]?.split('/').pop() : undefined;
  // One finding = one (check, resource): Prowler's generator is its check, Inspector's and GuardDuty's
  // generators are shared by all their findings, so the CVE or the GuardDuty finding type says which.
  const check = prowlerCheck ? `prowler:${prowlerCheck}` : (cves[0] ?? (guardDuty ? `guardduty:${guardDuty}` : (generator ?? text(finding.Id))));
  if (!check) return 'the finding has no GeneratorId';

  // Prowler's items read `FRAMEWORK id id…`, each framework named among AssociatedStandards; other
  // producers' items are kept whole as tags, and read the same way only to find ISO 27001 / SOC 2 ids.
  const standards = strings(list(compliance?.AssociatedStandards).map((s) => (isObject(s) ? s.StandardsId : undefined)));
  const entries: ComplianceEntry[] = [];
  const verbatim: string[] = [];
  for (const item of strings(compliance?.RelatedRequirements)) {
    const entry = complianceFromRequirement(item, prowler);
    const prowlerItem = prowler && entry !== undefined && standards.includes(entry.framework);
    if (entry && (prowlerItem || !prowler)) entries.push(entry);
    if (!prowlerItem) verbatim.push(item);
  }
  // Security Hub standards: the standard, and the control in it (ControlId, or RuleId for CIS 1.2.0).
  const standardArn = text(fields.StandardsArn) ?? text(fields.StandardsGuideArn);
  const standard = standardArn ? standardId(standardArn) : undefined;
  const control = text(fields.ControlId) ?? text(fields.RuleId);
  const tags = [
    ...cves,
    ...(standard ? [standard] : []),
    ...(standard && control ? [`${standard} ${control}`] : []),
    ...standards.map(standardId),
    ...strings([compliance?.SecurityControlId]),
    ...(prowler ? complianceTags(entries) : []),
    ...verbatim,
  ];
  const resource = list(finding.Resources).find(isObject);
  const pkg = list(vulnerabilities[0]?.VulnerablePackages).find(isObject);
  const pkgVersion = [text(pkg?.Version), text(pkg?.Release)].filter(Boolean).join('-');
  const reason = list(compliance?.StatusReasons).find(isObject);
  const versionKey = Object.keys(fields).find((k) => k === 'ProviderVersion' || k.endsWith('/ProductVersion'));
  const product = productSlug(finding);
  const tool = prowler ? 'prowler' : (text(finding.ProductName) ?? text(fields['aws/securityhub/ProductName']) ?? (product ? (knownProducts[product] ?? product) : undefined));
  return {
    format: FORMAT,
    file,
    place,
    check,
    title: text(finding.Title),
    status: status.status,
    observedAt: instant(finding.UpdatedAt) ?? instant(finding.LastObservedAt) ?? instant(finding.CreatedAt),
    resource: resourceOf(resource?.Id, resource?.Region ?? finding.Region),
    // The Region the finding was made in, where the export has it (Security Hub leaves it out of some).
    target: cloudTarget('aws', finding.AwsAccountId, text(finding.Region) ?? resource?.Region),
    // Each product in a Security Hub export reports what it covers: one product's export never closes another's findings.
    scope: scopeOf(FORMAT, tool),
    severity: severityOfFinding(finding),
    message: explained(status.why, text(reason?.Description) ?? text(finding.Description)),
    tool,
    toolVersion: versionKey ? recorded(fields[versionKey]) : undefined,
    category: categoryOf(finding, compliance, types),
    tags: [...new Set(tags)],
    location: text(pkg?.Name) && (pkgVersion ? `${text(pkg?.Name)}@${pkgVersion}` : text(pkg?.Name)),
    controls: complianceControls(entries, 'ASFF Compliance.RelatedRequirements'),
    closed: status.closed,
  };
}

/** JSON Lines (Prowler 2 wrote one finding per line): the first line alone is a whole JSON object. */
function isJsonLines(head: string): boolean {
  const [first, second] = head
    .replace(/^\uFEFF/, '')
    .split('\n')
    .filter((l) => l.trim());
  if (!first || !second?.trim().startsWith('{')) return false;
  try {
    return isObject(JSON.parse(first));
  } catch {
    return false;
  }
}

export const asffParser: Parser = {
  name: FORMAT,
  label: 'AWS Security Finding Format (Security Hub, GuardDuty, Inspector, Prowler)',
  detect(source) {
    if (!startsJson(source, true)) return 0;
    if (SCHEMA_VERSION.test(source.head) && FINDING_FIELDS.test(source.head)) return 1;
    return FINDINGS_CONTAINER.test(source.head) ? 0.8 : 0;
  },
  async parse(source, sink) {
    const file = source.file.path;
    const out = new RecordEmitter(sink, file);
    const emit = (finding: unknown, place: Place) => out.push(isObject(finding) ? toRecord(finding, file, place) : 'the finding is not a JSON object', place);

    if (isJsonLines(source.head)) {
      for await (const { line, text: content } of source.lines()) {
        if (!content.trim()) continue;
        let value: unknown;
        try {
          value = JSON.parse(content);
        } catch (error) {
          out.skip(`invalid JSON line: ${jsonErrorMessage(error)}`, { line });
          continue;
        }
        const findings = isObject(value) && Array.isArray(value.Findings) ? value.Findings : [value];
        for (const finding of findings) emit(finding, { line });
      }
      return out.finish();
    }

    // An array of findings, a Security Hub export ({"Findings": [...]}) or a single finding.
    const read = await streamDocument(source, sink, {
      isTarget: targets('', 'Findings'),
      onElement: (finding, path) => emit(finding, { pointer: pointerOf(path) }),
      schema: (data) => {
        if (Array.isArray(data) || (isObject(data) && !('Findings' in data) && data.SchemaVersion !== undefined)) return undefined;
        if (isObject(data) && 'Findings' in data) return Array.isArray(data.Findings) ? undefined : { pointer: '/Findings', message: '"Findings" must be an array of ASFF findings' };
        return { pointer: '', message: 'expected ASFF findings: an array, or an object with a "Findings" array' };
      },
    });
    if ('rejected' in read) return read.rejected;
    if (isObject(read.data) && !('Findings' in read.data)) emit(read.data, { pointer: '' });
    return out.finish();
  },
};
