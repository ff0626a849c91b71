import { diagnostic } from '../../diagnostics/codes.js';
import { reject, type Parser } from '../parser.js';
import {
  checkRecord,
  complianceControls,
  complianceFromObject,
  complianceTags,
  explained,
  FindingEmitter,
  instantOf,
  isObject,
  prowlerStatus,
  readJson,
  resourceOf,
  severityOf,
  text,
} from './prowler-common.js';

const FORMAT = 'prowler-json';

/** Prowler 3.x `-M json`: an array of flat findings keyed in PascalCase. */
const SIGNATURE = /"CheckID"\s*:/;
const PROWLER_FIELDS = /"(?:AssessmentStartTime|FindingUniqueId|StatusExtended|ServiceName)"\s*:/;

export const prowlerJsonParser: Parser = {
  name: FORMAT,
  label: 'Prowler JSON (v3)',
  detect(source) {
    if (source.binary || !/^\uFEFF?\s*[[{]/.test(source.head)) return 0;
    return SIGNATURE.test(source.head) && PROWLER_FIELDS.test(source.head) ? 0.95 : 0;
  },
  async parse(source, sink) {
    const file = source.file.path;
    const read = await readJson(source, sink);
    if ('rejected' in read) return read.rejected;
    const data = read.data;
    if (!Array.isArray(data)) {
      return reject(sink, diagnostic('format/schema', 'expected a JSON array of Prowler findings', { file, place: { pointer: '' } }));
    }
    const out = new FindingEmitter(sink, file);
    data.forEach((finding: unknown, i) => {
      const place = { pointer: `/${i}` };
      if (!isObject(finding)) return out.skip('the finding is not a JSON object', place);
      const check = text(finding.CheckID);
      if (!check) return out.skip('the finding has no CheckID', place);
      const status = prowlerStatus(finding.Status);
      if (!status) return out.skip(`unknown Status ${JSON.stringify(finding.Status ?? null)}`, place);
      const compliance = complianceFromObject(finding.Compliance);
      // AWS findings name an ARN; Azure, GCP and Kubernetes ones only a ResourceId (GCP's has a Location).
      out.record(
        checkRecord({
          format: FORMAT,
          file,
          place,
          check: `prowler:${check}`,
          title: text(finding.CheckTitle),
          status: status.status,
          observedAt: instantOf(finding.AssessmentStartTime),
          resource: resourceOf(text(finding.ResourceArn) ?? text(finding.ResourceId) ?? text(finding.ResourceName), text(finding.Region) ?? finding.Location),
          severity: severityOf(finding.Severity),
          message: explained(status.note, text(finding.StatusExtended)),
          tool: 'prowler',
          category: 'compliance',
          tags: complianceTags(compliance),
          controls: complianceControls(compliance, 'Prowler compliance'),
        }),
      );
    });
    return out.result();
  },
};
