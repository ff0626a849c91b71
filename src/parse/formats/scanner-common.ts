import type { CheckRecord, FindingSeverity, Place } from '../../model/types.js';
import { diagnostic } from '../../diagnostics/codes.js';
import { jsonErrorMessage, jsonErrorPlace } from '../json-position.js';
import { reject, type ParseResult, type ParseSink, type Source } from '../parser.js';

/** Helpers shared by the scanner report readers (SARIF, Trivy JSON, Checkov JSON). */

export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A non-empty trimmed string (numbers are accepted, since some tools write ids as numbers). */
export function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed ? trimmed : undefined;
}

/** True when the head of the file starts a JSON object (or array, when allowed). */
export const startsJson = (source: Source, array = false): boolean =>
  !source.binary && (array ? /^\uFEFF?\s*[[{]/ : /^\uFEFF?\s*\{/).test(source.head);

/** The whole document, or the rejection already sent when it is not JSON. */
export async function readJson(source: Source, sink: ParseSink, label: string): Promise<{ data: unknown } | { rejected: ParseResult }> {
  const raw = (await source.text()).replace(/^\uFEFF/, '');
  try {
    return { data: JSON.parse(raw) as unknown };
  } catch (error) {
    return {
      rejected: reject(
        sink,
        diagnostic('format/syntax', `the ${label} file is not valid JSON: ${jsonErrorMessage(error, raw)}`, {
          file: source.file.path,
          place: jsonErrorPlace(raw, error),
        }),
      ),
    };
  }
}

export const schemaError = (sink: ParseSink, file: string, pointer: string, message: string): ParseResult =>
  reject(sink, diagnostic('format/schema', message, { file, place: { pointer } }));

/** An ISO instant, or undefined when the value is not a real date (never a guess). */
export function instant(value: unknown): string | undefined {
  const s = text(value);
  if (!s || !/^\d{4}-\d{2}-\d{2}/.test(s)) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

const NAMED_SEVERITY: Record<string, FindingSeverity> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  moderate: 'medium',
  low: 'low',
  info: 'info',
  informational: 'info',
  negligible: 'info',
  none: 'info',
};

/** A tool's named severity (CRITICAL, High, moderate…); UNKNOWN and anything else stay undefined. */
export const namedSeverity = (value: unknown): FindingSeverity | undefined => NAMED_SEVERITY[text(value)?.toLowerCase() ?? ''];

/** CVSS v3 qualitative rating bands. */
export function cvssSeverity(score: number): FindingSeverity | undefined {
  if (!Number.isFinite(score) || score < 0 || score > 10) return undefined;
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return score > 0 ? 'low' : 'info';
}

const CVE_ID = /^CVE-\d{4}-\d{4,}$/i;
const GHSA_ID = /^GHSA(?:-[0-9a-z]{4}){3}$/i;
const ADVISORY_IN = /\b(?:CVE-\d{4}-\d{4,}|GHSA(?:-[0-9a-z]{4}){3})\b/i;

/** The advisory id (CVE, GitHub advisory) inside a rule id, e.g. Trivy's `CVE-2019-1549` or `[HIGH] CVE-…`. */
export function advisoryIn(id: string): string | undefined {
  const found = ADVISORY_IN.exec(id);
  return found ? classifier(found[0]) : undefined;
}

/**
 * One classifier in the form the map stage expects (`CWE-79`, `OWASP-A03:2021`, `CVE-2021-44228`,
 * `GHSA-…`), or undefined for free words (`security`, `maintainability`, a severity name).
 * Accepts CodeQL's `external/cwe/cwe-079`, Semgrep's `CWE-89: Improper…` and
 * `OWASP-A05:2021-Security Misconfiguration`.
 */
export function classifier(raw: unknown): string | undefined {
  const s = text(raw);
  if (!s) return undefined;
  const cwe = /^(?:external\/cwe\/)?cwe[-_: ]?0*(\d+)\b/i.exec(s);
  if (cwe) return `CWE-${cwe[1]}`;
  const owasp = /^(?:external\/owasp\/)?owasp[-_ ]?(?:top[-_ ]?10[-_ ]?)?a0*(\d{1,2})(?:[-_: ]+(\d{4}))?\b/i.exec(s);
  if (owasp) return `OWASP-A${owasp[1]!.padStart(2, '0')}${owasp[2] ? `:${owasp[2]}` : ''}`;
  if (CVE_ID.test(s)) return s.toUpperCase();
  if (GHSA_ID.test(s)) return `GHSA${s.slice(4).toLowerCase()}`;
  return undefined;
}

/** Normalized, de-duplicated classifiers, in the order the tool gave them. */
export function classifiers(values: Iterable<unknown>): string[] {
  const out = new Set<string>();
  for (const value of values) {
    const tag = classifier(value);
    if (tag) out.add(tag);
  }
  return [...out];
}

const MESSAGE_LIMIT = 500;

/** A message short enough for a report line; the tool's own output keeps the full text. */
export function clip(value: unknown): string | undefined {
  const s = text(value);
  if (!s) return undefined;
  return s.length > MESSAGE_LIMIT ? `${s.slice(0, MESSAGE_LIMIT - 1).trimEnd()}…` : s;
}

type RecordFields = Omit<CheckRecord, 'type' | 'rawControls' | 'controls' | 'place'> & { place: Place };

/**
 * Sends findings on and counts them. A bad item is reported and counted; a file whose items are
 * all bad is rejected; an empty scan is accepted with a note; records without a date are
 * flagged once per file, since they cannot show that a control operates now.
 */
export class FindingEmitter {
  private records = 0;
  private invalid = 0;
  private undated = false;

  constructor(
    private readonly sink: ParseSink,
    private readonly file: string,
  ) {}

  record(fields: RecordFields): void {
    // Absent fields stay absent rather than present-but-undefined, as in every other reader.
    const defined = Object.entries(fields).filter(([key, value]) => value !== undefined && !(key === 'tags' && (value as string[]).length === 0));
    const record: CheckRecord = { type: 'check', rawControls: [], controls: [], ...(Object.fromEntries(defined) as RecordFields) };
    if (!record.observedAt) this.undated = true;
    this.records++;
    this.sink.record(record);
  }

  skip(message: string, place: Place): void {
    this.invalid++;
    this.sink.diagnostic(diagnostic('format/record-skipped', message, { file: this.file, place }));
  }

  finish(hint?: string): ParseResult {
    if (this.records === 0 && this.invalid > 0) return { rejected: true, invalidRecords: this.invalid };
    if (this.records + this.invalid === 0) {
      this.sink.diagnostic(diagnostic('format/no-findings', 'the scan reported no findings', { file: this.file, ...(hint ? { hint } : {}) }));
    }
    if (this.undated) {
      this.sink.diagnostic(
        diagnostic('format/undated', 'the file records no observation time; its results cannot show a control operates now', { file: this.file }),
      );
    }
    return this.invalid ? { invalidRecords: this.invalid } : {};
  }
}
