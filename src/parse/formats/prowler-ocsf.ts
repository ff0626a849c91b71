import type { CheckStatus } from '../../model/types.js';
import { diagnostic } from '../../diagnostics/codes.js';
import { reject, type Parser } from '../parser.js';
import {
  checkRecord,
  complianceControls,
  complianceFromItem,
  complianceFromObject,
  complianceTags,
  explained,
  FindingEmitter,
  instantOf,
  isObject,
  mutedNote,
  prowlerStatus,
  readJson,
  resourceOf,
  severityOf,
  text,
  versionOf,
  type ComplianceEntry,
} from './prowler-common.js';

const FORMAT = 'prowler-ocsf';

/** Prowler 3.x wrote OCSF 1.0.0-rc.3 Security Findings (class 2001), Prowler 4+ Detection Findings (2004). */
const OCSF_CLASS = /"class_uid"\s*:\s*200[14]\b/;
const PROWLER_PRODUCT = /"(?:name|vendor_name)"\s*:\s*"Prowler/;

type Finding = Record<string, unknown>;
const field = (value: unknown, key: string): unknown => (isObject(value) ? value[key] : undefined);

/** The Prowler check id: `metadata.event_code` (4+), `metadata.product.feature.uid` (3.x), or out of the finding uid. */
function checkIdOf(finding: Finding): string | undefined {
  const metadata = finding.metadata;
  const fromUid = /^prowler-[a-z0-9]+-([a-z0-9_]+)-/.exec(text(field(finding.finding_info ?? finding.finding, 'uid')) ?? '');
  return text(field(metadata, 'event_code')) ?? text(field(field(field(metadata, 'product'), 'feature'), 'uid')) ?? fromUid?.[1];
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

function complianceOf(finding: Finding): ComplianceEntry[] {
  const unmapped = complianceFromObject(field(finding.unmapped, 'compliance'));
  const requirements = field(finding.compliance, 'requirements');
  const listed = Array.isArray(requirements) ? requirements.map((r) => (typeof r === 'string' ? complianceFromItem(r) : undefined)) : [];
  return [...unmapped, ...listed.filter((e): e is ComplianceEntry => e !== undefined)];
}

export const prowlerOcsfParser: Parser = {
  name: FORMAT,
  label: 'Prowler JSON-OCSF',
  detect(source) {
    if (source.binary || !/^\uFEFF?\s*[[{]/.test(source.head)) return 0;
    return OCSF_CLASS.test(source.head) && PROWLER_PRODUCT.test(source.head) ? 0.95 : 0;
  },
  async parse(source, sink) {
    const file = source.file.path;
    const read = await readJson(source, sink);
    if ('rejected' in read) return read.rejected;
    const data = read.data;
    if (!Array.isArray(data)) {
      return reject(sink, diagnostic('format/schema', 'expected a JSON array of OCSF findings', { file, place: { pointer: '' } }));
    }
    const out = new FindingEmitter(sink, file);
    data.forEach((finding: unknown, i) => {
      const place = { pointer: `/${i}` };
      if (!isObject(finding)) return out.skip('the finding is not a JSON object', place);
      const check = checkIdOf(finding);
      if (!check) return out.skip('the finding names no Prowler check (metadata.event_code)', place);
      const status = statusOf(finding);
      if (!status) return out.skip(`unknown status ${JSON.stringify(finding.status_code ?? finding.status ?? null)}`, place);
      const info = finding.finding_info ?? finding.finding;
      const resource = Array.isArray(finding.resources) ? finding.resources[0] : undefined;
      const product = field(finding.metadata, 'product');
      const compliance = complianceOf(finding);
      out.record(
        checkRecord({
          format: FORMAT,
          file,
          place,
          check: `prowler:${check}`,
          title: text(field(info, 'title')),
          status: status.status,
          observedAt:
            instantOf(field(info, 'created_time')) ??
            instantOf(finding.time) ??
            instantOf(field(info, 'created_time_dt')) ??
            instantOf(finding.time_dt) ??
            instantOf(finding.event_time),
          resource: resourceOf(field(resource, 'uid') || field(resource, 'name'), field(resource, 'region')),
          severity: severityOf(finding.severity),
          message: explained(status.note, text(finding.status_detail) ?? text(finding.message)),
          tool: 'prowler',
          toolVersion: versionOf(field(product, 'version')),
          category: 'compliance',
          tags: complianceTags(compliance),
          controls: complianceControls(compliance, 'Prowler compliance'),
        }),
      );
    });
    return out.result();
  },
};
