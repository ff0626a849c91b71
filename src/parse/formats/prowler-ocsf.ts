import type { CheckStatus, Place } from '../../model/types.js';
import type { Parser } from '../parser.js';
import { cloudTarget, get, instant, namedSeverity, recorded, startsJson, text, type RecordFields } from './common.js';
import {
  complianceControls,
  complianceFromItem,
  complianceFromObject,
  complianceTags,
  explained,
  mutedNote,
  prowlerStatus,
  readFindingArray,
  resourceOf,
  type ComplianceEntry,
} from './prowler-common.js';

const FORMAT = 'prowler-ocsf';

/** Prowler 3.x wrote OCSF 1.0.0-rc.3 Security Findings (class 2001), Prowler 4+ Detection Findings (2004). */
const OCSF_CLASS = /"class_uid"\s*:\s*200[14]\b/;
const PROWLER_PRODUCT = /"(?:name|vendor_name)"\s*:\s*"Prowler/;

type Finding = Record<string, unknown>;

/** The Prowler check id: `metadata.event_code` (4+), `metadata.product.feature.uid` (3.x), or out of the finding uid. */
function checkIdOf(finding: Finding): string | undefined {
  const metadata = finding.metadata;
  const fromUid = /^prowler-[a-z0-9]+-([a-z0-9_]+)-/.exec(text(get(finding.finding_info ?? finding.finding, 'uid')) ?? '');
  return text(get(metadata, 'event_code')) ?? text(get(metadata, 'product', 'feature', 'uid')) ?? fromUid?.[1];
}

/**
 * Status: `status_code` PASS/FAIL/MANUAL (4+); a finding muted by the Prowler mutelist keeps its
 * status_code and says `status: "Suppressed"`. Prowler 3.x only had `status`: Success (PASS), Failure
 * (FAIL), Other (MUTED) or Unknown (anything else: its manual and informational checks).
 */
function statusOf(finding: Finding): { status: CheckStatus; note?: string } | undefined {
  const code = text(finding.status_code);
  const event = text(finding.status)?.toLowerCase();
  if (code) {
    const reported = prowlerStatus(code);
    return reported && reported.status !== 'skip' && event === 'suppressed' ? { status: 'skip', note: mutedNote(code) } : reported;
  }
  if (event === 'success') return { status: 'pass' };
  if (event === 'failure') return { status: 'fail' };
  if (event === 'other') return { status: 'skip', note: 'muted in Prowler' };
  if (event === 'unknown') return { status: 'manual' };
  return undefined;
}

/**
 * The account and region scanned. Prowler 4+ writes them in `cloud` (Kubernetes findings have no
 * `cloud`: the cluster is in `unmapped.provider_uid` and the namespace on the resource, which Prowler's
 * CSV writes as the region "namespace: …"); Prowler 3 wrote a GCP project as `cloud.project_uid`.
 */
function targetOf(finding: Finding, resource: unknown): string | undefined {
  const cloud = finding.cloud;
  const namespace = text(get(resource, 'namespace'));
  return cloudTarget(
    get(cloud, 'provider') ?? get(finding.unmapped, 'provider'),
    text(get(cloud, 'account', 'uid')) ?? text(get(cloud, 'project_uid')) ?? get(finding.unmapped, 'provider_uid'),
    text(get(cloud, 'region')) ?? (namespace ? `namespace: ${namespace}` : get(resource, 'region')),
  );
}

function complianceOf(finding: Finding): ComplianceEntry[] {
  const unmapped = complianceFromObject(get(finding.unmapped, 'compliance'));
  const requirements = get(finding.compliance, 'requirements');
  const listed = Array.isArray(requirements) ? requirements.map((r) => (typeof r === 'string' ? complianceFromItem(r) : undefined)) : [];
  return [...unmapped, ...listed.filter((e): e is ComplianceEntry => e !== undefined)];
}

export const prowlerOcsfParser: Parser = {
  name: FORMAT,
  label: 'Prowler JSON-OCSF',
  detect(source) {
    if (!startsJson(source, true)) return 0;
    return OCSF_CLASS.test(source.head) && PROWLER_PRODUCT.test(source.head) ? 0.95 : 0;
  },
  parse(source, sink) {
    return readFindingArray(source, sink, 'OCSF findings', (finding, place) => toRecord(finding, source.file.path, place));
  },
};

function toRecord(finding: Finding, file: string, place: Place): RecordFields | string {
  const check = checkIdOf(finding);
  if (!check) return 'the finding names no Prowler check (metadata.event_code)';
  const status = statusOf(finding);
  if (!status) return `unknown status ${JSON.stringify(finding.status_code ?? finding.status ?? null)}`;
  const info = finding.finding_info ?? finding.finding;
  const resource = Array.isArray(finding.resources) ? finding.resources[0] : undefined;
  const compliance = complianceOf(finding);
  return {
    format: FORMAT,
    file,
    place,
    check: `prowler:${check}`,
    title: text(get(info, 'title')),
    status: status.status,
    observedAt: instant(get(info, 'created_time')) ?? instant(finding.time) ?? instant(get(info, 'created_time_dt')) ?? instant(finding.time_dt) ?? instant(finding.event_time),
    resource: resourceOf(get(resource, 'uid') || get(resource, 'name'), get(resource, 'region')),
    target: targetOf(finding, resource),
    scope: FORMAT,
    severity: namedSeverity(finding.severity),
    message: explained(status.note, text(finding.status_detail) ?? text(finding.message)),
    tool: 'prowler',
    toolVersion: recorded(get(finding.metadata, 'product', 'version')),
    category: 'compliance',
    tags: complianceTags(compliance),
    controls: complianceControls(compliance, 'Prowler compliance'),
  };
}
