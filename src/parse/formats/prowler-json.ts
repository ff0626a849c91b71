import type { Place } from '../../model/types.js';
import type { Parser } from '../parser.js';
import { cloudTarget, instant, namedSeverity, startsJson, text, type JsonObject, type RecordFields } from './common.js';
import { complianceControls, complianceFromObject, complianceTags, explained, prowlerStatus, readFindingArray, resourceOf } from './prowler-common.js';

const FORMAT = 'prowler-json';

/** Prowler 3.x `-M json`: an array of flat findings keyed in PascalCase. */
const SIGNATURE = /"CheckID"\s*:/;
const PROWLER_FIELDS = /"(?:AssessmentStartTime|FindingUniqueId|StatusExtended|ServiceName)"\s*:/;

export const prowlerJsonParser: Parser = {
  name: FORMAT,
  label: 'Prowler JSON (v3)',
  detect(source) {
    if (!startsJson(source, true)) return 0;
    return SIGNATURE.test(source.head) && PROWLER_FIELDS.test(source.head) ? 0.95 : 0;
  },
  parse(source, sink) {
    return readFindingArray(source, sink, 'Prowler findings', (finding, place) => toRecord(finding, source.file.path, place));
  },
};

function toRecord(finding: JsonObject, file: string, place: Place): RecordFields | string {
  const check = text(finding.CheckID);
  if (!check) return 'the finding has no CheckID';
  const status = prowlerStatus(finding.Status);
  if (!status) return `unknown Status ${JSON.stringify(finding.Status ?? null)}`;
  const compliance = complianceFromObject(finding.Compliance);
  return {
    format: FORMAT,
    file,
    place,
    check: `prowler:${check}`,
    title: text(finding.CheckTitle),
    status: status.status,
    observedAt: instant(finding.AssessmentStartTime),
    // AWS findings name an ARN; Azure, GCP and Kubernetes ones only a ResourceId (GCP's has a Location).
    resource: resourceOf(text(finding.ResourceArn) ?? text(finding.ResourceId) ?? text(finding.ResourceName), text(finding.Region) ?? finding.Location),
    // AWS findings name the account, Azure ones the subscription, GCP ones the project.
    target: cloudTarget(finding.Provider, text(finding.AccountId) ?? text(finding.Subscription) ?? finding.ProjectId, text(finding.Region) ?? finding.Location),
    scope: FORMAT,
    severity: namedSeverity(finding.Severity),
    message: explained(status.note, text(finding.StatusExtended)),
    tool: 'prowler',
    category: 'compliance',
    tags: complianceTags(compliance),
    controls: complianceControls(compliance, 'Prowler compliance'),
  };
}
