import type { CheckRecord, CheckStatus, ControlMapping, FindingSeverity, Place } from '../../model/types.js';
import { diagnostic } from '../../diagnostics/codes.js';
import { loadCatalog } from '../../catalog/catalog.js';
import { toolMappings } from '../../map/tool-mappings.js';
import { jsonErrorMessage, jsonErrorPlace } from '../json-position.js';
import { reject, type ParseResult, type ParseSink, type Source } from '../parser.js';

/**
 * Helpers shared by the readers of Prowler's outputs (JSON-OCSF, CSV, JSON v3) and of ASFF, which
 * Prowler also writes: status, severity, time and compliance fields in the forms these tools use.
 */

export type CheckFields = Omit<CheckRecord, 'type' | 'rawControls' | 'controls'> & { controls?: ControlMapping[] };

/** A check record without the empty fields a tool left blank. */
export function checkRecord(fields: CheckFields): CheckRecord {
  const record: CheckRecord = { type: 'check', format: fields.format, file: fields.file, check: fields.check, status: fields.status, rawControls: [], controls: [] };
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    (record as unknown as Record<string, unknown>)[key] = value;
  }
  return record;
}

/** Counts what a file yields; a file whose every finding is unusable is not this format after all. */
export class FindingEmitter {
  private valid = 0;
  private invalid = 0;
  constructor(
    private readonly sink: ParseSink,
    private readonly file: string,
  ) {}

  record(record: CheckRecord): void {
    this.valid++;
    this.sink.record(record);
  }

  skip(message: string, place: Place): void {
    this.invalid++;
    this.sink.diagnostic(diagnostic('format/record-skipped', message, { file: this.file, place }));
  }

  result(): ParseResult {
    if (this.valid + this.invalid === 0) {
      this.sink.diagnostic(diagnostic('format/no-findings', 'the scan reported no findings', { file: this.file }));
      return {};
    }
    if (this.valid === 0) {
      return reject(this.sink, diagnostic('format/schema', `none of the ${this.invalid} findings could be read`, { file: this.file }));
    }
    return this.invalid ? { invalidRecords: this.invalid } : {};
  }
}

/** The whole file as JSON, or the rejection of its syntax error with the line and column. */
export async function readJson(source: Source, sink: ParseSink): Promise<{ data: unknown } | { rejected: ParseResult }> {
  const content = (await source.text()).replace(/^\uFEFF/, '');
  try {
    return { data: JSON.parse(content) };
  } catch (error) {
    const place = jsonErrorPlace(content, error);
    return { rejected: reject(sink, diagnostic('format/syntax', `invalid JSON: ${jsonErrorMessage(error, content)}`, { file: source.file.path, place })) };
  }
}

export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A non-empty trimmed string, or undefined. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed || undefined;
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

const severities: Record<string, FindingSeverity> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  informational: 'info',
  info: 'info',
};

/** Prowler (any case) and ASFF severity labels. */
export function severityOf(raw: unknown): FindingSeverity | undefined {
  const key = text(raw)?.toLowerCase();
  return key ? severities[key] : undefined;
}

/** The message of a finding that does not count as reported: why, then what the tool said. */
export const explained = (why: string | undefined, detail: string | undefined): string | undefined => (why ? (detail ? `${why}: ${detail}` : why) : detail);

/** Redacted examples put placeholders such as `<prowler_version>` or `<region>` where values were. */
const isPlaceholder = (value: string) => /^<[^<>]*>$/.test(value);

/** A tool version, unless it is a placeholder. */
export function versionOf(raw: unknown): string | undefined {
  const version = text(raw);
  return version && !isPlaceholder(version) ? version : undefined;
}

/**
 * An ISO instant from epoch seconds or milliseconds (OCSF `time` is specified in milliseconds, Prowler
 * writes seconds) or a date-time string. Prowler writes its CSV/JSON times without a zone, in the local
 * time of the machine that ran it; with nothing better to go on they are read as UTC.
 */
export function instantOf(raw: unknown): string | undefined {
  let value: number | string | undefined;
  if (typeof raw === 'number') value = raw;
  else if (typeof raw === 'string' && raw.trim()) value = raw.trim();
  if (value === undefined) return undefined;
  if (typeof value === 'string' && /^\d+(?:\.\d+)?$/.test(value)) value = Number(value);
  let date: Date;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return undefined;
    date = new Date(value > 1e11 ? value : value * 1000);
  } else {
    const iso = value.replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, '$1T$2');
    if (!/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/i.test(iso)) return undefined;
    const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(iso) ? iso : /T/.test(iso) ? `${iso}Z` : `${iso}T00:00:00Z`;
    date = new Date(zoned);
  }
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * The resource a finding is about. Prowler names account- or region-wide resources by bare ids such as
 * the account number or "No trails", repeated in every region, so those get their region: one finding
 * is then one (check, resource) pair. ARNs and Azure paths already say where they are.
 */
export function resourceOf(id: unknown, region: unknown): string | undefined {
  const resource = text(id);
  const where = text(region);
  if (!resource || !where || isPlaceholder(where) || /^(?:arn:|\/)/.test(resource)) return resource;
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
    const list = (Array.isArray(ids) ? ids : [ids]).map(text).filter((id): id is string => id !== undefined);
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
