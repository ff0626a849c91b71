import type { CheckStatus, ControlMapping, Place } from '../../model/types.js';
import { loadCatalog } from '../../catalog/catalog.js';
import { toolMappings } from '../../map/tool-mappings.js';
import type { ParseResult, ParseSink, Source } from '../parser.js';
import { isObject, pointerOf, recorded, RecordEmitter, streamDocument, targets, text, textList, type JsonObject, type RecordFields } from './common.js';

/**
 * What the readers of Prowler's outputs (JSON-OCSF, CSV, JSON v3) and of ASFF, which Prowler also
 * writes, share beyond common.ts: Prowler's statuses, resources and compliance fields.
 */

/** A JSON array of findings (Prowler's JSON-OCSF and JSON v3), streamed: each a record, or the reason it cannot be one. */
export async function readFindingArray(source: Source, sink: ParseSink, what: string, toRecord: (finding: JsonObject, place: Place) => RecordFields | string): Promise<ParseResult> {
  const out = new RecordEmitter(sink, source.file.path);
  const read = await streamDocument(source, sink, {
    isTarget: targets(''),
    onElement: (finding, path) => {
      const place = { pointer: pointerOf(path) };
      out.push(isObject(finding) ? toRecord(finding, place) : 'the finding is not a JSON object', place);
    },
    schema: (data) => (Array.isArray(data) ? undefined : { pointer: '', message: `expected a JSON array of ${what}` }),
  });
  return 'rejected' in read ? read.rejected : out.finish();
}

/**
 * Prowler's finding statuses across versions, and why a finding is skipped: Prowler 3 turned findings
 * its allowlist matched into WARNING, Prowler 4+ calls them MUTED (or keeps the status and flags them).
 */
export function prowlerStatus(raw: unknown): { status: CheckStatus; note?: string } | undefined {
  switch (text(raw)?.toUpperCase()) {
    case 'PASS':
      return { status: 'pass' };
    case 'FAIL':
      return { status: 'fail' };
    case 'MANUAL':
    case 'INFO':
      return { status: 'manual' };
    case 'MUTED':
      return { status: 'skip', note: 'muted in Prowler' };
    case 'WARNING':
      return { status: 'skip', note: 'allowlisted in Prowler (status WARNING)' };
    default:
      return undefined;
  }
}

/** A finding Prowler muted while keeping the status its check reported (Prowler 4+). */
export const mutedNote = (reported: string) => `muted in Prowler (the check reported ${reported.trim().toUpperCase()})`;

/** The message of a finding that does not count as reported: why, then what the tool said. */
export const explained = (why: string | undefined, detail: string | undefined): string | undefined => (why ? (detail ? `${why}: ${detail}` : why) : detail);

/**
 * The resource a finding is about. Prowler names account- or region-wide resources by bare ids such as
 * the account number or "No trails", repeated in every region, so those get their region: one finding
 * is then one (check, resource) pair. ARNs and Azure paths already say where they are.
 */
export function resourceOf(id: unknown, region: unknown): string | undefined {
  const resource = text(id);
  const where = recorded(region);
  if (!resource || !where || /^(?:arn:|\/)/.test(resource)) return resource;
  return `${resource} (${where})`;
}

/** One framework's requirement ids, as Prowler lists them for a check. */
export interface ComplianceEntry {
  framework: string;
  ids: string[];
}

/** Prowler's compliance object / dict (`{"CIS-1.4": ["1.20"], …}`). */
export function complianceFromObject(value: unknown): ComplianceEntry[] {
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([framework, ids]) => {
    const list = textList(ids);
    return list.length ? [{ framework: framework.trim(), ids: list }] : [];
  });
}

/** One `FRAMEWORK: id, id` item (CSV COMPLIANCE column, v3 OCSF `compliance.requirements`). */
export function complianceFromItem(item: string): ComplianceEntry | undefined {
  const colon = item.indexOf(':');
  if (colon <= 0) return undefined;
  const ids = item
    .slice(colon + 1)
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  return ids.length ? { framework: item.slice(0, colon).trim(), ids } : undefined;
}

/** The CSV COMPLIANCE column: `CIS-1.4: 1.20 | KISA-ISMS-P-2023: 2.5.6, 2.6.4 | …`. */
export function complianceFromText(value: unknown): ComplianceEntry[] {
  return (text(value) ?? '')
    .split('|')
    .map((item) => complianceFromItem(item))
    .filter((entry): entry is ComplianceEntry => entry !== undefined);
}

/** Prowler cuts each ASFF RelatedRequirements item to 63 characters, so the last id of a long item may be partial. */
const PROWLER_REQUIREMENT_LIMIT = 63;

/**
 * An ASFF RelatedRequirements item in Prowler's form, `SOC2 cc_2_1 cc_7_2 cc_a_1_2`: framework, then
 * ids. The last id of an item Prowler cut is dropped, unless the cut fell on the space after it.
 */
export function complianceFromRequirement(item: string, cutByProwler: boolean): ComplianceEntry | undefined {
  const [framework, ...ids] = item.trim().split(/\s+/);
  const cut = cutByProwler && item.length >= PROWLER_REQUIREMENT_LIMIT && !/\s$/.test(item);
  const complete = cut ? ids.slice(0, -1) : ids;
  return framework && complete.length ? { framework, ids: complete } : undefined;
}

/** Tags naming each requirement, e.g. `CIS-1.4 1.20`. */
export function complianceTags(entries: ComplianceEntry[]): string[] {
  return [...new Set(entries.flatMap((e) => e.ids.map((id) => `${e.framework} ${id}`)))];
}

const ISO27001_KEY = /ISO[-_ ]?27001/i;
const SOC2_KEY = /^SOC[-_ ]?2(?:$|[-_ ])/i;

/** Prowler's SOC 2 ids: `cc_7_2` → CC7.2, `cc_a_1_2` → A1.2, `cc_c_1_2` → C1.2, `pi_1_2` → PI1.2. */
export function soc2Id(id: string): string {
  const m = /^(?:cc_)?(cc|a|c|pi|p)_(\d+)_(\d+)$/i.exec(id.trim());
  return m ? `${m[1]!.toUpperCase()}${m[2]}.${m[3]}` : id.trim();
}

/** ISO/IEC 27001:2013 control ids under a 2013 control objective (`A.12.4` → A.12.4.1 …). */
function edition2013Controls(objective: string): string[] {
  const prefix = `${objective}.`;
  return [...loadCatalog().edition2013.keys()].filter((id) => id.startsWith(prefix));
}

/**
 * The ISO 27001 / SOC 2 controls among a finding's compliance entries, marked as carried by the tool.
 * Prowler's `ISO27001-2013` (and its unversioned `ISO27001`, `AWS-ISO27001`) frameworks use 2013 Annex A
 * numbers, mostly at control-objective level (`A.12.4`): an objective stands for its 2013 controls,
 * which the resolver carries to their 2022 successors. Read with 2022 numbering, 2013 `A.8.2`
 * (information classification) would wrongly become 2022 A.8.2 (privileged access rights).
 */
export function complianceControls(entries: ComplianceEntry[], via: string): ControlMapping[] {
  const out: ControlMapping[] = [];
  const add = (mappings: ControlMapping[]) => {
    for (const m of mappings) if (!out.some((o) => o.framework === m.framework && o.id === m.id)) out.push(m);
  };
  for (const { framework, ids } of entries) {
    const where = `${via} ${framework}`;
    if (SOC2_KEY.test(framework)) {
      add(toolMappings(ids.map((id) => `SOC2: ${soc2Id(id)}`), where));
    } else if (ISO27001_KEY.test(framework) && /2022/.test(framework)) {
      add(toolMappings(ids.map((id) => `ISO27001: ${id}`), where));
    } else if (ISO27001_KEY.test(framework)) {
      for (const id of ids) {
        const objective = /^A\.\d+\.\d+$/i.test(id) ? edition2013Controls(id.toUpperCase()) : [];
        add(toolMappings(objective.length ? objective : [`ISO27001: ${id}`], `${where} ${id} (2013 edition)`));
      }
    }
  }
  return out;
}
